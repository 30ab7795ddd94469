// RFC 6962 reference, proofs, the CPU backend, the incremental CPU tree and
// `preexec merkle`. GPU differential tests are in merkle-gpu.test.ts.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { fromHex, toHex } from '../src/hex.js';
import { createMerkleHasher, createIncrementalMerkleTree, inclusionProof, leafHash, merkleRoot, proofPositions, verifyInclusion } from '../src/merkle/index.js';
import { PARALLEL_MIN_LEAVES } from '../src/merkle/cpu.js';
import { positionsByIndex } from '../src/merkle/incremental.js';
import { seeded } from './support/merkle-support.js';
import vectors from './vectors/rfc6962.json' with { type: 'json' };

const sha = (...parts: Uint8Array[]) => { const h = createHash('sha256'); parts.forEach((p) => h.update(p)); return new Uint8Array(h.digest()); };

/** RFC 6962 §2.1 as written: the recursive split at the largest power of two below n. */
function rfcRoot(d: Uint8Array[]): Uint8Array {
  if (d.length === 0) return sha();
  if (d.length === 1) return sha(new Uint8Array([0]), d[0]);
  let k = 1;
  while (k * 2 < d.length) k *= 2;
  return sha(new Uint8Array([1]), rfcRoot(d.slice(0, k)), rfcRoot(d.slice(k)));
}

/** RFC 6962 §2.1.1 PATH(m, D[n]) as written. */
function rfcPath(m: number, d: Uint8Array[]): Uint8Array[] {
  if (d.length <= 1) return [];
  let k = 1;
  while (k * 2 < d.length) k *= 2;
  return m < k ? [...rfcPath(m, d.slice(0, k)), rfcRoot(d.slice(k))] : [...rfcPath(m - k, d.slice(k)), rfcRoot(d.slice(0, k))];
}

/** Left/right turns of PATH(m, D[n]): which side each sibling is on, bottom up. */
function shape(m: number, n: number): string {
  return proofPositions(m, n).map(([level, node]) => (node < Math.floor(m / 2 ** level) ? 'L' : 'R')).join('');
}

const randomLeaves = (rnd: (n: number) => number, n: number, maxLen: number) =>
  Array.from({ length: n }, () => new Uint8Array(rnd(maxLen + 1)).map(() => rnd(256)));

const rfcLeaves = vectors.leaves.map((h) => fromHex(h));

describe('RFC 6962 reference (CPU)', () => {
  it('gives the RFC roots for sizes 0..8 and its audit paths', () => {
    vectors.rootsBySize.forEach((root, n) => expect(toHex(merkleRoot(rfcLeaves.slice(0, n)))).toBe(root));
    for (const p of vectors.inclusionProofs) {
      const path = inclusionProof(rfcLeaves.slice(0, p.size), p.index);
      expect(path.map(toHex)).toEqual(p.path);
      expect(verifyInclusion(rfcLeaves[p.index], p.index, p.size, path, fromHex(vectors.rootsBySize[p.size]))).toBe(true);
    }
  });

  it('matches the recursive definition on random trees (root and every path)', () => {
    const rnd = seeded(1);
    for (let n = 0; n <= 40; n++) {
      const leaves = randomLeaves(rnd, n, 100);
      expect(toHex(merkleRoot(leaves))).toBe(toHex(rfcRoot(leaves)));
      for (let m = 0; m < n; m++) expect(inclusionProof(leaves, m).map(toHex)).toEqual(rfcPath(m, leaves).map(toHex));
    }
  });

  it('accepts columnar leaves like an array of leaves', () => {
    const data = new Uint8Array([1, 2, 3, 4, 5]);
    expect(toHex(merkleRoot({ data, offsets: new Uint32Array([0, 2, 2, 5]) }))).toBe(toHex(merkleRoot([data.slice(0, 2), new Uint8Array(0), data.slice(2)])));
    expect(() => merkleRoot({ data, offsets: new Uint32Array([0, 3, 2, 5]) })).toThrow(/decrease at leaf 1/);
    expect(() => merkleRoot({ data, offsets: new Uint32Array([0, 4]) })).toThrow(/expected data.length = 5/);
  });

  it('every proof verifies, and every tampered proof fails', () => {
    const rnd = seeded(2);
    for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 31]) {
      const leaves = randomLeaves(rnd, n, 40);
      const root = merkleRoot(leaves);
      for (let m = 0; m < n; m++) {
        const path = inclusionProof(leaves, m);
        expect(verifyInclusion(leaves[m], m, n, path, root)).toBe(true);
        // Any flipped bit of any path entry.
        for (let e = 0; e < path.length; e++) {
          for (let bit = 0; bit < 256; bit += n > 8 ? 37 : 1) {
            const bad = path.map((p) => p.slice());
            bad[e][bit >> 3] ^= 1 << (bit & 7);
            expect(verifyInclusion(leaves[m], m, n, bad, root)).toBe(false);
          }
        }
        // Wrong index; wrong size, except a size whose path for m has the same
        // shape (an audit path commits to its left/right turns, not to the size).
        for (let w = 0; w < n + 2; w++) if (w !== m) expect(verifyInclusion(leaves[m], w, n, path, root)).toBe(false);
        for (let s = 1; s < n + 4; s++) {
          if (s === n) continue;
          const sameShape = m < s && shape(m, s) === shape(m, n);
          expect(verifyInclusion(leaves[m], m, s, path, root), `m ${m} n ${n} s ${s}`).toBe(sameShape);
        }
        // Truncated or extended path, other leaf, flipped root.
        if (path.length > 0) expect(verifyInclusion(leaves[m], m, n, path.slice(0, -1), root)).toBe(false);
        expect(verifyInclusion(leaves[m], m, n, [...path, root], root)).toBe(false);
        expect(verifyInclusion(new Uint8Array([...leaves[m], 0]), m, n, path, root)).toBe(false);
        const badRoot = root.slice(); badRoot[31] ^= 0x80;
        expect(verifyInclusion(leaves[m], m, n, path, badRoot)).toBe(false);
      }
    }
    // Malformed input is false, never a throw.
    expect(verifyInclusion(new Uint8Array(0), -1, 1, [], leafHash(new Uint8Array(0)))).toBe(false);
    expect(verifyInclusion(new Uint8Array(0), 0, 0, [], sha())).toBe(false);
    expect(verifyInclusion(new Uint8Array(0), 0, 2, [new Uint8Array(31)], sha())).toBe(false);
  });
});

describe('CPU hasher', () => {
  const hashers: Array<{ destroy(): Promise<void> }> = [];
  afterAll(async () => { await Promise.all(hashers.map((h) => h.destroy())); });

  it('uses worker threads for big trees and gives the reference root and paths', async () => {
    const hasher = await createMerkleHasher({ backend: 'cpu', workers: 2 });
    hashers.push(hasher);
    expect(hasher.backend).toBe('cpu');
    const rnd = seeded(3);
    for (const n of [0, 1, 5, PARALLEL_MIN_LEAVES - 1, PARALLEL_MIN_LEAVES + 3, 3 * PARALLEL_MIN_LEAVES]) {
      const leaves = randomLeaves(rnd, n, 70);
      const want = merkleRoot(leaves);
      expect(toHex(await hasher.root(leaves)), `n = ${n}`).toBe(toHex(want));
      for (const m of n ? [0, n >> 1, n - 1] : []) {
        expect((await hasher.proof(leaves, m)).map(toHex)).toEqual(inclusionProof(leaves, m).map(toHex));
      }
    }
    await expect(hasher.proof([new Uint8Array(1)], 1)).rejects.toThrow(/index 1 is out of range for 1 leaves/);
  });

  it("'auto' does not pick a software adapter", async () => {
    const hasher = await createMerkleHasher({ backend: 'auto', workers: 1 });
    hashers.push(hasher);
    if (!process.env.PREEXEC_EXPECT_HARDWARE_GPU) expect(hasher.backend).toBe('cpu');
  });
});

describe('incremental tree (CPU)', () => {
  it('equals the from-scratch root through random updates and appends', async () => {
    const rnd = seeded(4);
    const leafSize = 48;
    const tree = await createIncrementalMerkleTree({ backend: 'cpu', leafSize });
    const model: Uint8Array[] = [];
    expect(toHex(await tree.root())).toBe(toHex(sha()));
    for (let step = 0; step < 120; step++) {
      const idx: number[] = [];
      const updates = model.length ? rnd(8) : 0;
      for (let i = 0; i < updates; i++) idx.push(rnd(model.length));
      const appends = rnd(step % 10 === 0 ? 40 : 4);
      for (let i = 0; i < appends; i++) idx.push(model.length + i);
      for (let i = idx.length - 1; i > 0; i--) { const j = rnd(i + 1); [idx[i], idx[j]] = [idx[j], idx[i]]; }
      const leaves = new Uint8Array(idx.length * leafSize).map(() => rnd(256));
      idx.forEach((ix, k) => { model[ix] = leaves.slice(k * leafSize, (k + 1) * leafSize); });
      await tree.setLeaves(new Uint32Array(idx), leaves);
      expect(tree.size).toBe(model.length);
      expect(toHex(await tree.root())).toBe(toHex(rfcRoot(model)));
    }
    tree.destroy();
  });

  it('orders update positions by index stably over the full u32 range (the GPU tree\'s radix sort)', () => {
    const r = seeded(5);
    for (const m of [0, 1, 2, 17, 3000]) {
      const indices = Uint32Array.from({ length: m }, () => (r(4) === 0 ? r(8) : (r(0x10000) * 0x10000 + r(0x10000)) >>> 0));
      const want = [...Array(m).keys()].sort((a, b) => indices[a] - indices[b] || a - b);
      expect([...positionsByIndex(indices)]).toEqual(want);
    }
  });

  it('rejects gaps, wrong leaf bytes, and non-typed input, naming them', async () => {
    const tree = await createIncrementalMerkleTree({ backend: 'cpu', leafSize: 4 });
    await expect(tree.setLeaves(new Uint32Array([0, 2]), new Uint8Array(8))).rejects.toThrow(/index 1 is missing/);
    await expect(tree.setLeaves(new Uint32Array([0]), new Uint8Array(5))).rejects.toThrow(/5 bytes, expected 1 × 4/);
    await expect(tree.setLeaves([0] as unknown as Uint32Array, new Uint8Array(4))).rejects.toThrow(/Uint32Array/);
    expect(tree.size).toBe(0);
    await tree.setLeaves(new Uint32Array([1, 0, 1]), new Uint8Array([1, 1, 1, 1, 0, 0, 0, 0, 2, 2, 2, 2]));
    // Index 1 given twice: the last leaf wins.
    expect(toHex(await tree.root())).toBe(toHex(rfcRoot([new Uint8Array(4), new Uint8Array([2, 2, 2, 2])])));
    tree.destroy();
  });
});

describe('preexec merkle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'preexec-merkle-'));
  const file = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };
  async function run(argv: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await main(['merkle', ...argv], { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
    return { code, stdout, stderr };
  }

  it('prints the RFC root as JSON and as text', async () => {
    const p = file('rfc.txt', `${vectors.leaves.join('\n')}\n`);
    const json = await run(['--in', p, '--backend', 'cpu', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ root: vectors.rootsBySize[8], leaves: 8, backend: 'cpu' });
    const text = await run(['--in', p, '--backend', 'cpu']);
    expect(text.stdout).toContain(vectors.rootsBySize[8]);
    expect(text.stderr).toBe('');
  });

  it('reads a final newline as the end, other empty lines as empty leaves, CRLF as LF', async () => {
    const root = async (text: string) => JSON.parse((await run(['--in', file('t.txt', text), '--backend', 'cpu', '--json'])).stdout);
    expect(await root('')).toMatchObject({ root: vectors.rootsBySize[0], leaves: 0 });
    expect(await root('\n')).toMatchObject({ root: vectors.rootsBySize[1], leaves: 1 });
    expect(await root('\n00\n10')).toMatchObject({ root: vectors.rootsBySize[3], leaves: 3 });
    expect(await root('\r\n00\r\n10\r\n2021\r\n')).toMatchObject({ root: vectors.rootsBySize[4], leaves: 4 });
    expect(await root('00\n\n')).toMatchObject({ root: toHex(rfcRoot([new Uint8Array([0]), new Uint8Array(0)])), leaves: 2 });
  });

  it('fails bad input with one line naming it, and nothing on stdout', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--in', file('odd.txt', '00\n123\n')], /line 2: odd number of hex digits/],
      [['--in', file('nonhex.txt', '00\n10\nzz\n')], /line 3: not a hex digit "z"/],
      [['--in', file('space.txt', '00 \n')], /line 1/],
      [['--in', join(dir, 'missing.txt')], /missing\.txt: no such file/],
      [[], /missing --in/],
      [['--in', file('ok.txt', '00\n'), '--backend', 'gpu'], /--backend must be one of auto\|webgpu\|cpu/],
    ];
    for (const [argv, why] of cases) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(why);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
