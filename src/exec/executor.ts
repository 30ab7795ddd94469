// Executing a decoded block against the account state: a sequential
// reference, and a parallel executor whose receipts and state equal it for
// every worker count.
//
// Where the time goes (bench/execute.ts): applying a transfer is a few u32
// operations on two records, while finding those records (hashing two keys,
// probing, comparing 32 bytes, mostly cache misses over 1M accounts) is most
// of the per-transaction cost. Lookups are read-only, so they parallelize
// without any conflict; the state updates are tiny and run in block order on
// one thread, which makes the result sequential by construction whatever the
// block's dependency pattern (hot accounts, chains, creations).
//
// Schedule of one parallel block, with H helper workers:
//   coordinator: [0, k) resolve+apply inline  | wait |  apply [k, n) with resolved cells
//   helpers:     resolve [k, n) in H ranges   |
// k is chosen from measured speeds so both sides finish together. Helpers
// only compare accounts that existed at block start (findCellBefore), so the
// coordinator may append new accounts meanwhile; a key they did not find is
// looked up again when applied. No message per transaction: one comlink call
// per helper per block, data in SharedArrayBuffers, ordered by Atomics.
import { createWorkerPool, siblingModule, splitRange, type WorkerPool } from '../pool/worker-pool.js';
import type { AccountState } from '../state/account-state.js';
import { applyRange, resolveAndApply, TouchSet } from './apply.js';
import type { DecodedBlock } from './decode.js';
import type { ResolveWorkerApi } from './resolve-worker.js';

export interface BlockExecution {
  /** One receipt code (SPEC §5) per record. */
  receipts: Uint8Array;
  /** Slots whose leaf changed, each once (new accounts included, in creation order among themselves). */
  touched: Uint32Array;
  /** The 48-byte leaves of `touched`, in the same order: what the state root needs. */
  leaves: Uint8Array;
  /** Accounts this block created (slots [accounts − created, accounts)). */
  created: number;
  /** How the block ran. */
  mode: 'sequential' | 'parallel';
}

function checkInputs(block: DecodedBlock, validity: Uint8Array): void {
  if (!(validity instanceof Uint8Array) || validity.length !== block.count) {
    throw new RangeError(`validity mask has ${validity?.length} entries for a block of ${block.count} records`);
  }
}

function finish(state: AccountState, touched: TouchSet, receipts: Uint8Array, countAtStart: number, mode: BlockExecution['mode']): BlockExecution {
  return { receipts, touched: touched.slots(), leaves: state.leavesOfCells(touched.cells, touched.size), created: state.count - countAtStart, mode };
}

/**
 * The reference: every record in block order on this thread. `validity` has
 * one byte per record (1 = signature valid), as validityFromVerdicts makes it.
 */
export function executeSequential(
  state: AccountState, block: DecodedBlock, validity: Uint8Array, touched = new TouchSet(), cells: Int32Array = new Int32Array(2 * block.count),
): BlockExecution {
  checkInputs(block, validity);
  state.reserve(block.count);
  const countAtStart = state.count;
  touched.begin(state.capacity, 2 * block.count);
  const receipts = new Uint8Array(block.count);
  resolveAndApply(state, block, validity, cells.length >= 2 * block.count ? cells : new Int32Array(2 * block.count), 0, block.count, receipts, touched, countAtStart);
  return finish(state, touched, receipts, countAtStart, 'sequential');
}

export interface ExecutorOptions {
  /**
   * Threads that share a block, the calling one included (default: every
   * core). 1 means the sequential executor and no worker pool.
   */
  workers?: number;
  /** Blocks with fewer records run sequentially: below this, one round of messages costs more than it saves. */
  minParallelRecords?: number;
  /**
   * Fixes the coordinator's share of a parallel block (0..1) instead of
   * balancing it from measurements; for tests that must exercise every split.
   */
  coordinatorShare?: number;
}

export interface Executor {
  readonly state: AccountState;
  /** Threads sharing a block, this one included. */
  readonly workers: number;
  /**
   * Applies a block: receipts, touched slots and their leaves. Blocks must be
   * executed one at a time, in order (the pipeline serializes them).
   */
  execute(block: DecodedBlock, validity: Uint8Array): Promise<BlockExecution>;
  destroy(): Promise<void>;
}

/** Measured here (bench/execute.ts): below ~2k records a parallel round does not pay for its messages. */
export const DEFAULT_MIN_PARALLEL_RECORDS = 2048;

export async function createExecutor(state: AccountState, options: ExecutorOptions = {}): Promise<Executor> {
  const { defaultWorkerCount } = await import('../pool/worker-pool.js');
  const workers = options.workers ?? await defaultWorkerCount();
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be a positive integer, got ${workers}`);
  const minParallel = options.minParallelRecords ?? DEFAULT_MIN_PARALLEL_RECORDS;
  const touched = new TouchSet();
  if (workers === 1) {
    return {
      state, workers,
      async execute(block, validity) { return executeSequential(state, block, validity, touched); },
      async destroy() { /* nothing to end */ },
    };
  }

  const pool: WorkerPool<ResolveWorkerApi> = await createWorkerPool<ResolveWorkerApi>(siblingModule('resolve-worker', import.meta.url), workers - 1);
  const control = new Int32Array(new SharedArrayBuffer(8));
  let cells = new Int32Array(new SharedArrayBuffer(8 * 1024));
  let attachedGeneration = -1;
  // Measured costs in ms per record: the coordinator resolving+applying
  // inline, a helper resolving, and the coordinator applying resolved
  // records. Exponential averages; they steer the split and the fallback.
  let inlineCost = 1, resolveCost = 1, appliedCost = 0.25;
  let parallelBlocks = 0;
  let busy = false;
  let destroyed = false;

  async function attach(): Promise<void> {
    if (attachedGeneration === state.generation) return;
    const buffers = state.buffers();
    await Promise.all(pool.workers.map((w) => w.attach(buffers)));
    attachedGeneration = state.generation;
  }

  async function runParallel(block: DecodedBlock, validity: Uint8Array): Promise<BlockExecution> {
    const n = block.count;
    state.reserve(n); // growth happens here, between blocks, before helpers read
    await attach();
    const countAtStart = state.count;
    touched.begin(state.capacity, 2 * n);
    if (cells.length < 2 * n) cells = new Int32Array(new SharedArrayBuffer(8 * n));
    const receipts = new Uint8Array(n);
    const h = pool.size;
    // Coordinator's share: equal finishing times for inline work on [0, k)
    // and H helpers resolving [k, n).
    const helperRate = h / resolveCost;
    const share = options.coordinatorShare ?? (1 / inlineCost) / (1 / inlineCost + helperRate);
    const k = Math.max(0, Math.min(n, Math.round(n * share)));
    const ranges = splitRange(n - k, h).map(([a, b]) => [a + k, b + k] as const);
    Atomics.add(control, 0, 1);
    Atomics.store(control, 1, 0);
    const jobs = ranges.map(([start, end], j) => pool.workers[j].resolve({
      keys: block.keys.buffer as SharedArrayBuffer,
      wellFormed: block.wellFormed.buffer as SharedArrayBuffer,
      cells: cells.buffer as SharedArrayBuffer,
      control: control.buffer as SharedArrayBuffer,
      start, end, limit: countAtStart,
    }));
    const t0 = performance.now();
    resolveAndApply(state, block, validity, cells, 0, k, receipts, touched, countAtStart);
    const t1 = performance.now();
    const helperMs = await Promise.all(jobs);
    if (Atomics.load(control, 1) !== ranges.length) throw new Error('executor: a helper did not finish its range');
    const t2 = performance.now();
    applyRange(state, block, validity, cells, k, n, receipts, touched, countAtStart);
    const t3 = performance.now();
    if (k > 0) inlineCost = 0.7 * inlineCost + 0.3 * ((t1 - t0) / k);
    const resolved = n - k;
    if (resolved > 0) {
      const perHelper = helperMs.reduce((x, y) => x + y, 0) / ranges.length / (resolved / ranges.length);
      resolveCost = 0.7 * resolveCost + 0.3 * perHelper;
      appliedCost = 0.7 * appliedCost + 0.3 * ((t3 - t2) / resolved);
    }
    parallelBlocks++;
    return finish(state, touched, receipts, countAtStart, 'parallel');
  }

  /**
   * Parallel only where it wins: big enough blocks, and only while the
   * measured schedule beats the measured inline (sequential) cost. The model:
   * coordinator time = k·inline + (n − k)·applied, k as in runParallel.
   */
  function parallelPays(n: number): boolean {
    if (n < minParallel) return false;
    if (parallelBlocks < 2 || options.coordinatorShare !== undefined) return true; // measure first
    const helperRate = pool.size / resolveCost;
    const share = (1 / inlineCost) / (1 / inlineCost + helperRate);
    const predicted = share * inlineCost + (1 - share) * appliedCost;
    // Re-probe now and then so a machine that got less busy is noticed.
    return predicted < 0.95 * inlineCost || parallelBlocks % 16 === 0;
  }

  return {
    state, workers,
    async execute(block, validity) {
      if (destroyed) throw new Error('executor: destroyed');
      if (busy) throw new Error('executor: one block at a time (await the previous execute)');
      checkInputs(block, validity);
      busy = true;
      try {
        if (!parallelPays(block.count)) {
          const t0 = performance.now();
          const r = executeSequential(state, block, validity, touched, cells);
          if (block.count > 0) inlineCost = 0.7 * inlineCost + 0.3 * ((performance.now() - t0) / block.count);
          // Count sequential blocks too, so the periodic re-probe happens.
          if (block.count >= minParallel) parallelBlocks++;
          return r;
        }
        return await runParallel(block, validity);
      } finally {
        busy = false;
      }
    },
    async destroy() {
      destroyed = true;
      await pool.destroy();
    },
  };
}
