// A helper thread of the parallel executor: resolves key → slot for a range
// of a block's records, reading the shared state and writing the shared slot
// column. One call per block (comlink, control only); the data never moves.
import { exposeWorkerApi } from '../pool/worker-pool.js';
import type { StateBuffers } from '../state/account-state.js';
import { resolveCells } from './apply.js';

let records: Int32Array = new Int32Array(16 * 32);
let seed = 0;

export interface ResolveJob {
  keys: SharedArrayBuffer;
  wellFormed: SharedArrayBuffer;
  cells: SharedArrayBuffer;
  /** Int32 control words: [0] = block sequence published by the coordinator, [1] = helpers done. */
  control: SharedArrayBuffer;
  start: number;
  end: number;
  /** Accounts that existed when the block started. */
  limit: number;
}

export const resolveWorkerApi = {
  attach(buffers: StateBuffers): void {
    records = new Int32Array(buffers.records);
    seed = buffers.seed;
  },
  /** Returns the milliseconds it spent, which the coordinator uses to balance the split. */
  resolve(job: ResolveJob): number {
    const t0 = performance.now();
    const control = new Int32Array(job.control);
    // The Atomics pair orders the coordinator's writes (keys, state) before
    // these reads and these writes (cells) before the coordinator's reads.
    Atomics.load(control, 0);
    resolveCells(records, seed, job.limit, new Int32Array(job.keys), new Uint8Array(job.wellFormed),
      new Int32Array(job.cells), job.start, job.end);
    Atomics.add(control, 1, 1);
    return performance.now() - t0;
  },
};

export type ResolveWorkerApi = typeof resolveWorkerApi;

await exposeWorkerApi(resolveWorkerApi);
