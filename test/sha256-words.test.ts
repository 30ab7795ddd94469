// The word SHA-256 of src/merkle/sha256-words.ts against node's createHash
// (OpenSSL), and the incremental CPU tree built on it against the reference
// root through each of its index paths (ascending, dense mark scan, sparse
// sort), repeated indices and leaf sizes other than 48.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toHex } from '../src/hex.js';
import { createIncrementalMerkleTree, merkleRoot } from '../src/merkle/index.js';
import { IV, leafHash48Words, nodeHashWords, paddedScratch, prefixedHashWords, sha256Words, wordsToBytes } from '../src/merkle/sha256-words.js';
import { seeded } from './support/merkle-support.js';

const sha = (...parts: Uint8Array[]) => { const h = createHash('sha256'); parts.forEach((p) => h.update(p)); return toHex(new Uint8Array(h.digest())); };
const randomBytes = (rnd: (n: number) => number, n: number) => new Uint8Array(n).map(() => rnd(256));
/** Digest bytes as the tree stores them: 8 big-endian words. */
const toWords = (d: Uint8Array) => Int32Array.from({ length: 8 }, (_, i) => (d[4 * i] << 24) | (d[4 * i + 1] << 16) | (d[4 * i + 2] << 8) | d[4 * i + 3]);

describe('word SHA-256', () => {
  it('derives the FIPS 180-4 initial hash value', () => {
    expect(Array.from(IV, (w) => (w >>> 0).toString(16))).toEqual(['6a09e667', 'bb67ae85', '3c6ef372', 'a54ff53a', '510e527f', '9b05688c', '1f83d9ab', '5be0cd19']);
  });

  it('equals createHash on random inputs of every length 0..200 (every padding case)', () => {
    const rnd = seeded(11);
    for (let n = 0; n <= 200; n++) {
      for (let rep = 0; rep < 3; rep++) {
        const d = randomBytes(rnd, n);
        expect(toHex(sha256Words(d)), `length ${n}`).toBe(sha(d));
      }
    }
    // All-ones bytes: sign bits set in every word.
    expect(toHex(sha256Words(new Uint8Array(119).fill(0xff)))).toBe(sha(new Uint8Array(119).fill(0xff)));
  });

  it('prefixed hashes of every length 0..200 at any offset equal createHash(prefix ‖ data)', () => {
    const rnd = seeded(12);
    const out = new Int32Array(24);
    for (let len = 0; len <= 200; len++) {
      const pad = paddedScratch(len + 1);
      for (let rep = 0; rep < 2; rep++) {
        const at = rnd(7);
        const buf = randomBytes(rnd, at + len + 5);
        const prefix = rep === 0 ? 0x00 : 0x01;
        prefixedHashWords(prefix, buf, at, len, pad, out, 8);
        expect(toHex(wordsToBytes(out, 8)), `length ${len}`).toBe(sha(new Uint8Array([prefix]), buf.subarray(at, at + len)));
      }
    }
  });

  it('leaf 0x00 ‖ 48 bytes and node 0x01 ‖ 32 ‖ 32 equal createHash, written where asked', () => {
    const rnd = seeded(13);
    for (let rep = 0; rep < 300; rep++) {
      const at = rnd(50);
      const buf = randomBytes(rnd, at + 48 + rnd(3));
      if (rep === 0) buf.fill(0xff);
      const out = new Int32Array(40).fill(0x5a5a5a5a);
      const o = 8 * rnd(4);
      leafHash48Words(buf, at, out, o);
      expect(toHex(wordsToBytes(out, o))).toBe(sha(new Uint8Array([0]), buf.subarray(at, at + 48)));
      // Nothing outside out[o..o+8) is written.
      out.forEach((w, i) => { if (i < o || i >= o + 8) expect(w).toBe(0x5a5a5a5a); });

      const left = randomBytes(rnd, 32), right = randomBytes(rnd, 32);
      if (rep === 1) { left.fill(0xff); right.fill(0xff); }
      const lv = new Int32Array(32);
      lv.set(toWords(left), 8);
      lv.set(toWords(right), 16);
      nodeHashWords(lv, 8, 16, lv, 24);
      expect(toHex(wordsToBytes(lv, 24))).toBe(sha(new Uint8Array([1]), left, right));
      // In place over its own left child, as a level can be rewritten.
      nodeHashWords(lv, 8, 16, lv, 8);
      expect(toHex(wordsToBytes(lv, 8))).toBe(sha(new Uint8Array([1]), left, right));
    }
  });
});

describe('incremental CPU tree: index paths and leaf sizes', () => {
  const rootOf = (model: Uint8Array[]) => {
    const leafSize = model[0]?.length ?? 0;
    const data = new Uint8Array(model.length * leafSize);
    model.forEach((l, i) => data.set(l, i * leafSize));
    return toHex(merkleRoot({ data, offsets: Uint32Array.from({ length: model.length + 1 }, (_, i) => i * leafSize) }));
  };

  for (const leafSize of [48, 0, 1, 31, 55, 56, 64, 100]) {
    it(`leafSize ${leafSize}: ascending, dense unsorted, sparse unsorted and repeated indices all give the reference root`, async () => {
      const rnd = seeded(100 + leafSize);
      const tree = await createIncrementalMerkleTree({ backend: 'cpu', leafSize });
      const model: Uint8Array[] = [];
      const apply = async (idx: number[]) => {
        const leaves = randomBytes(rnd, idx.length * leafSize);
        idx.forEach((ix, k) => { model[ix] = leaves.slice(k * leafSize, (k + 1) * leafSize); });
        await tree.setLeaves(Uint32Array.from(idx), leaves);
        expect(tree.size).toBe(model.length);
        expect(toHex(await tree.root())).toBe(rootOf(model));
      };
      // Ascending appends from empty (the genesis load), sizes around powers of two.
      await apply(Array.from({ length: 257 }, (_, i) => i));
      await apply([257, 258]);
      const n = model.length;
      for (let step = 0; step < 6; step++) {
        // Dense: most leaves, shuffled, some twice (mark scan).
        const dense = Array.from({ length: n }, (_, i) => i).filter(() => rnd(10) < 8);
        for (let i = dense.length - 1; i > 0; i--) { const j = rnd(i + 1); [dense[i], dense[j]] = [dense[j], dense[i]]; }
        dense.push(dense[0], dense[1]);
        await apply(dense);
        // Sparse: a few far-apart leaves descending, one repeated (sort path).
        const a = rnd(n), b = rnd(n);
        await apply([n - 1, Math.max(a, b), Math.min(a, b), 0, n - 1]);
        // Ascending updates with an append at the end.
        await apply([1, 7, 100, 200, model.length]);
      }
      tree.destroy();
    });
  }

  it('a repeated index keeps its last leaf on the dense and the sparse path alike', async () => {
    const n = 4096;
    for (const dense of [false, true]) {
      const tree = await createIncrementalMerkleTree({ backend: 'cpu', leafSize: 48 });
      await tree.setLeaves(Uint32Array.from({ length: n }, (_, i) => i), new Uint8Array(48 * n));
      // Dense: every index descending (mark scan) then n−1 again; sparse: 9, 3, 9 (sort).
      const idx = dense ? [...Array.from({ length: n }, (_, i) => n - 1 - i), n - 1] : [9, 3, 9];
      const leaves = new Uint8Array(48 * idx.length);
      idx.forEach((_, k) => leaves.fill(k === 0 ? 1 : k === idx.length - 1 ? 3 : 2, 48 * k, 48 * k + 48));
      await tree.setLeaves(Uint32Array.from(idx), leaves);
      const model = Array.from({ length: n }, (_, i) => new Uint8Array(48).fill(dense || i === 3 ? 2 : 0));
      model[idx[0]].fill(3);
      expect(toHex(await tree.root()), dense ? 'dense' : 'sparse').toBe(rootOf(model));
      tree.destroy();
    }
  });
});
