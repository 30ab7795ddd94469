// Executing a decoded block against the account state: a sequential
// reference, and a parallel executor whose receipts and state equal it for
// every worker count.
//
// Where the time goes (bench/execute.ts): applying a transfer is a few u32
// operations, while reaching its two accounts over 1M of them (hashing two
// keys, cache and TLB misses) is nearly all of the cost. So each account
// should be touched by one thread, once.
//
// Two parallel schedules share the helper threads:
//   - resolve-ahead (src/exec/resolve-ahead.ts): helpers look the keys up
//     ahead of this thread, which applies every transaction in block order;
//   - disjoint (src/exec/disjoint.ts): every thread claims chunks in order
//     and runs the transactions that share no account with any earlier one
//     ("clean"); the others are deferred and run afterwards, in block order,
//     on this thread, which also creates every new account (slots in block
//     order).
// Both give the sequential receipts and state for any chunking and any
// thread count. No message per transaction: one comlink call per helper per
// phase, data in SharedArrayBuffers, ordered by Atomics. Each write copies
// its account's leaf as it happens, so nothing is gathered after the block.
// Which schedule wins depends on the machine and the workload (a hot account
// defeats the disjoint one; small blocks pay for no messages), so 'auto'
// measures them and the sequential one on real blocks and runs the fastest
// (src/exec/mode-choice.ts).
import { DestroyedError } from '../errors.js';
import { closableFromDestroy } from '../lifecycle.js';
import { createWorkerPool, defaultWorkerCount, siblingModule, type WorkerModule, type WorkerPool } from '../pool/worker-pool.js';
import { LEAF_WORDS, type AccountState } from '../state/account-state.js';
import { applyRange, resolveAndApply, TouchSet } from './apply.js';
import { runCleanChunks } from './disjoint.js';
import { ModeChooser, type ExecutionMode, type ParallelMode } from './mode-choice.js';
import { APPLIED, applyResolvedAhead, NEXT_CHUNK, RESOLVE_CHUNK } from './resolve-ahead.js';
import type { DecodedBlock } from './decode.js';
import type { HelperWorkerApi } from './helper-worker.js';

export interface BlockExecution {
  /** One receipt code (docs/transactions.md) per record. */
  receipts: Uint8Array;
  /** Slots whose leaf changed, each once (new accounts included, in creation order among themselves). */
  touched: Uint32Array;
  /** The 48-byte leaves of `touched`, in the same order: what the state root needs. */
  leaves: Uint8Array;
  /** Accounts this block created (slots [accounts − created, accounts)). */
  created: number;
  /** How the block ran. */
  mode: ExecutionMode;
  /**
   * For a disjoint block: its chunks, those the calling thread ran, the
   * records the first round deferred, and those left to the ordered pass.
   * For a resolve-ahead block: its chunks and those the calling thread resolved.
   */
  split?: { chunks: number; byCoordinator: number; deferred?: number; ordered?: number };
}

function checkInputs(block: DecodedBlock, validity: Uint8Array): void {
  if (!(validity instanceof Uint8Array) || validity.length !== block.count) {
    throw new RangeError(`validity mask has ${validity?.length} entries for a block of ${block.count} records`);
  }
}

function finish(state: AccountState, touched: TouchSet, receipts: Uint8Array, countAtStart: number, mode: BlockExecution['mode']): BlockExecution {
  return { receipts, touched: touched.slots(), leaves: touched.leaves(), created: state.count - countAtStart, mode };
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
  touched.begin(state, 2 * block.count);
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
  /** Records per chunk of a disjoint block (default n / (8 · threads), within [256, 4096]). */
  chunkRecords?: number;
  /** A second parallel round runs over the deferred records when there are at least this many (default 2048) and at most half the block. */
  minSecondRound?: number;
  /** false: the calling thread only coordinates (disjoint) or applies (resolve-ahead), and helpers run every chunk (tests use it to pin the schedule). */
  coordinatorJoins?: boolean;
  /**
   * 'auto' (default) runs each block the way measured to be fastest;
   * 'resolve-ahead' and 'disjoint' run every block of at least
   * minParallelRecords that way (benchmarks compare the schedules with them).
   */
  schedule?: 'auto' | ParallelMode;
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
  /** Ends the helper threads. Idempotent. */
  close(): Promise<void>;
  /** `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
  /** @deprecated Use `close()`. */
  destroy(): Promise<void>;
}

/**
 * Smaller blocks always run sequentially: in bench/execute.ts 10k-record
 * blocks lost under the disjoint schedule (0.6–0.9×: messages and per-block
 * setup against a cache-resident state; resolve-ahead was not measured
 * there); 'auto' measures bigger ones.
 */
/** The helper worker; `web` is the literal pattern bundlers follow (see WorkerModule). */
const helperWorker: WorkerModule = {
  web: () => new Worker(new URL('./helper-worker.js', import.meta.url), { type: 'module' }),
  node: () => siblingModule('helper-worker', import.meta.url),
};

export const DEFAULT_MIN_PARALLEL_RECORDS = 16384;
const SECOND_ROUND_MIN = 2048;

export async function createExecutor(state: AccountState, options: ExecutorOptions = {}): Promise<Executor> {
  const workers = options.workers ?? await defaultWorkerCount();
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be a positive integer, got ${workers}`);
  if (options.chunkRecords !== undefined && !(Number.isInteger(options.chunkRecords) && options.chunkRecords >= 1)) {
    throw new RangeError(`chunkRecords must be a positive integer, got ${options.chunkRecords}`);
  }
  const schedule = options.schedule ?? 'auto';
  if (!['auto', 'resolve-ahead', 'disjoint'].includes(schedule)) throw new RangeError(`schedule must be auto, resolve-ahead or disjoint, got ${schedule}`);
  const minParallel = options.minParallelRecords ?? DEFAULT_MIN_PARALLEL_RECORDS;
  const touched = new TouchSet();
  // The sequential path's key → cell scratch, kept between blocks (2 int32 per record).
  let seqCells = new Int32Array(0);
  const sequential = (block: DecodedBlock, validity: Uint8Array) => {
    if (seqCells.length < 2 * block.count) seqCells = new Int32Array(2 * block.count);
    return executeSequential(state, block, validity, touched, seqCells);
  };
  if (workers === 1) {
    const single = closableFromDestroy({
      state, workers,
      async execute(block: DecodedBlock, validity: Uint8Array) { return sequential(block, validity); },
      async destroy() { /* nothing to end */ },
    });
    return single;
  }

  const pool: WorkerPool<HelperWorkerApi> = await createWorkerPool<HelperWorkerApi>(helperWorker, workers - 1);
  try {
    await Promise.all(pool.workers.map((w) => w.warmUp()));
  } catch (e) {
    await pool.destroy(); // a failed start must not leave threads keeping the process alive
    throw e;
  }
  // [0] block sequence, [1] helpers done, [2] next disjoint chunk, [NEXT_CHUNK] and [APPLIED]: resolve-ahead.
  const control = new Int32Array(new SharedArrayBuffer(4 * (APPLIED + 1)));
  // Shared per-block columns, grown as blocks grow.
  let capacity = 0;
  let validityS: Uint8Array = new Uint8Array(0), receiptsS: Uint8Array = new Uint8Array(0);
  let chunkDirty: Int32Array = new Int32Array(0), chunkTouched: Int32Array = new Int32Array(0);
  let dirty: Int32Array = new Int32Array(0), touchedSlots: Int32Array = new Int32Array(0);
  let touchedLeaves: Uint32Array = new Uint32Array(0);
  let aheadCells: Int32Array = new Int32Array(0), chunkDone: Int32Array = new Int32Array(0);
  const ensure = (n: number) => {
    if (n <= capacity) return;
    capacity = Math.max(n, 2 * capacity, 1024);
    validityS = new Uint8Array(new SharedArrayBuffer(capacity));
    receiptsS = new Uint8Array(new SharedArrayBuffer(capacity));
    dirty = new Int32Array(new SharedArrayBuffer(4 * capacity));
    chunkDirty = new Int32Array(new SharedArrayBuffer(4 * capacity));
    chunkTouched = new Int32Array(new SharedArrayBuffer(4 * capacity));
    touchedSlots = new Int32Array(new SharedArrayBuffer(8 * capacity));
    touchedLeaves = new Uint32Array(new SharedArrayBuffer(8 * LEAF_WORDS * capacity));
    aheadCells = new Int32Array(new SharedArrayBuffer(8 * capacity));
    chunkDone = new Int32Array(new SharedArrayBuffer(4 * Math.ceil(capacity / RESOLVE_CHUNK)));
  };
  let attachedGeneration = -1;
  const chooser = new ModeChooser(['sequential', 'resolve-ahead', 'disjoint']);
  let busy = false;
  let destroyed = false;

  async function attach(): Promise<void> {
    if (attachedGeneration === state.generation) return;
    const buffers = state.buffers();
    await Promise.all(pool.workers.map((w) => w.attach(buffers)));
    attachedGeneration = state.generation;
  }

  /** Common start of a parallel block: room, helpers attached, columns sized, touches begun; returns the account count at block start. */
  async function beginParallelBlock(n: number, maxTickets: number): Promise<number> {
    state.reserve(n); // growth happens here, between blocks, before helpers read
    await attach();
    ensure(n);
    touched.begin(state, 2 * n, maxTickets);
    return state.count;
  }

  async function runResolveAhead(block: DecodedBlock, validity: Uint8Array): Promise<BlockExecution> {
    const n = block.count;
    const countAtStart = await beginParallelBlock(n, 2 * n);
    const chunks = Math.ceil(n / RESOLVE_CHUNK);
    chunkDone.fill(0, 0, chunks);
    Atomics.add(control, 0, 1);
    Atomics.store(control, 1, 0);
    Atomics.store(control, NEXT_CHUNK, 0);
    Atomics.store(control, APPLIED, 0);
    const job = {
      keys: block.keys.buffer as SharedArrayBuffer, wellFormed: block.wellFormed.buffer as SharedArrayBuffer,
      cells: aheadCells.buffer as SharedArrayBuffer, control: control.buffer as SharedArrayBuffer,
      chunkDone: chunkDone.buffer as SharedArrayBuffer, n, limit: countAtStart,
    };
    const jobs = pool.workers.map((w) => w.resolveAhead(job));
    const receipts = new Uint8Array(n);
    let own: number;
    try {
      own = applyResolvedAhead(state, block, validity, {
        records: state.records, seed: state.seed, keys: block.keys, wellFormed: block.wellFormed,
        cells: aheadCells, control, chunkDone, n, limit: countAtStart,
      }, receipts, touched, options.coordinatorJoins !== false);
    } finally {
      // Let helpers stop claiming and waiting even if applying failed part way.
      Atomics.store(control, NEXT_CHUNK, 1 << 30);
      Atomics.store(control, APPLIED, 1 << 30);
      Atomics.notify(control, APPLIED);
      // Helpers may still be writing cells (a chunk this thread redid); the next block must not start before they end.
      await Promise.allSettled(jobs);
    }
    await Promise.all(jobs); // surfaces a helper's error
    return { ...finish(state, touched, receipts, countAtStart, 'resolve-ahead'), split: { chunks, byCoordinator: own } };
  }

  async function runDisjoint(block: DecodedBlock, validity: Uint8Array): Promise<BlockExecution> {
    const n = block.count;
    // Tickets: 2 per position for each round (the second has at most n/2
    // positions), then one per first write of the ordered pass (at most 2n).
    const countAtStart = await beginParallelBlock(n, 5 * n);
    validityS.set(validity);
    const threads = pool.size + 1;
    const columns = {
      keys: block.keys.buffer as SharedArrayBuffer,
      values: block.values.buffer as SharedArrayBuffer,
      wellFormed: block.wellFormed.buffer as SharedArrayBuffer,
      validity: validityS.buffer as SharedArrayBuffer,
      receipts: receiptsS.buffer as SharedArrayBuffer,
      dirty: dirty.buffer as SharedArrayBuffer,
      touchedSlots: touchedSlots.buffer as SharedArrayBuffer,
      touchedLeaves: touchedLeaves.buffer as SharedArrayBuffer,
      control: control.buffer as SharedArrayBuffer,
      chunkDirty: chunkDirty.buffer as SharedArrayBuffer,
      chunkTouched: chunkTouched.buffer as SharedArrayBuffer,
      touchEpoch: touched.epoch,
      ticketIndex: touched.ticketIndex.buffer,
      blockLeaves: touched.leafWords.buffer,
    };
    // One parallel round over `positions` (records, or order[..] in round 2):
    // returns the deferred records in block order, with the touches merged.
    const round = async (positions: number, order?: Int32Array): Promise<{ deferred: Int32Array; chunks: number; byCoordinator: number }> => {
      const chunk = options.chunkRecords ?? Math.max(256, Math.min(4096, Math.ceil(positions / (8 * threads))));
      const chunks = Math.ceil(positions / chunk);
      const ticketBase = touched.reserveTickets(2 * positions);
      Atomics.add(control, 0, 1);
      Atomics.store(control, 1, 0);
      Atomics.store(control, 2, 0);
      const jobs = pool.workers.map((w) => w.run({
        ...columns, ticketBase, n: positions, chunk, limit: countAtStart, order: order?.buffer as SharedArrayBuffer | undefined,
      }));
      // This thread claims chunks too, so a helper the machine slows down
      // holds up one chunk, not a share of the block.
      const mine = options.coordinatorJoins === false ? 0 : runCleanChunks({
        records: state.records, u32: state.u32, seed: state.seed, keys: block.keys, values: block.values,
        wellFormed: block.wellFormed, validity: validityS, receipts: receiptsS, dirty, touchedSlots, touchedLeaves,
        touchEpoch: touched.epoch, ticketBase, ticketIndex: touched.ticketIndex, blockLeaves: touched.leafWords,
      }, { n: positions, order, chunk, limit: countAtStart, control, chunkDirty, chunkTouched });
      const results = await Promise.all(jobs);
      if (Atomics.load(control, 1) !== pool.size) throw new Error('executor: a helper did not finish');
      if (mine + results.reduce((x, r) => x + r.chunks, 0) !== chunks) throw new Error('executor: chunks were lost');
      let total = 0;
      for (let c = 0; c < chunks; c++) total += chunkDirty[c];
      const deferred = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, total)), 0, total);
      let at = 0;
      for (let c = 0; c < chunks; c++) {
        const start = c * chunk;
        for (let x = 0; x < chunkDirty[c]; x++) deferred[at++] = dirty[start + x];
        touched.mergeFirstWrites(touchedSlots, touchedLeaves, 2 * start, 2 * start + chunkTouched[c], ticketBase);
      }
      return { deferred, chunks, byCoordinator: mine };
    };
    const first = await round(n);
    let rest = first.deferred;
    // The deferred records conflict with earlier deferred ones only (every
    // clean record is applied, and a record after a deferred one on a shared
    // account is deferred too), so the same rule runs them in a second
    // round — unless conflicts are dense (a hot account), where it only costs.
    if (rest.length >= (options.minSecondRound ?? SECOND_ROUND_MIN) && rest.length <= n / 2) rest = (await round(rest.length, rest)).deferred;
    // The rest in block order on this thread, which also creates every new account.
    for (let x = 0; x < rest.length; x++) {
      const i = rest[x];
      applyRange(state, block, validity, null, i, i + 1, receiptsS, touched, countAtStart);
    }
    return {
      receipts: receiptsS.slice(0, n), touched: touched.slots(), leaves: touched.leaves(), created: state.count - countAtStart,
      mode: 'disjoint', split: { chunks: first.chunks, byCoordinator: first.byCoordinator, deferred: first.deferred.length, ordered: rest.length },
    };
  }

  function chooseMode(n: number): ExecutionMode {
    if (n < minParallel) return 'sequential';
    return schedule === 'auto' ? chooser.next() : schedule;
  }

  const parallel = closableFromDestroy({
    state, workers,
    async execute(block: DecodedBlock, validity: Uint8Array) {
      if (destroyed) throw new DestroyedError('executor: destroyed');
      if (busy) throw new Error('executor: one block at a time (await the previous execute)');
      checkInputs(block, validity);
      busy = true;
      try {
        const n = block.count;
        const mode = chooseMode(n);
        const t0 = performance.now();
        const r = mode === 'sequential' ? sequential(block, validity)
          : mode === 'resolve-ahead' ? await runResolveAhead(block, validity)
            : await runDisjoint(block, validity);
        if (n >= minParallel) chooser.record(mode, (performance.now() - t0) / n);
        return r;
      } finally {
        busy = false;
      }
    },
    async destroy() {
      destroyed = true;
      await pool.destroy();
    },
  });
  return parallel;
}
