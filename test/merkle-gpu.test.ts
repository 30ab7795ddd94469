// WebGPU Merkle kernels against the CPU reference (Dawn on SwiftShader in CI).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireGpu, type GpuContext } from '../src/gpu/device.js';
import { fromHex, toHex } from '../src/hex.js';
import { NO_PREFIX, createGpuMerkleEngine, createMerkleKernels, encodeHashItems, type GpuMerkleEngine } from '../src/merkle/gpu.js';
import { sha256 } from '../src/merkle/sha256.js';
import { toColumnar } from '../src/merkle/reference.js';
import { createIncrementalMerkleTree, createMerkleHasher, inclusionProof, merkleRoot, verifyInclusion } from '../src/merkle/index.js';
import { fixedLeaves, seeded } from './support/merkle-support.js';
import vectors from './vectors/rfc6962.json' with { type: 'json' };

const randomLeaves = (rnd: (n: number) => number, n: number, lengths: () => number) =>
  Array.from({ length: n }, () => new Uint8Array(lengths()).map(() => rnd(256)));

describe('WebGPU Merkle (Dawn)', () => {
  let ctx: GpuContext;
  let gpu: GpuMerkleEngine;
  beforeAll(async () => {
    ctx = await acquireGpu();
    gpu = await createGpuMerkleEngine(ctx);
  });
  afterAll(() => { gpu?.destroy(); ctx?.destroy(); });

  it('gives the RFC 6962 roots and audit paths', async () => {
    const leaves = vectors.leaves.map((h) => fromHex(h));
    for (let n = 0; n <= 8; n++) expect(toHex(await gpu.root(leaves.slice(0, n)))).toBe(vectors.rootsBySize[n]);
    for (const p of vectors.inclusionProofs) expect((await gpu.proof(leaves.slice(0, p.size), p.index)).map(toHex)).toEqual(p.path);
  });

  it('equals the CPU for every n = 1..70, leaf lengths 0..2 KiB mixed', async () => {
    const rnd = seeded(10);
    // Lengths around SHA-256's padding edges (with the 0x00 prefix: 55/56, 63/64, 119/120) and anywhere up to 2 KiB.
    const edges = [0, 1, 2, 3, 4, 5, 54, 55, 56, 62, 63, 64, 118, 119, 120, 127, 128, 2047, 2048];
    for (let n = 1; n <= 70; n++) {
      const leaves = randomLeaves(rnd, n, () => (rnd(3) === 0 ? edges[rnd(edges.length)] : rnd(2049)));
      expect(toHex(await gpu.root(leaves)), `n = ${n}`).toBe(toHex(merkleRoot(leaves)));
    }
  });

  it('equals the CPU at powers of two ± 1 (all up to 2^12, some up to 2^17, 2^18 once; 64-byte leaves)', async () => {
    const sizes: number[] = [];
    for (let k = 1; k <= 12; k++) sizes.push((1 << k) - 1, 1 << k, (1 << k) + 1);
    sizes.push((1 << 14) + 1, (1 << 16) - 1, (1 << 17) + 1, 1 << 18);
    for (const n of sizes) {
      const leaves = fixedLeaves(n, n);
      expect(toHex(await gpu.root(leaves)), `n = ${n}`).toBe(toHex(merkleRoot(leaves)));
    }
  });

  it('gives the CPU audit paths, which verify and fail when tampered', async () => {
    const rnd = seeded(11);
    for (const n of [1, 2, 3, 5, 8, 13, 33]) {
      const leaves = randomLeaves(rnd, n, () => rnd(100));
      const root = merkleRoot(leaves);
      for (let m = 0; m < n; m++) {
        const path = await gpu.proof(leaves, m);
        expect(path.map(toHex)).toEqual(inclusionProof(leaves, m).map(toHex));
        expect(verifyInclusion(leaves[m], m, n, path, root)).toBe(true);
        if (path.length) {
          const bad = path.map((p) => p.slice());
          bad[rnd(bad.length)][rnd(32)] ^= 1 << rnd(8);
          expect(verifyInclusion(leaves[m], m, n, bad, root)).toBe(false);
        }
      }
    }
    await expect(gpu.proof([new Uint8Array(1)], 1)).rejects.toThrow(/out of range/);
  });

  it('gives the same roots and paths when tiny limits force chunking and grouping', async () => {
    // 512-byte bindings: 4-leaf groups, few leaves per upload; 2 workgroups per dimension.
    const small = await createGpuMerkleEngine(ctx, { limits: { maxStorageBufferBindingSize: 512, maxComputeWorkgroupsPerDimension: 2 } });
    const tiny = await createGpuMerkleEngine(ctx, { limits: { maxStorageBufferBindingSize: 256 }, maxLeavesPerGroup: 2 });
    const rnd = seeded(12);
    try {
      for (const n of [1, 2, 3, 4, 5, 9, 16, 17, 40, 129]) {
        const leaves = randomLeaves(rnd, n, () => rnd(200));
        const want = toHex(merkleRoot(leaves));
        expect(toHex(await small.root(leaves)), `small n = ${n}`).toBe(want);
        expect(toHex(await tiny.root(leaves)), `tiny n = ${n}`).toBe(want);
        for (const m of [0, n >> 1, n - 1]) {
          const path = inclusionProof(leaves, m).map(toHex);
          expect((await small.proof(leaves, m)).map(toHex)).toEqual(path);
          expect((await tiny.proof(leaves, m)).map(toHex)).toEqual(path);
        }
      }
      await expect(tiny.root([new Uint8Array(10), new Uint8Array(300)])).rejects.toThrow(/item 1 has 300 bytes/);
    } finally {
      small.destroy();
      tiny.destroy();
    }
  });

  it('createMerkleHasher webgpu uses the given device and agrees with cpu', async () => {
    const hasher = await createMerkleHasher({ backend: 'webgpu', device: ctx });
    expect(hasher.backend).toBe('webgpu');
    const leaves = fixedLeaves(1000, 5);
    expect(toHex(await hasher.root(leaves))).toBe(toHex(merkleRoot(leaves)));
    expect((await hasher.proof(leaves, 777)).map(toHex)).toEqual(inclusionProof(leaves, 777).map(toHex));
    await hasher.destroy();
  });

  it('incremental tree on the GPU equals the CPU tree and a from-scratch root', async () => {
    const rnd = seeded(13);
    const leafSize = 48;
    const g = await createIncrementalMerkleTree({ backend: 'webgpu', leafSize, device: ctx });
    const c = await createIncrementalMerkleTree({ backend: 'cpu', leafSize });
    const model: Uint8Array[] = [];
    expect(toHex(await g.root())).toBe(toHex(merkleRoot([])));
    for (let step = 0; step < 60; step++) {
      const idx: number[] = [];
      const updates = model.length ? rnd(10) : 0;
      for (let i = 0; i < updates; i++) idx.push(rnd(model.length));
      // Appends of every size, so capacity doubles (and levels are copied) several times.
      const appends = step === 30 ? 700 : rnd(step % 7 === 0 ? 60 : 5);
      for (let i = 0; i < appends; i++) idx.push(model.length + i);
      for (let i = idx.length - 1; i > 0; i--) { const j = rnd(i + 1); [idx[i], idx[j]] = [idx[j], idx[i]]; }
      const leaves = new Uint8Array(idx.length * leafSize).map(() => rnd(256));
      idx.forEach((ix, k) => { model[ix] = leaves.slice(k * leafSize, (k + 1) * leafSize); });
      await g.setLeaves(new Uint32Array(idx), leaves);
      await c.setLeaves(new Uint32Array(idx), leaves);
      // Sometimes two setLeaves before one root: they are merged into one flush.
      if (step % 5 === 4) continue;
      const want = toHex(merkleRoot(model));
      expect(toHex(await g.root()), `step ${step}`).toBe(want);
      expect(toHex(await c.root())).toBe(want);
    }
    // An index repeated in one update and across two pending ones, from a
    // leaves view at an odd byte offset: the last leaf wins.
    const odd = new Uint8Array(1 + 4 * leafSize).subarray(1).map(() => rnd(256));
    for (const t of [g, c]) {
      await t.setLeaves(new Uint32Array([2, 0, 2]), odd.subarray(0, 3 * leafSize));
      await t.setLeaves(new Uint32Array([0]), odd.subarray(3 * leafSize));
    }
    model[0] = odd.slice(3 * leafSize);
    model[2] = odd.slice(2 * leafSize, 3 * leafSize);
    expect(toHex(await g.root())).toBe(toHex(merkleRoot(model)));
    expect(toHex(await c.root())).toBe(toHex(merkleRoot(model)));
    await expect(g.setLeaves(new Uint32Array([model.length + 1]), new Uint8Array(leafSize))).rejects.toThrow(/is missing/);
    g.destroy();
    c.destroy();
  });

  it('hashes items with no prefix byte exactly as SHA-256 (the NO_PREFIX branch), lengths 0..130', async () => {
    const rnd = seeded(77);
    const items = Array.from({ length: 131 }, (_, len) => new Uint8Array(len).map(() => rnd(256)));
    const k = await createMerkleKernels(ctx);
    try {
      const out = k.staging.buffer('test-digests', 32 * items.length);
      const enc = ctx.device.createCommandEncoder();
      encodeHashItems(k, enc, toColumnar(items), out, 0, NO_PREFIX);
      const [digests] = await k.staging.submitAndRead(enc, [{ buffer: out, offset: 0, size: 32 * items.length }]);
      items.forEach((d, i) => expect(toHex(digests.subarray(32 * i, 32 * i + 32)), `length ${i}`).toBe(toHex(sha256(d))));
    } finally {
      k.staging.destroy();
    }
  });
});
