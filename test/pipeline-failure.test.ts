// A pipeline loses no applied block's results, whatever its
// source, its consumer or a concurrent close()/process() does.
import { describe, expect, it } from 'vitest';
import { toHex } from '../src/hex.js';
import { createPipeline, PipelineBusyError, PipelineClosedError, type BlockResult } from '../src/pipeline/pipeline.js';
import { InvalidArgumentError } from '../src/errors.js';
import type { BlockRecords } from '../src/tx/v1/index.js';
import { generateWorkload, type Workload } from '../src/workload/generate.js';
import { nodeSigner } from '../src/workload/signer-node.js';
import { injected, oracleVerdicts, sequentialReference, spec } from './support/pipeline-support.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Injected stages whose verifier takes a few ms, so blocks are really in flight together. */
function slowStages() {
  const stages = injected();
  return { ...stages, verifier: { backend: 'cpu' as const, async verify(b: Parameters<typeof oracleVerdicts>[0]) { await sleep(15); return oracleVerdicts(b); }, destroy() {} } };
}

let workload: Workload | undefined;
async function w8(): Promise<Workload> {
  workload ??= await generateWorkload(spec({ blocks: 8, txsPerBlock: 12 }), { signer: nodeSigner });
  return workload;
}

/** The shared workload, its sequential reference, and a ref10 pipeline on one worker with slowStages(). */
async function slowPipeline(opts: { maxBlocksInFlight?: number } = {}) {
  const w = await w8();
  const want = sequentialReference(w, w.blocks);
  const p = await createPipeline({ genesis: w.genesis, rules: 'ref10', workers: 1, ...opts, ...slowStages() });
  return { w, want, p };
}

/** Every result the caller got (delivered, then taken) is the reference's for its block, and the state root is the last one's. */
async function expectConsistent(p: Awaited<ReturnType<typeof createPipeline>>, got: BlockResult[], want: ReturnType<typeof sequentialReference>): Promise<void> {
  got.forEach((r, i) => {
    expect(r.index, 'results in order, none missing').toBe(i);
    expect(toHex(r.receipts)).toBe(want.receipts[i]);
    expect(toHex(r.stateRoot)).toBe(want.roots[i]);
  });
  expect(toHex(await p.stateRoot()), 'the state has advanced exactly past the blocks whose results the caller has').toBe(want.roots[got.length - 1]);
}

describe('pipeline failure semantics', () => {
  // An async generator that throws after two blocks, and a synchronous one after one.
  const throwingSources = {
    'an async source that throws after two blocks': (b: readonly BlockRecords[]) => (async function* () { yield b[0]; yield b[1]; throw new Error('disk read failed'); })(),
    'a synchronous iterable that throws after one block': (b: readonly BlockRecords[]) => (function* () { yield b[0]; throw new RangeError('disk read failed'); })(),
  };
  for (const [what, source] of Object.entries(throwingSources)) {
    it(`${what}: every result reaches the caller, then the error`, async () => {
      const { w, want, p } = await slowPipeline({ maxBlocksInFlight: 3 });
      const got: BlockResult[] = [];
      await expect((async () => { for await (const r of p.process(source(w.blocks))) got.push(r); })()).rejects.toThrow('disk read failed');
      expect(got.length).toBe(what.includes('two') ? 2 : 1);
      await expectConsistent(p, got, want);
      await p.close();
    });
  }

  it('an early break: blocks not yet executing are withdrawn, those applied are kept for takeUndelivered()', async () => {
    const { w, want, p } = await slowPipeline({ maxBlocksInFlight: 3 });
    let pulled = 0;
    async function* source() { for (const b of w.blocks) { pulled++; yield b; } }
    const got: BlockResult[] = [];
    for await (const r of p.process(source())) { got.push(r); break; }
    expect(pulled).toBeGreaterThan(1); // blocks were in flight when the consumer left
    const late = p.takeUndelivered();
    expect(p.takeUndelivered()).toEqual([]); // taking empties it
    await expectConsistent(p, [...got, ...late], want);
    expect(got.length + late.length).toBeLessThan(pulled); // something was withdrawn, not applied
    // The pipeline goes on from the consistent state: the next block is the one after the last result.
    const next = got.length + late.length;
    const r = await p.submit(w.blocks[next]);
    expect(toHex(r.stateRoot)).toBe(want.roots[next]);
    await p.close();
  });

  it('a consumer that throws in its loop body: the same as a break', async () => {
    const { w, want, p } = await slowPipeline({ maxBlocksInFlight: 3 });
    const got: BlockResult[] = [];
    await expect((async () => { for await (const r of p.process(w.blocks)) { got.push(r); if (got.length === 2) throw new Error('consumer failed'); } })()).rejects.toThrow('consumer failed');
    await expectConsistent(p, [...got, ...p.takeUndelivered()], want);
    await p.close();
  });

  it('close() while process() runs: submitted blocks are applied and delivered, then PipelineClosedError; nothing more is pulled', async () => {
    const { w, want, p } = await slowPipeline({ maxBlocksInFlight: 2 });
    let pulled = 0;
    async function* source() { for (const b of w.blocks) { pulled++; yield b; } }
    const got: BlockResult[] = [];
    let closed: Promise<void> | undefined;
    const run = (async () => {
      for await (const r of p.process(source())) {
        got.push(r);
        closed ??= p.close();
      }
    })();
    await expect(run).rejects.toThrow(PipelineClosedError);
    await closed;
    expect(got.length).toBeGreaterThanOrEqual(1);
    expect(pulled).toBeLessThan(w.blocks.length);
    await expectConsistent(p, got, want);
    expect(p.takeUndelivered()).toEqual([]);
  });

  it('a second concurrent process() is refused with PipelineBusyError; the first is unaffected', async () => {
    const { w, want, p } = await slowPipeline({ maxBlocksInFlight: 2 });
    const first = p.process(w.blocks.slice(0, 4));
    const got: BlockResult[] = [];
    const r0 = await first.next();
    got.push(r0.value as BlockResult);
    const second = p.process(w.blocks.slice(4));
    await expect(second.next()).rejects.toThrow(PipelineBusyError);
    for await (const r of { [Symbol.asyncIterator]: () => first }) got.push(r);
    await expectConsistent(p, got, want);
    // Once the first is done, another may run.
    const more: BlockResult[] = [];
    for await (const r of p.process(w.blocks.slice(4))) more.push(r);
    await expectConsistent(p, [...got, ...more], want);
    await p.close();
  });

  it('a block that is not one is refused (InvalidArgumentError) without breaking the pipeline', async () => {
    const { w, want, p } = await slowPipeline();
    await expect(p.submit(null as never)).rejects.toThrow(InvalidArgumentError);
    await expect(p.submit({ bytes: new Uint8Array(0), offsets: new Uint32Array(1), count: 3 })).rejects.toThrow(/count \+ 1 offsets/);
    const r0 = await p.submit(w.blocks[0]);
    expect(toHex(r0.stateRoot)).toBe(want.roots[0]);
    // From a source: the results before it, then the error.
    const got: BlockResult[] = [r0];
    async function* source() { yield w.blocks[1]; yield 'block-002.bin' as never; }
    await expect((async () => { for await (const r of p.process(source())) got.push(r); })()).rejects.toThrow(/pipeline\.process: a block must be/);
    await expectConsistent(p, got.map((r, i) => ({ ...r, index: i })), want);
    await p.close();
  });

  it('API misuse is an InvalidArgumentError with a clear message', async () => {
    await expect(createPipeline(null as never)).rejects.toThrow(InvalidArgumentError);
    await expect(createPipeline({ genesis: null } as never)).rejects.toThrow(/options\.genesis must be an array of accounts.*got null/);
    await expect(createPipeline(undefined as never)).rejects.toThrow(/options must be an object, got undefined/);
  });
});

