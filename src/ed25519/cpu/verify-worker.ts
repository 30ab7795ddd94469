// The CPU verifier's worker module (worker_threads in Node, a Web Worker in
// a browser). Receives whole jobs (see job.ts) and runs engine.ts on them.
import { exposeWorkerApi } from '../../pool/worker-pool.js';
import type { RuleSet } from '../batch.js';
import { hasNodeCrypto, loadNodeCrypto, verifyRange, verifyRangeWebCrypto, type BatchColumns, type CpuEngine } from './engine.js';
import { sharedViews, type CopiedJob, type CpuVerifyWorkerApi, type SharedJob } from './job.js';

const crypto = hasNodeCrypto ? await loadNodeCrypto() : undefined;

/** Items [start, end) with `engine`; WebCrypto's verifies run concurrently. */
async function run(engine: CpuEngine, columns: BatchColumns, rules: RuleSet, start: number, end: number, out: Uint8Array): Promise<void> {
  if (engine === 'webcrypto') await verifyRangeWebCrypto(globalThis.crypto.subtle, columns, rules, start, end, out);
  else verifyRange(engine, crypto, columns, rules, start, end, out);
}

/**
 * Chunks a worker works on at once: with WebCrypto the next chunk's verifies
 * start while the last answers of one chunk are still coming back.
 */
const LANES: Record<CpuEngine, number> = { node: 1, noble: 1, webcrypto: 2 };

const api: CpuVerifyWorkerApi = {
  async verifyShared(job: SharedJob): Promise<number> {
    const { columns, counter, results } = sharedViews(job.buffer, job.n, job.messagesLength);
    let done = 0;
    const lane = async (): Promise<void> => {
      for (;;) {
        const start = Atomics.add(counter, 0, job.chunk);
        if (start >= job.n) return;
        const end = Math.min(job.n, start + job.chunk);
        await run(job.engine, columns, job.rules, start, end, results);
        done += end - start;
      }
    };
    await Promise.all(Array.from({ length: LANES[job.engine] }, lane));
    return done;
  },
  async verifyCopied(job: CopiedJob): Promise<Uint8Array> {
    const n = job.columns.messageOffsets.length - 1;
    const out = new Uint8Array(n);
    await run(job.engine, job.columns, job.rules, 0, n, out);
    return out;
  },
};

await exposeWorkerApi(api);
