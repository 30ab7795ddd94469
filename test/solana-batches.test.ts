// Conflict levels and batches against a brute-force O(n²) reference on
// random, conflict-heavy inputs: no conflict inside a batch, every
// conflicting pair in order, levels minimal, batch size respected, each
// level's lines in input order.
import { describe, expect, it } from 'vitest';
import { conflictLevels, cutBatches } from '../src/tx/solana/batches.js';
import { createRng } from './support/ed25519-cases.js';

interface Tx { reads: Set<number>; writes: Set<number> }

const conflicts = (a: Tx, b: Tx) => {
  for (const w of a.writes) if (b.writes.has(w) || b.reads.has(w)) return true;
  for (const w of b.writes) if (a.reads.has(w)) return true;
  return false;
};

function randomInput(seed: number) {
  const rng = createRng(seed);
  const lineCount = 50 + rng.int(250);
  const accounts = 2 + rng.int(30);
  const txs: (Tx | null)[] = []; // null: a line that is not valid (not in `lines`)
  for (let i = 0; i < lineCount; i++) {
    if (rng.int(6) === 0) { txs.push(null); continue; }
    const tx: Tx = { reads: new Set(), writes: new Set() };
    const k = 1 + rng.int(Math.min(6, accounts));
    while (tx.reads.size + tx.writes.size < k) {
      const a = rng.int(accounts);
      if (tx.reads.has(a) || tx.writes.has(a)) continue;
      (rng.int(3) === 0 ? tx.reads : tx.writes).add(a);
    }
    txs.push(tx);
  }
  const start = new Int32Array(lineCount + 1);
  const locks: number[] = [];
  const lines: number[] = [];
  txs.forEach((tx, line) => {
    start[line] = locks.length;
    if (!tx) return;
    lines.push(line);
    // Locks in a random order, as a packet lists them.
    const all = [...[...tx.reads].map((a) => a << 1), ...[...tx.writes].map((a) => (a << 1) | 1)];
    for (let i = all.length - 1; i > 0; i--) { const j = rng.int(i + 1); [all[i], all[j]] = [all[j], all[i]]; }
    locks.push(...all);
  });
  start[lineCount] = locks.length;
  return { txs, lines: Int32Array.from(lines), start, locks: Int32Array.from(locks), accounts, batchSize: 1 + rng.int(12) };
}

describe('Solana conflict levels and batches', () => {
  it('match the brute-force reference on 200 random conflict-heavy inputs', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const { txs, lines, start, locks, accounts, batchSize } = randomInput(seed);
      const levels = conflictLevels(lines, lines.length, start, locks, accounts);
      // Reference levels: 1 + the highest level among earlier conflicting valid lines.
      const ref: number[] = [];
      for (let t = 0; t < lines.length; t++) {
        let level = 0;
        for (let s = 0; s < t; s++) if (conflicts(txs[lines[s]]!, txs[lines[t]]!)) level = Math.max(level, ref[s] + 1);
        ref.push(level);
      }
      expect(Array.from(levels), `seed ${seed}`).toEqual(ref);

      const batches = cutBatches(lines, levels, lines.length, batchSize);
      const batchOf = new Map<number, number>();
      batches.forEach((b, i) => b.forEach((line) => batchOf.set(line, i)));
      expect(batches.flat().sort((a, b) => a - b)).toEqual(Array.from(lines));
      const levelOfLine = new Map(Array.from(lines, (line, t) => [line, levels[t]]));
      let previousLevel = 0;
      batches.forEach((b, i) => {
        expect(b.length).toBeGreaterThan(0);
        expect(b.length).toBeLessThanOrEqual(batchSize);
        const level = levelOfLine.get(b[0])!;
        expect(b.every((line) => levelOfLine.get(line) === level)).toBe(true);
        expect(level).toBeGreaterThanOrEqual(previousLevel);
        // Only a level's last chunk may be short.
        const next = batches[i + 1];
        if (next && levelOfLine.get(next[0]) === level) expect(b.length).toBe(batchSize);
        // Input order inside a batch and across a level's chunks.
        if (next && levelOfLine.get(next[0]) === level) expect(next[0]).toBeGreaterThan(b[b.length - 1]);
        for (let j = 1; j < b.length; j++) expect(b[j]).toBeGreaterThan(b[j - 1]);
        for (let x = 0; x < b.length; x++) for (let y = x + 1; y < b.length; y++) expect(conflicts(txs[b[x]]!, txs[b[y]]!)).toBe(false);
        previousLevel = level;
      });
      // Every conflicting pair runs in input order.
      for (let t = 0; t < lines.length; t++) {
        for (let s = 0; s < t; s++) {
          if (conflicts(txs[lines[s]]!, txs[lines[t]]!)) expect(batchOf.get(lines[s])!).toBeLessThan(batchOf.get(lines[t])!);
        }
      }
    }
  });

  it('handles nothing valid, one account written by all (a chain), and readers only (one level)', () => {
    expect(cutBatches(new Int32Array(0), new Int32Array(0), 0, 4)).toEqual([]);
    const n = 10;
    const chainLocks = Int32Array.from({ length: n }, () => (3 << 1) | 1);
    const start = Int32Array.from({ length: n + 1 }, (_, i) => i);
    const lines = Int32Array.from({ length: n }, (_, i) => i);
    expect(Array.from(conflictLevels(lines, n, start, chainLocks, 4))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const readLocks = Int32Array.from({ length: n }, () => 3 << 1);
    const levels = conflictLevels(lines, n, start, readLocks, 4);
    expect(Array.from(levels)).toEqual(new Array(n).fill(0));
    expect(cutBatches(lines, levels, n, 4)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    // Read, read, write, read: the writer waits for both readers, the last reader for the writer.
    const mixed = Int32Array.from([3 << 1, 3 << 1, (3 << 1) | 1, 3 << 1]);
    expect(Array.from(conflictLevels(lines.subarray(0, 4), 4, start, mixed, 4))).toEqual([0, 0, 1, 2]);
    expect(() => cutBatches(lines, levels, n, 0)).toThrow(RangeError);
  });
});
