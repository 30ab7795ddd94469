// The CPU verifier's worker module (worker_threads in Node, a Web Worker in
// a browser). Receives whole jobs (see job.ts) and runs engine.ts on them.
import { exposeWorkerApi } from '../../pool/worker-pool.js';
import { loadNodeCrypto, verifyRange, defaultEngine } from './engine.js';
import { sharedViews, type CopiedJob, type CpuVerifyWorkerApi, type SharedJob } from './job.js';

const crypto = defaultEngine() === 'node' ? await loadNodeCrypto() : undefined;

const api: CpuVerifyWorkerApi = {
  verifyShared(job: SharedJob): number {
    const { columns, counter, results } = sharedViews(job.buffer, job.n, job.messagesLength);
    let done = 0;
    for (;;) {
      const start = Atomics.add(counter, 0, job.chunk);
      if (start >= job.n) return done;
      const end = Math.min(job.n, start + job.chunk);
      verifyRange(job.engine, crypto, columns, job.rules, start, end, results);
      done += end - start;
    }
  },
  verifyCopied(job: CopiedJob): Uint8Array {
    const n = job.columns.messageOffsets.length - 1;
    const out = new Uint8Array(n);
    verifyRange(job.engine, crypto, job.columns, job.rules, 0, n, out);
    return out;
  },
};

await exposeWorkerApi(api);
