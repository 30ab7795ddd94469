// Executing a decoded block against the account state: a sequential
// reference, and a parallel executor whose receipts and state equal it for
// every worker count.
//
// Where the time goes (bench/execute.ts): applying a transfer is a few u32
// operations, while reaching its two accounts over 1M of them (hashing two
// keys, cache and TLB misses) is nearly all of the cost. So each account
// should be touched by one thread, once.
//
// Schedule of one parallel block (src/exec/disjoint.ts): every thread claims
// chunks in order and runs the transactions that share no account with any
// earlier one ("clean"); the others are deferred and run afterwards, in
// block order, on this thread, which also creates every new account (slots
// in block order). Each write copies its account's leaf as it happens, so
// nothing is gathered after the block.
// Receipts and state equal sequential application for any chunking and any
// thread count. No message per transaction: one comlink call per helper per
// phase, data in SharedArrayBuffers, ordered by Atomics. A hot account makes
// most transactions deferred; busy cores slow helpers; small blocks do not
// pay for the messages: 'auto' measures both modes and runs the faster.
import { createWorkerPool, siblingModule, type WorkerPool } from '../pool/worker-pool.js';
import { LEAF_WORDS, type AccountState } from '../state/account-state.js';
import { applyRange, resolveAndApply, TouchSet } from './apply.js';
import { runCleanChunks } from './disjoint.js';
import type { DecodedBlock } from './decode.js';
import type { HelperWorkerApi } from './helper-worker.js';

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
  /**
   * For a parallel block: its chunks, those the calling thread ran, the
   * records the first round deferred, and those left to the ordered pass.
   */
  split?: { chunks: number; byCoordinator: number; deferred: number; ordered: number };
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
  /** Records per chunk of a parallel block (default n / (8 · threads), within [256, 4096]). */
  chunkRecords?: number;
  /** A second parallel round runs over the deferred records when there are at least this many (default 2048) and at most half the block. */
  minSecondRound?: number;
  /** false: the calling thread only coordinates and helpers run every chunk (tests use it to pin the schedule). */
  coordinatorJoins?: boolean;
  /**
   * 'auto' (default) runs each block the way measured to be faster;
   * 'parallel' always runs blocks of at least minParallelRecords in parallel
   * (benchmarks compare the two schedules with it).
   */
  schedule?: 'auto' | 'parallel';
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

/**
 * Smaller blocks always run sequentially: in bench/execute.ts 10k-record
 * blocks lost in parallel (0.6–0.9×: messages and per-block setup against a
 * cache-resident state); 'auto' measures bigger ones.
 */
export const DEFAULT_MIN_PARALLEL_RECORDS = 16384;
const SECOND_ROUND_MIN = 2048;
/**
 * 'auto' runs parallel only while its median time per record is at most this
 * share of the sequential one: the bound is "never more than 10%
 * slower than sequential", and a margin keeps noise from choosing a mode
 * that is not really faster.
 */
const PARALLEL_MARGIN = 0.9;
/** Blocks of each mode whose times 'auto' keeps (the median of these decides). */
const SAMPLES = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export async function createExecutor(state: AccountState, options: ExecutorOptions = {}): Promise<Executor> {
  const { defaultWorkerCount } = await import('../pool/worker-pool.js');
  const workers = options.workers ?? await defaultWorkerCount();
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be a positive integer, got ${workers}`);
  if (options.chunkRecords !== undefined && !(Number.isInteger(options.chunkRecords) && options.chunkRecords >= 1)) {
    throw new RangeError(`chunkRecords must be a positive integer, got ${options.chunkRecords}`);
  }
  const minParallel = options.minParallelRecords ?? DEFAULT_MIN_PARALLEL_RECORDS;
  const touched = new TouchSet();
  if (workers === 1) {
    return {
      state, workers,
      async execute(block, validity) { return executeSequential(state, block, validity, touched); },
      async destroy() { /* nothing to end */ },
    };
  }

  const pool: WorkerPool<HelperWorkerApi> = await createWorkerPool<HelperWorkerApi>(siblingModule('helper-worker', import.meta.url), workers - 1);
  try {
    await Promise.all(pool.workers.map((w) => w.warmUp()));
  } catch (e) {
    await pool.destroy(); // a failed start must not leave threads keeping the process alive
    throw e;
  }
  const control = new Int32Array(new SharedArrayBuffer(12));
  // Shared per-block columns, grown as blocks grow.
  let capacity = 0;
  let validityS: Uint8Array = new Uint8Array(0), receiptsS: Uint8Array = new Uint8Array(0);
  let chunkDirty: Int32Array = new Int32Array(0), chunkTouched: Int32Array = new Int32Array(0);
  let dirty: Int32Array = new Int32Array(0), touchedSlots: Int32Array = new Int32Array(0);
  let touchedLeaves: Uint32Array = new Uint32Array(0);
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
  };
  let attachedGeneration = -1;
  // Measured whole-block ms per record of each mode, the last few blocks of
  // each: their medians choose the mode (a median, so one block slowed by a
  // GC pause or a busy core does not flip the choice).
  const seqSamples: number[] = [], parSamples: number[] = [];
  const record = (xs: number[], x: number) => { xs.push(x); if (xs.length > SAMPLES) xs.shift(); };
  // The first block of each mode compiles its code (here and in every
  // worker): it is not a measurement.
  let seqBlocks = 0, parBlocks = 0;
  let blocksSeen = 0;
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
    ensure(n);
    const countAtStart = state.count;
    // Tickets: 2 per position for each round (the second has at most n/2
    // positions), then one per first write of the ordered pass (at most 2n).
    touched.begin(state, 2 * n, 5 * n);
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
      mode: 'parallel', split: { chunks: first.chunks, byCoordinator: first.byCoordinator, deferred: first.deferred.length, ordered: rest.length },
    };
  }

  /**
   * Parallel only where it wins: big enough blocks, and only while its
   * measured time per record beats the sequential one (a hot account makes
   * nearly everything deferred, for instance; so do busy cores).
   */
  function chooseParallel(n: number): boolean {
    if (n < minParallel) return false;
    if (options.schedule === 'parallel') return true;
    blocksSeen++;
    // Two measured blocks of each mode (the first of each is not measured) before choosing.
    if (seqBlocks < 3) return false;
    if (parBlocks < 3) return true;
    // Parallel only when it measured clearly faster: within the margin the
    // two are noise apart (bench/execute.ts: uniform transfers measured 0.95×
    // and 1.16× on two runs), and sequential is the one that cannot lose to
    // itself. So apart from the 6 measuring blocks (3 of each mode, the first
    // of each unmeasured: blocks 4–6 run parallel whatever it costs) and the
    // probes, auto runs parallel only where it measured ≥ 10% faster.
    const parWins = median(parSamples) <= PARALLEL_MARGIN * median(seqSamples);
    // Probe the other mode once in 32 blocks: a changed workload or machine
    // load is noticed (parallel falls back when it stops winning by the
    // margin), and a losing probe costs at most 1/32 of the time.
    if (blocksSeen % 32 === 0) return !parWins;
    return parWins;
  }

  return {
    state, workers,
    async execute(block, validity) {
      if (destroyed) throw new Error('executor: destroyed');
      if (busy) throw new Error('executor: one block at a time (await the previous execute)');
      checkInputs(block, validity);
      busy = true;
      try {
        const n = block.count;
        const t0 = performance.now();
        if (!chooseParallel(n)) {
          const r = executeSequential(state, block, validity, touched);
          if (n >= minParallel && seqBlocks++ > 0) {
            record(seqSamples, (performance.now() - t0) / n);
          }
          return r;
        }
        const r = await runParallel(block, validity);
        if (n >= minParallel && parBlocks++ > 0) record(parSamples, (performance.now() - t0) / n);
        // More than half the block left to the ordered pass (a hot account):
        // that pass alone costs over half the sequential time, so parallel
        // cannot pay for its rounds; stop measuring it until the next probe.
        if (n >= minParallel && r.split && r.split.ordered > n / 2 && seqSamples.length > 0) {
          parBlocks = Math.max(parBlocks, 3);
          parSamples.length = 0;
          parSamples.push(1.25 * median(seqSamples));
        }
        return r;
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
