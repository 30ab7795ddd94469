// The pipeline's schedule, apart from what its stages compute: blocks enter
// in submission order, at most `maxBlocksInFlight` at a time; decode and
// signature verification of a block run as soon as it enters (they depend on
// nothing else), execution runs in block order (block k+1 executes on the
// state block k left), and the state root of block k is hashed while block
// k+1 executes (the executor hands over a copy of the touched leaves). Any
// failure breaks the pipeline: the state is then unknown, so every later
// block fails too, naming the first failure, rather than applying to a state
// that misses a block.

import { DestroyedError } from '../errors.js';

/** What one block's stages compute; the pipeline wires real modules in here (and tests wire fakes). */
export interface PipelineStages<Records, Decoded, Executed> {
  decode(records: Records): Decoded;
  /** Signature verdicts for a decoded block: independent of every other block. */
  verify(decoded: Decoded): Promise<Uint8Array>;
  /** Applies the block to the state; runs strictly in block order, one at a time. */
  execute(decoded: Decoded, verdicts: Uint8Array): Promise<Executed> | Executed;
  /** Folds the block's touched leaves into the state tree and returns the root; in block order, one at a time. */
  commit(executed: Executed): Promise<Uint8Array> | Uint8Array;
  /** What the block result reports from an executed block. */
  outcome(decoded: Decoded, verdicts: Uint8Array, executed: Executed): { validity: Uint8Array; receipts: Uint8Array };
}

export interface StageTimings {
  decodeMs: number;
  verifyMs: number;
  executeMs: number;
  stateRootMs: number;
}

/** When each stage of a block ran: [start, end] in performance.now() milliseconds. */
export type StageSpans = Record<'decode' | 'verify' | 'execute' | 'stateRoot', [start: number, end: number]>;

export interface BlockResult {
  /** 0 for the first block submitted to this pipeline. */
  index: number;
  /** One byte per record: 1 = signature valid under the rule set, 0 = invalid or malformed. */
  validity: Uint8Array;
  /** One docs/transactions.md receipt code per record. */
  receipts: Uint8Array;
  /** State root after this block. */
  stateRoot: Uint8Array;
  timings: StageTimings;
  /** Stage intervals, for throughput of overlapping stages (benchmarks take their union). */
  spans: StageSpans;
}

/** Used after close(): a DestroyedError, as every backend throws after destroy(). */
export class PipelineClosedError extends DestroyedError {
  override name = 'PipelineClosedError';
}

export class BlockFailedError extends Error {
  override name = 'BlockFailedError';
}

/** A block withdrawn before it began executing (its consumer left): it was never applied. */
export class BlockWithdrawnError extends Error {
  override name = 'BlockWithdrawnError';
}

export interface BlockScheduler<Records> {
  submit(records: Records): Promise<BlockResult>;
  /** Resolves when a submitted block would enter at once (fewer than maxBlocksInFlight in flight). */
  ready(): Promise<void>;
  readonly inFlight: number;
  /** The root after the last submitted block (waits for it), or `initialRoot` if none. */
  lastRoot(): Promise<Uint8Array>;
  /** Refuses new blocks, then waits for those in flight to settle. */
  drain(): Promise<void>;
  /** Index the next submitted block gets. */
  readonly nextIndex: number;
  /**
   * Blocks `indices` that have not begun executing are never applied: their
   * submit promises reject with BlockWithdrawnError, and the blocks after them
   * apply to the state without them (a withdrawn block is not a failure).
   * Returns how many were withdrawn; the others complete as usual.
   */
  withdraw(indices: Iterable<number>): number;
}

const now = (): number => performance.now();

export function createBlockScheduler<Records, Decoded, Executed>(
  stages: PipelineStages<Records, Decoded, Executed>,
  opts: { maxBlocksInFlight: number; initialRoot: Uint8Array },
): BlockScheduler<Records> {
  const max = opts.maxBlocksInFlight;
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxBlocksInFlight must be a positive integer, got ${max}`);
  let inFlight = 0;
  // FIFO of callers waiting for a slot, so blocks enter in submission order.
  const waiting: Array<() => void> = [];
  const readyWaiters: Array<() => void> = [];
  let nextIndex = 0;
  let closed = false;
  let failure: { index: number; error: unknown } | undefined;
  // Tails of the two ordered chains; they never reject (failures are recorded in `failure`).
  let executeTail: Promise<unknown> = Promise.resolve();
  let commitTail: Promise<unknown> = Promise.resolve();
  let lastRoot: Promise<Uint8Array> = Promise.resolve(opts.initialRoot);
  const settled = new Set<Promise<unknown>>();
  // Blocks that have not begun executing yet (withdrawable), and those withdrawn.
  const notStarted = new Set<number>();
  const withdrawn = new Set<number>();

  const acquire = (): Promise<void> => {
    if (inFlight < max && waiting.length === 0) {
      inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) => waiting.push(() => { inFlight++; resolve(); }));
  };
  const release = (): void => {
    inFlight--;
    const next = waiting.shift();
    if (next) next();
    if (inFlight < max && waiting.length === 0) for (const r of readyWaiters.splice(0)) r();
  };
  const failedBefore = (index: number): Error | undefined => {
    if (!failure || failure.index >= index) return undefined;
    const reason = (failure.error as Error)?.message ?? String(failure.error);
    return new BlockFailedError(`block ${index} not applied: block ${failure.index} failed (${reason})`);
  };
  const recordFailure = (index: number, error: unknown): void => {
    if (!failure || index < failure.index) failure = { index, error };
  };

  const submit = (records: Records): Promise<BlockResult> => {
    if (closed) return Promise.reject(new PipelineClosedError('the pipeline is closed'));
    const index = nextIndex++;
    notStarted.add(index);
    const timings: StageTimings = { decodeMs: 0, verifyMs: 0, executeMs: 0, stateRootMs: 0 };
    const spans: StageSpans = { decode: [0, 0], verify: [0, 0], execute: [0, 0], stateRoot: [0, 0] };
    const entered = acquire();
    const decoded = entered.then(() => {
      const early = failedBefore(index);
      if (early) throw early;
      const t0 = now();
      const d = stages.decode(records);
      const t1 = now();
      timings.decodeMs = t1 - t0;
      spans.decode = [t0, t1];
      return d;
    });
    const verdicts = decoded.then(async (d) => {
      const t0 = now();
      const v = await stages.verify(d);
      const t1 = now();
      timings.verifyMs = t1 - t0;
      spans.verify = [t0, t1];
      return v;
    });
    // Both are awaited later, once the previous block has executed; until
    // then a rejection must not count as unhandled.
    decoded.catch(() => undefined);
    verdicts.catch(() => undefined);
    // Execution waits for the previous block's execution, whatever became of it.
    const executed = executeTail.then(async () => {
      if (withdrawn.has(index)) throw new BlockWithdrawnError(`block ${index} withdrawn before it was applied`);
      const [d, v] = await Promise.all([decoded, verdicts]);
      const early = failedBefore(index);
      if (early) throw early;
      if (withdrawn.has(index)) throw new BlockWithdrawnError(`block ${index} withdrawn before it was applied`);
      notStarted.delete(index);
      const t0 = now();
      const e = await stages.execute(d, v);
      const t1 = now();
      timings.executeMs = t1 - t0;
      spans.execute = [t0, t1];
      return { d, v, e };
    });
    executed.catch(() => notStarted.delete(index));
    // A withdrawn block leaves the state as it was: the blocks after it are not failed.
    executeTail = executed.catch((error) => { if (!(error instanceof BlockWithdrawnError)) recordFailure(index, error); });
    const committed = commitTail.then(async () => {
      const { d, v, e } = await executed;
      const early = failedBefore(index);
      if (early) throw early;
      const t0 = now();
      const stateRoot = Uint8Array.from(await stages.commit(e));
      const t1 = now();
      timings.stateRootMs = t1 - t0;
      spans.stateRoot = [t0, t1];
      const { validity, receipts } = stages.outcome(d, v, e);
      return { index, validity, receipts, stateRoot, timings, spans } satisfies BlockResult;
    });
    commitTail = committed.catch((error) => { if (!(error instanceof BlockWithdrawnError)) recordFailure(index, error); });
    // A withdrawn block's root is the root before it.
    const rootBefore = lastRoot;
    lastRoot = committed.then((r) => r.stateRoot, (e) => { if (e instanceof BlockWithdrawnError) return rootBefore; throw e; });
    lastRoot.catch(() => { /* reported through submit's promise */ });
    // The slot frees when the block has left the pipeline, done or failed.
    const done = entered.then(() => committed).finally(release);
    const tracked = done.then(() => undefined, () => undefined);
    settled.add(tracked);
    void tracked.then(() => settled.delete(tracked));
    return done;
  };

  return {
    submit,
    get inFlight() { return inFlight; },
    ready() {
      if (inFlight < max && waiting.length === 0) return Promise.resolve();
      return new Promise((resolve) => readyWaiters.push(resolve));
    },
    lastRoot: () => lastRoot,
    get nextIndex() { return nextIndex; },
    withdraw(indices) {
      let n = 0;
      for (const i of indices) {
        if (notStarted.has(i) && !withdrawn.has(i)) { withdrawn.add(i); n++; }
      }
      return n;
    },
    async drain() {
      closed = true;
      await Promise.all([...settled]);
    },
  };
}
