// The CPU backend: every core through the worker pool once a tree is big
// enough to pay for the messages (PARALLEL_MIN_LEAVES), one thread below it.
// Work is cut into aligned power-of-two subtrees; their roots are one level
// of the same tree, so the main thread only hashes the few levels above.
import { createWorkerPool, defaultWorkerCount, siblingModule, type WorkerModule, type WorkerPool } from '../pool/worker-pool.js';
import type { MerkleWorkerApi } from './cpu-worker.js';
import { EMPTY_ROOT, inclusionProof, merkleLevels, merkleRoot, proofPositions, toColumnar, type Leaves } from './reference.js';
import { sliceColumnar } from '../gpu/staging.js';

/** Below this many leaves one thread is faster than shipping leaves to workers. */
export const PARALLEL_MIN_LEAVES = 1 << 13;
/** Subtrees per worker, so a short last subtree does not leave cores idle. */
const PARTS_PER_WORKER = 4;

/** The subtree worker; `web` is the literal pattern bundlers follow (see WorkerModule). */
const merkleWorker: WorkerModule = {
  web: () => new Worker(new URL('./cpu-worker.js', import.meta.url), { type: 'module' }),
  node: () => siblingModule('cpu-worker', import.meta.url),
};

export interface CpuMerkleEngine {
  readonly workers: number;
  root(leaves: Leaves): Promise<Uint8Array>;
  proof(leaves: Leaves, index: number): Promise<Uint8Array[]>;
  destroy(): Promise<void>;
}

export async function createCpuMerkleEngine(opts: { workers?: number } = {}): Promise<CpuMerkleEngine> {
  const workers = opts.workers ?? await defaultWorkerCount();
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be a positive integer, got ${workers}`);
  let pool: Promise<WorkerPool<MerkleWorkerApi>> | undefined;
  let destroyed = false;

  async function parallel(leaves: Leaves, index: number): Promise<{ root: Uint8Array; proof: Uint8Array[] }> {
    const col = toColumnar(leaves);
    const n = col.offsets.length - 1;
    let part = 1;
    while (part * workers * PARTS_PER_WORKER < n) part *= 2;
    pool ??= createWorkerPool<MerkleWorkerApi>(merkleWorker, workers);
    const { workers: remotes } = await pool;
    const parts = Math.ceil(n / part);
    const results: Array<{ root: Uint8Array; proof: Uint8Array[] }> = new Array(parts);
    let next = 0;
    await Promise.all(remotes.map(async (w) => {
      for (let p = next++; p < parts; p = next++) {
        const s = sliceColumnar(col, p * part, Math.min(n, (p + 1) * part));
        const inPart = index >= p * part && index < (p + 1) * part ? index - p * part : -1;
        results[p] = await w.subtree(s.data.slice(), s.offsets, inPart);
      }
    }));
    const levels = merkleLevels(results.map((r) => r.root));
    const proof = index < 0 ? [] : [
      ...results[Math.floor(index / part)].proof,
      ...proofPositions(Math.floor(index / part), parts).map(([l, p]) => levels[l][p]),
    ];
    return { root: levels[levels.length - 1][0], proof };
  }

  const useWorkers = (n: number) => workers > 1 && n >= PARALLEL_MIN_LEAVES;
  const check = () => { if (destroyed) throw new Error('merkle hasher: used after destroy()'); };
  const count = (leaves: Leaves) => (Array.isArray(leaves) ? leaves.length : toColumnar(leaves).offsets.length - 1);

  return {
    workers,
    async root(leaves) {
      check();
      const n = count(leaves);
      if (n === 0) return EMPTY_ROOT.slice();
      return useWorkers(n) ? (await parallel(leaves, -1)).root : merkleRoot(leaves);
    },
    async proof(leaves, index) {
      check();
      const n = count(leaves);
      proofPositions(index, n); // names a bad index
      return useWorkers(n) ? (await parallel(leaves, index)).proof : inclusionProof(leaves, index);
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      if (pool) await (await pool).destroy();
    },
  };
}
