// Every backend reads its inputs when called (a caller
// may zero or reuse its buffers as soon as the promise exists), accepts
// SharedArrayBuffer-backed inputs, refuses misuse with InvalidArgumentError,
// and throws the same error class after destroy().
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireGpu, type GpuContext } from '../src/gpu/device.js';
import { VerifierDestroyedError, type SignatureBatch } from '../src/ed25519/batch.js';
import { createCpuVerifier } from '../src/ed25519/cpu/backend.js';
import { createVerifier } from '../src/ed25519/verifier.js';
import { createMerkleHasher } from '../src/merkle/hasher.js';
import { inclusionProof, merkleRoot } from '../src/merkle/reference.js';
import { createIncrementalMerkleTree } from '../src/merkle/incremental.js';
import { DestroyedError, InvalidArgumentError } from '../src/errors.js';
import { toHex } from '../src/hex.js';
import { casesToBatch, validCases } from './support/ed25519-cases.js';

let gpu: GpuContext;
beforeAll(async () => { gpu = await acquireGpu(); });
afterAll(() => gpu?.destroy());

/** The same batch with every column in a SharedArrayBuffer. */
function shared(batch: SignatureBatch): SignatureBatch {
  const copy = <T extends Uint8Array | Uint32Array>(a: T): T => {
    const out = new (a.constructor as { new (b: SharedArrayBuffer): T })(new SharedArrayBuffer(Math.max(4, a.byteLength)));
    const view = out.subarray(0, a.length) as T;
    view.set(a as never);
    return view;
  };
  return { publicKeys: copy(batch.publicKeys), signatures: copy(batch.signatures), messages: copy(batch.messages), messageOffsets: copy(batch.messageOffsets) };
}

// Not zeros: an all-zero key and signature is a valid zip215 signature (small-order points), so scramble instead.
const zeroAll = (b: SignatureBatch) => { b.publicKeys.fill(0xa5); b.signatures.fill(0xa5); b.messages.fill(0xa5); };
const count = (v: Uint8Array) => v.reduce((a, x) => a + x, 0);

describe('verify reads its inputs at call time', () => {
  const N = 24;
  it('cpu (several segments, so later ones would be read late): scrambling the batch after the call changes nothing', async () => {
    const v = await createCpuVerifier({ workers: 1, segmentItems: 4 });
    try {
      const batch = casesToBatch(validCases(N, 7));
      const p = v.verify(batch, 'zip215');
      zeroAll(batch);
      expect(count(await p)).toBe(N);
    } finally { await v.destroy(); }
  });

  it('webgpu: scrambling the batch after the call changes nothing', async () => {
    const v = await createVerifier({ rules: 'zip215', backend: 'webgpu', device: gpu });
    try {
      const batch = casesToBatch(validCases(N, 7));
      const p = v.verify(batch);
      zeroAll(batch);
      expect(count(await p)).toBe(N);
    } finally { await v.destroy(); }
  }, 300_000);

  it('SharedArrayBuffer-backed batches verify on cpu and webgpu alike', async () => {
    const batch = casesToBatch(validCases(8, 9));
    batch.signatures[64 * 3] ^= 1; // one invalid
    for (const backend of ['cpu', 'webgpu'] as const) {
      const v = await createVerifier({ rules: 'ref10', backend, device: gpu, workers: 1 });
      try {
        expect(toHex(await v.verify(shared(batch))), backend).toBe('0101010001010101');
      } finally { await v.destroy(); }
    }
  }, 300_000);

  it('misuse and use after destroy() fail alike on both backends', async () => {
    for (const backend of ['cpu', 'webgpu'] as const) {
      const v = await createVerifier({ rules: 'ref10', backend, device: gpu, workers: 1 });
      await expect(v.verify(null as never), backend).rejects.toThrow(InvalidArgumentError);
      await expect(v.verify(null as never), backend).rejects.toThrow(/batch must be an object, got null/);
      await v.destroy();
      const after = v.verify(casesToBatch(validCases(2, 1)));
      await expect(after, backend).rejects.toThrow(VerifierDestroyedError);
      await expect(after, backend).rejects.toThrow(DestroyedError);
    }
  }, 300_000);
});

describe('merkle root and proof read their leaves at call time', () => {
  const leaves = Array.from({ length: 37 }, (_, i) => Uint8Array.from({ length: i % 5 }, (_, j) => i * 7 + j));
  const columnar = () => {
    const offsets = new Uint32Array(leaves.length + 1);
    leaves.forEach((l, i) => { offsets[i + 1] = offsets[i] + l.length; });
    const data = new Uint8Array(offsets[leaves.length]);
    leaves.forEach((l, i) => data.set(l, offsets[i]));
    return { data, offsets };
  };
  const want = toHex(merkleRoot(leaves));
  const wantProof = inclusionProof(leaves, 11).map(toHex);

  for (const backend of ['cpu', 'webgpu'] as const) {
    it(`${backend}: zeroing columnar or listed leaves after the call changes nothing; shared leaves accepted`, async () => {
      const h = await createMerkleHasher({ backend, device: gpu, workers: 1 });
      try {
        const col = columnar();
        const p = h.root(col);
        col.data.fill(0xee); col.offsets.fill(0);
        expect(toHex(await p)).toBe(want);
        const col2 = columnar();
        const q = h.proof(col2, 11);
        col2.data.fill(0);
        expect((await q).map(toHex)).toEqual(wantProof);
        const list = leaves.map((l) => l.slice());
        const r = h.root(list);
        for (const l of list) l.fill(0xff);
        expect(toHex(await r)).toBe(want);
        // SharedArrayBuffer-backed columnar leaves.
        const c = columnar();
        const data = new Uint8Array(new SharedArrayBuffer(Math.max(4, c.data.length))).subarray(0, c.data.length);
        data.set(c.data);
        const offsets = new Uint32Array(new SharedArrayBuffer(c.offsets.byteLength));
        offsets.set(c.offsets);
        expect(toHex(await h.root({ data, offsets }))).toBe(want);
        await expect(h.root(null as never)).rejects.toThrow(InvalidArgumentError);
      } finally {
        await h.destroy();
      }
      await expect(h.root(leaves)).rejects.toThrow(DestroyedError);
    }, 300_000);
  }

  it('incremental trees on both backends throw DestroyedError after destroy()', async () => {
    for (const backend of ['cpu', 'webgpu'] as const) {
      const t = await createIncrementalMerkleTree({ backend, leafSize: 48, device: gpu });
      t.destroy();
      await expect((async () => t.root())(), backend).rejects.toThrow(DestroyedError);
    }
  }, 300_000);
});
