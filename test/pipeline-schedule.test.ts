import { describe, expect, it } from 'vitest';
import { createBlockScheduler, type PipelineStages } from '../src/pipeline/schedule.js';

// A toy state machine: state is a running sum, each block adds its numbers in
// order, verdicts mark odd numbers invalid, the "root" is the sum as bytes.
// Stages log when they start and end so the test can check the overlap.
type Log = string[];
const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function toyStages(log: Log, opts: { verifyMs?: (b: number) => number; failExecuteAt?: number; failVerifyAt?: number } = {}) {
  let sum = 0;
  let executing = 0;
  let maxConcurrentExecute = 0;
  const stages: PipelineStages<number[], { id: number; xs: number[] }, { id: number; sum: number; receipts: Uint8Array }> = {
    decode: (xs) => ({ id: xs[0], xs }),
    async verify(d) {
      log.push(`verify+${d.id}`);
      await delay(opts.verifyMs?.(d.id) ?? 5);
      if (opts.failVerifyAt === d.id) throw new Error(`device lost during block ${d.id}`);
      log.push(`verify-${d.id}`);
      return Uint8Array.from(d.xs, (x) => (x % 2 === 0 ? 1 : 0));
    },
    async execute(d, v) {
      executing++;
      maxConcurrentExecute = Math.max(maxConcurrentExecute, executing);
      log.push(`execute+${d.id}`);
      await delay(10);
      if (opts.failExecuteAt === d.id) { executing--; throw new Error(`boom at ${d.id}`); }
      const receipts = new Uint8Array(d.xs.length);
      d.xs.forEach((x, i) => { if (v[i]) sum += x; else receipts[i] = 2; });
      log.push(`execute-${d.id}`);
      executing--;
      return { id: d.id, sum, receipts };
    },
    async commit(e) {
      await delay(3);
      return Uint8Array.of(e.sum & 0xff, e.sum >> 8);
    },
    outcome: (_d, v, e) => ({ validity: v, receipts: e.receipts }),
  };
  return { stages, maxConcurrentExecute: () => maxConcurrentExecute };
}

const blocks = Array.from({ length: 8 }, (_, b) => [b, ...Array.from({ length: 5 }, (_, i) => b * 10 + i)]);

function sequentialRoots(): number[] {
  let sum = 0;
  return blocks.map((xs) => { for (const x of xs) if (x % 2 === 0) sum += x; return sum; });
}

describe('pipeline schedule', () => {
  it('gives the one-at-a-time results while overlapping verification with execution', async () => {
    const log: Log = [];
    const toy = toyStages(log, { verifyMs: (b) => (b % 3 === 0 ? 30 : 5) }); // uneven verify times reorder completions
    const s = createBlockScheduler(toy.stages, { maxBlocksInFlight: 3, initialRoot: new Uint8Array(2) });
    const results = await Promise.all(blocks.map((b) => s.submit(b)));
    const want = sequentialRoots();
    results.forEach((r, i) => {
      expect(r.index).toBe(i);
      expect(r.stateRoot[0] | (r.stateRoot[1] << 8)).toBe(want[i]);
      expect(r.validity).toEqual(Uint8Array.from(blocks[i], (x) => (x % 2 === 0 ? 1 : 0)));
      for (const k of ['decodeMs', 'verifyMs', 'executeMs', 'stateRootMs'] as const) expect(r.timings[k]).toBeGreaterThanOrEqual(0);
    });
    expect(toy.maxConcurrentExecute()).toBe(1);
    // Execution is in block order.
    const execOrder = log.filter((e) => e.startsWith('execute+')).map((e) => Number(e.slice(8)));
    expect(execOrder).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // Block 1 was being verified while block 0 executed.
    expect(log.indexOf('verify+1')).toBeLessThan(log.indexOf('execute-0'));
    expect(Array.from(await s.lastRoot())).toEqual([want[7] & 0xff, want[7] >> 8]);
    // The same blocks one at a time give the same roots.
    const one = createBlockScheduler(toyStages([]).stages, { maxBlocksInFlight: 1, initialRoot: new Uint8Array(2) });
    for (let i = 0; i < blocks.length; i++) expect((await one.submit(blocks[i])).stateRoot).toEqual(results[i].stateRoot);
  });

  it('never holds more than maxBlocksInFlight blocks and back-pressures through ready()', async () => {
    const log: Log = [];
    const s = createBlockScheduler(toyStages(log).stages, { maxBlocksInFlight: 2, initialRoot: new Uint8Array(2) });
    let peak = 0;
    const pending: Promise<unknown>[] = [];
    for (const b of blocks) {
      await s.ready();
      expect(s.inFlight).toBeLessThan(2);
      pending.push(s.submit(b));
      peak = Math.max(peak, s.inFlight);
    }
    await Promise.all(pending);
    expect(peak).toBe(2);
    expect(s.inFlight).toBe(0);
    // Submitting without waiting still only lets 2 blocks in: decode of block k+2 waits for block k to finish.
    const log2: Log = [];
    const s2 = createBlockScheduler(toyStages(log2).stages, { maxBlocksInFlight: 2, initialRoot: new Uint8Array(2) });
    await Promise.all(blocks.map((b) => s2.submit(b)));
    for (let k = 0; k + 2 < blocks.length; k++) expect(log2.indexOf(`verify+${k + 2}`)).toBeGreaterThan(log2.indexOf(`execute-${k}`));
  });

  it('fails the failing block and every later one, naming the first failure; earlier blocks stand', async () => {
    for (const failure of [{ failExecuteAt: 3 }, { failVerifyAt: 3 }]) {
      const s = createBlockScheduler(toyStages([], failure).stages, { maxBlocksInFlight: 3, initialRoot: new Uint8Array(2) });
      const settled = await Promise.allSettled(blocks.map((b) => s.submit(b)));
      expect(settled.slice(0, 3).map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      expect((settled[3] as PromiseRejectedResult).reason.message).toMatch(/boom at 3|device lost during block 3/);
      for (const r of settled.slice(4)) {
        expect(r.status).toBe('rejected');
        expect((r as PromiseRejectedResult).reason.message).toMatch(/not applied: block 3 failed/);
      }
      await expect(s.lastRoot()).rejects.toThrow();
      expect(s.inFlight).toBe(0);
    }
  });

  it('refuses blocks after drain and lets those in flight finish', async () => {
    const s = createBlockScheduler(toyStages([]).stages, { maxBlocksInFlight: 2, initialRoot: new Uint8Array(2) });
    const a = s.submit(blocks[0]);
    const b = s.submit(blocks[1]);
    await s.drain();
    await expect(a).resolves.toMatchObject({ index: 0 });
    await expect(b).resolves.toMatchObject({ index: 1 });
    await expect(s.submit(blocks[2])).rejects.toThrow(/closed/);
    expect(() => createBlockScheduler(toyStages([]).stages, { maxBlocksInFlight: 0, initialRoot: new Uint8Array(2) })).toThrow(/maxBlocksInFlight/);
  });
});
