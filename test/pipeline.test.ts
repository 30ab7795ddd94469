import { describe, expect, it } from 'vitest';
import { toHex } from '../src/hex.js';
import { createPipeline, type BlockResult, type SignatureVerifier } from '../src/pipeline/pipeline.js';
import { decodeBlock } from '../src/exec/decode.js';
import type { BlockRecords } from '../src/tx/v1/index.js';
import { generateWorkload } from '../src/workload/generate.js';
import { nodeSigner } from '../src/workload/signer-node.js';
import { collect, injected, oracleVerdicts, sequentialReference, spec } from './support/pipeline-support.js';

/** Malformed records mixed in: a short record, a wrong version, an empty one (docs/transactions.md: receipts, not errors). */
function withMalformed(block: BlockRecords): BlockRecords {
  const records: Uint8Array[] = [];
  for (let i = 0; i < block.count; i++) records.push(block.bytes.slice(block.offsets[i], block.offsets[i + 1]));
  const wrongVersion = records[0].slice();
  wrongVersion[64] = 2;
  records.splice(1, 0, records[0].subarray(0, 100), wrongVersion, new Uint8Array(0));
  const bytes = new Uint8Array(records.reduce((s, r) => s + r.length, 0));
  const offsets = new Uint32Array(records.length + 1);
  records.forEach((r, i) => { bytes.set(r, offsets[i]); offsets[i + 1] = offsets[i] + r.length; });
  return { bytes, offsets, count: records.length };
}

describe('pipeline (stages injected: oracle verifier, from-scratch tree)', () => {
  for (const workload of ['uniform', 'hot', 'bad-sigs', 'new-accounts'] as const) {
    it(`${workload}: overlapped blocks == one at a time == sequential reference == intended receipts`, async () => {
      const w = await generateWorkload(spec({ workload, badSigPercent: workload === 'bad-sigs' ? 20 : undefined }), { signer: nodeSigner });
      const blocks = w.blocks.map((b, i) => (i === 2 ? withMalformed(b) : b));
      const want = sequentialReference(w, blocks);
      // The generator's own intent agrees where no malformed record was inserted.
      for (const b of [0, 1, 3, 4, 5]) expect(want.receipts[b]).toBe(toHex(w.intended[b]));
      expect(want.receipts[2].slice(2, 8)).toBe('010101'); // the three malformed records
      for (const maxBlocksInFlight of [1, 3]) {
        for (const workers of [1, 2]) {
          const p = await createPipeline({ genesis: w.genesis, rules: 'ref10', workers, maxBlocksInFlight, ...injected() });
          const results = await Promise.all(blocks.map((b) => p.submit(b)));
          expect(collect(results), `in flight ${maxBlocksInFlight}, workers ${workers}`).toEqual(want);
          expect(toHex(await p.stateRoot())).toBe(want.roots[want.roots.length - 1]);
          await p.close();
        }
      }
    });
  }

  it('process() pulls blocks lazily and yields them in order', async () => {
    const w = await generateWorkload(spec({ blocks: 8, txsPerBlock: 20 }), { signer: nodeSigner });
    const want = sequentialReference(w, w.blocks);
    const p = await createPipeline({ genesis: w.genesis, rules: 'ref10', workers: 1, maxBlocksInFlight: 2, ...injected() });
    let pulled = 0;
    let maxAhead = 0;
    const results: BlockResult[] = [];
    async function* source() { for (const b of w.blocks) { pulled++; yield b; } }
    for await (const r of p.process(source())) {
      results.push(r);
      maxAhead = Math.max(maxAhead, pulled - results.length);
    }
    expect(collect(results)).toEqual(want);
    expect(maxAhead).toBeLessThanOrEqual(2);
    await p.close();
    await expect(p.submit(w.blocks[0])).rejects.toThrow(/closed/);
  });

  it('fails a block whose verifier fails, and every later block; close still releases everything', async () => {
    const w = await generateWorkload(spec({ blocks: 4, txsPerBlock: 10 }), { signer: nodeSigner });
    let calls = 0;
    let destroyed = 0;
    const stages = injected();
    const p = await createPipeline({
      genesis: w.genesis, rules: 'ref10', workers: 1,
      verifier: { backend: 'cpu', async verify(b) { if (++calls === 2) throw new Error('GPU device lost'); return oracleVerdicts(b); }, destroy() { destroyed++; } },
      createStateTree: stages.createStateTree,
    });
    const settled = await Promise.allSettled(w.blocks.map((b) => p.submit(b)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected']);
    expect((settled[1] as PromiseRejectedResult).reason.message).toMatch(/GPU device lost/);
    expect((settled[3] as PromiseRejectedResult).reason.message).toMatch(/block 3 not applied: block 1 failed/);
    await p.close();
    expect(destroyed).toBe(0); // an injected verifier stays the caller's
  });

  it('refuses bad options by name', async () => {
    const w = await generateWorkload(spec({ blocks: 1, txsPerBlock: 2 }), { signer: nodeSigner });
    await expect(createPipeline({ genesis: w.genesis, rules: 'ref10', maxBlocksInFlight: 0, ...injected() })).rejects.toThrow(/maxBlocksInFlight/);
    await expect(createPipeline({ genesis: w.genesis, rules: 'ref10', workers: 0, ...injected() })).rejects.toThrow(/workers/);
    await expect(createPipeline({ genesis: w.genesis, rules: 'ref10', backend: 'gpu' as never, ...injected() })).rejects.toThrow(/backend/);
  });
});

describe('pipeline with its real stages', () => {
  // Receipts and roots == the sequential reference, for each backend; every
  // rule set gives the same answer here because the workload's signatures are
  // either honest or bit-flipped (valid resp. invalid under all three).
  it('cpu backend, 2 workers, zip215 and solana: bad-sigs + new accounts + malformed records', async () => {
    for (const [workload, rules] of [['bad-sigs', 'zip215'], ['new-accounts', 'solana']] as const) {
      const w = await generateWorkload(spec({ workload, txsPerBlock: 50, blocks: 4 }), { signer: nodeSigner });
      const blocks = w.blocks.map((b, i) => (i === 1 ? withMalformed(b) : b));
      const want = sequentialReference(w, blocks, rules);
      const p = await createPipeline({ genesis: w.genesis, rules, backend: 'cpu', workers: 2, maxBlocksInFlight: 2 });
      try {
        expect(p.backends).toMatchObject({ verify: 'cpu', stateRoot: 'cpu' });
        const results: BlockResult[] = [];
        for await (const r of p.process(blocks)) results.push(r);
        expect(collect(results)).toEqual(want);
        // The signature stage alone, as a node's sigverify would call it.
        const d = decodeBlock(blocks[0]);
        expect(toHex(await p.verify(d.batch))).toBe(toHex(oracleVerdicts(d.batch, rules)));
      } finally {
        await p.close();
      }
    }
  });

  it('a lost GPU device fails the blocks in flight instead of hanging them', async () => {
    const { acquireGpu } = await import('../src/gpu/device.js');
    const w = await generateWorkload(spec({ txsPerBlock: 30, blocks: 4 }), { signer: nodeSigner });
    const device = await acquireGpu();
    const slowVerifier: SignatureVerifier = {
      backend: 'cpu',
      async verify(b) { await new Promise((r) => setTimeout(r, 200)); return oracleVerdicts(b); },
      destroy() {},
    };
    const p = await createPipeline({ genesis: w.genesis, rules: 'ref10', stateRootBackend: 'webgpu', workers: 1, device, verifier: slowVerifier });
    try {
      expect(p.backends.stateRoot).toBe('webgpu');
      const first = await p.submit(w.blocks[0]);
      expect(toHex(first.stateRoot)).toBe(sequentialReference(w, w.blocks.slice(0, 1)).roots[0]);
      const rest = w.blocks.slice(1).map((b) => p.submit(b));
      device.destroy();
      const settled = await Promise.allSettled(rest);
      for (const r of settled) {
        expect(r.status).toBe('rejected');
        expect((r as PromiseRejectedResult).reason.message).toMatch(/GPU device was destroyed|not applied/);
      }
    } finally {
      await p.close();
    }
  });

  it('blocks big enough for the parallel executor (≥ 2048 records), hot account, 2 workers', async () => {
    const w = await generateWorkload(spec({ workload: 'hot', accounts: 300, txsPerBlock: 2600, blocks: 2 }), { signer: nodeSigner });
    const want = sequentialReference(w, w.blocks);
    const p = await createPipeline({ genesis: w.genesis, rules: 'ref10', backend: 'cpu', workers: 2 });
    try {
      expect(p.backends.executeWorkers).toBe(2);
      expect(collect(await Promise.all(w.blocks.map((b) => p.submit(b))))).toEqual(want);
    } finally {
      await p.close();
    }
  });

  it('edge cases: empty genesis (root = SHA-256 of nothing), an empty block, senders that do not exist', async () => {
    const w = await generateWorkload(spec({ txsPerBlock: 8, blocks: 1 }), { signer: nodeSigner });
    const empty: BlockRecords = { bytes: new Uint8Array(0), offsets: new Uint32Array(1), count: 0 };
    const p = await createPipeline({ genesis: [], backend: 'cpu', workers: 1 });
    try {
      expect(toHex(await p.stateRoot())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
      const r0 = await p.submit(empty);
      expect(r0.receipts).toEqual(new Uint8Array(0));
      expect(toHex(r0.stateRoot)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
      const r1 = await p.submit(w.blocks[0]);
      expect(Array.from(r1.receipts)).toEqual(new Array(8).fill(3)); // UNKNOWN_SENDER
      expect(Array.from(r1.validity)).toEqual(new Array(8).fill(1));
      expect(p.rules).toBe('zip215'); // the verifier's default, as in `preexec verify` and `preexec run`
    } finally {
      await p.close();
    }
  });

  it("'auto' on a software adapter verifies and hashes on the CPU, and gives the sequential reference", async () => {
    const w = await generateWorkload(spec({ workload: 'bad-sigs', accounts: 12, txsPerBlock: 24, blocks: 2 }), { signer: nodeSigner });
    const want = sequentialReference(w, w.blocks, 'solana');
    const p = await createPipeline({ genesis: w.genesis, rules: 'solana', backend: 'auto', workers: 2 });
    try {
      expect(p.backends).toMatchObject({ verify: 'cpu', stateRoot: 'cpu' });
      expect(p.backends.adapter?.isSoftware).toBe(true);
      const results = await Promise.all(w.blocks.map((b) => p.submit(b)));
      expect(collect(results)).toEqual(want);
    } finally {
      await p.close();
    }
  });

  it('webgpu backend (SwiftShader here): GPU verify and GPU state root == sequential reference', async () => {
    const w = await generateWorkload(spec({ workload: 'bad-sigs', accounts: 12, txsPerBlock: 24, blocks: 3 }), { signer: nodeSigner });
    const blocks = w.blocks.map((b, i) => (i === 1 ? withMalformed(b) : b));
    const want = sequentialReference(w, blocks);
    const p = await createPipeline({ genesis: w.genesis, rules: 'ref10', backend: 'webgpu', workers: 1 });
    try {
      expect(p.backends).toMatchObject({ verify: 'webgpu', stateRoot: 'webgpu' });
      expect(p.backends.adapter?.runtime).toBe('node-dawn');
      const results = await Promise.all(blocks.map((b) => p.submit(b)));
      expect(collect(results)).toEqual(want);
    } finally {
      await p.close();
    }
  });
});
