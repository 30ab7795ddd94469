// A helper thread of the parallel executor: runs the clean transactions of
// the chunks of a block it claims (src/exec/disjoint.ts) on the shared state. One call
// per block (comlink, control only); the data stays in SharedArrayBuffers.
import { exposeWorkerApi } from '../pool/worker-pool.js';
import { AccountState, type StateBuffers } from '../state/account-state.js';
import { decodeBlock } from './decode.js';
import { syntheticBlock, syntheticKey } from './synthetic.js';
import { runCleanChunks } from './disjoint.js';
import { APPLIED, resolveChunksAhead } from './resolve-ahead.js';

let records: Int32Array = new Int32Array(16 * 32);
let u32: Uint32Array = new Uint32Array(records.buffer);
let seed = 0;

export interface HelperJob {
  keys: SharedArrayBuffer;
  values: SharedArrayBuffer;
  wellFormed: SharedArrayBuffer;
  validity: SharedArrayBuffer;
  receipts: SharedArrayBuffer;
  dirty: SharedArrayBuffer;
  touchedSlots: SharedArrayBuffer;
  touchedLeaves: SharedArrayBuffer;
  /** The block's TouchSet (see HelperColumns). */
  touchEpoch: number;
  ticketBase: number;
  ticketIndex: SharedArrayBuffer;
  blockLeaves: SharedArrayBuffer;
  /** Int32 control words: [0] = block sequence published by the coordinator, [1] = helpers done, [2] = next chunk. */
  control: SharedArrayBuffer;
  chunkDirty: SharedArrayBuffer;
  chunkTouched: SharedArrayBuffer;
  n: number;
  /** Set for a second round: the positions' record indices. */
  order?: SharedArrayBuffer;
  chunk: number;
  /** Accounts that existed when the block started. */
  limit: number;
}

/** A resolve-ahead block (src/exec/resolve-ahead.ts): the columns the helper resolves. */
export interface ResolveJob {
  keys: SharedArrayBuffer;
  wellFormed: SharedArrayBuffer;
  cells: SharedArrayBuffer;
  /** Int32 control words: [0] block sequence, [1] helpers done, [NEXT_CHUNK], [APPLIED] (resolve-ahead.ts). */
  control: SharedArrayBuffer;
  chunkDone: SharedArrayBuffer;
  n: number;
  limit: number;
}

export interface HelperResult {
  chunks: number;
  ms: number;
}

export const helperWorkerApi = {
  warmUp,
  attach(buffers: StateBuffers): void {
    records = new Int32Array(buffers.records);
    u32 = new Uint32Array(buffers.records);
    seed = buffers.seed;
  },
  run(job: HelperJob): HelperResult {
    const t0 = performance.now();
    const control = new Int32Array(job.control);
    // The Atomics pair orders the coordinator's writes (columns, state)
    // before these reads, and these writes (state, receipts, lists) before
    // the coordinator's reads.
    Atomics.load(control, 0);
    const chunks = runCleanChunks({
      records, u32, seed,
      keys: new Int32Array(job.keys),
      values: new Uint32Array(job.values),
      wellFormed: new Uint8Array(job.wellFormed),
      validity: new Uint8Array(job.validity),
      receipts: new Uint8Array(job.receipts),
      dirty: new Int32Array(job.dirty),
      touchedSlots: new Int32Array(job.touchedSlots),
      touchedLeaves: new Uint32Array(job.touchedLeaves),
      touchEpoch: job.touchEpoch,
      ticketBase: job.ticketBase,
      ticketIndex: new Int32Array(job.ticketIndex),
      blockLeaves: new Uint32Array(job.blockLeaves),
    }, {
      n: job.n, chunk: job.chunk, limit: job.limit, control, order: job.order ? new Int32Array(job.order) : undefined,
      chunkDirty: new Int32Array(job.chunkDirty), chunkTouched: new Int32Array(job.chunkTouched),
    });
    Atomics.add(control, 1, 1);
    return { chunks, ms: performance.now() - t0 };
  },
  resolveAhead(job: ResolveJob): HelperResult {
    const t0 = performance.now();
    const control = new Int32Array(job.control);
    Atomics.load(control, 0);
    const chunks = resolveChunksAhead({
      records, seed, keys: new Int32Array(job.keys), wellFormed: new Uint8Array(job.wellFormed), cells: new Int32Array(job.cells),
      control, chunkDone: new Int32Array(job.chunkDone), n: job.n, limit: job.limit,
    });
    Atomics.add(control, 1, 1);
    return { chunks, ms: performance.now() - t0 };
  },
};

/**
 * Compiles the hot code before the first real block: a worker's first
 * blocks otherwise run in the interpreter, which would both slow them and
 * mislead the executor's measurements. Works on a private state.
 */
function warmUp(): void {
  const accounts = 4096;
  const st = new AccountState(accounts, 1);
  for (let i = 0; i < accounts; i++) st.append(syntheticKey(1, i), 1n << 40n);
  const d = decodeBlock(syntheticBlock({ pattern: 'chains', accounts, transactions: 8192, seed: 1 }, new Map()));
  const n = d.count;
  const validity = new Uint8Array(n).fill(1);
  const cols = {
    records: st.records, u32: st.u32, seed: st.seed, keys: d.keys, values: d.values, wellFormed: d.wellFormed, validity,
    receipts: new Uint8Array(n), dirty: new Int32Array(n), touchedSlots: new Int32Array(2 * n), touchedLeaves: new Uint32Array(2 * n * 12),
    // One epoch for every round, so later rounds also run the path that
    // refreshes a leaf an earlier round wrote (all land on leaf 0 here).
    touchEpoch: 1, ticketBase: 0, ticketIndex: new Int32Array(8 * n), blockLeaves: new Uint32Array(12),
  };
  for (let round = 0; round < 4; round++) {
    runCleanChunks({ ...cols, ticketBase: 2 * n * round }, {
      n, chunk: 512, limit: st.count, control: new Int32Array(3),
      chunkDirty: new Int32Array(n), chunkTouched: new Int32Array(n),
    });
    resolveChunksAhead({
      records: st.records, seed: st.seed, keys: d.keys, wellFormed: d.wellFormed, cells: new Int32Array(2 * n),
      control: new Int32Array(APPLIED + 1).fill(1 << 30, APPLIED), chunkDone: new Int32Array(n), n, limit: st.count,
    });
  }
}

export type HelperWorkerApi = typeof helperWorkerApi;

await exposeWorkerApi(helperWorkerApi);
