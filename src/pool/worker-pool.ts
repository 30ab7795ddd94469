// A pool of long-lived workers controlled through comlink: worker_threads in
// Node, Web Workers in a browser. comlink carries setup and control calls
// only; bulk data goes through SharedArrayBuffer or transferred buffers.
import * as Comlink from 'comlink';
import { availableCores, checkWorkerCount } from '../limits.js';

export type Remote<T> = Comlink.Remote<T>;

export interface WorkerPool<T> {
  readonly size: number;
  readonly workers: readonly Remote<T>[];
  /** Ends every worker; the pool is unusable afterwards. */
  destroy(): Promise<void>;
}

const inNode = typeof process !== 'undefined' && !!process.versions?.node
  && typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === 'undefined'
  && typeof (globalThis as { window?: unknown }).window === 'undefined';

/** Cores to use when the caller says nothing: every core. */
export function defaultWorkerCount(): Promise<number> {
  return availableCores();
}

/**
 * The URL of a worker module next to `importMetaUrl`, with the extension the
 * caller itself has: `.ts` when running from source (tests, tsx), `.js` from dist/.
 */
export function siblingModule(baseName: string, importMetaUrl: string): URL {
  const ext = /\.ts$/.test(new URL(importMetaUrl).pathname) ? '.ts' : '.js';
  return new URL(`./${baseName}${ext}`, importMetaUrl);
}

/** Starts `size` workers running `moduleUrl`, which must call `exposeWorkerApi`. */
export async function createWorkerPool<T>(moduleUrl: URL, size: number): Promise<WorkerPool<T>> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`worker count must be a positive integer, got ${size}`);
  // Before any worker starts: each is an isolate of tens of MB (src/limits.ts).
  await checkWorkerCount(size);
  const ends: Array<() => Promise<void>> = [];
  const workers: Remote<T>[] = [];
  if (inNode) {
    const { Worker } = await import('node:worker_threads');
    const nodeEndpoint = (await import('comlink/dist/esm/node-adapter.mjs')).default;
    // From source (tests, tsx), a worker loads its TypeScript module through
    // tsx's loader API; from dist/ it loads the compiled module directly.
    const fromSource = moduleUrl.pathname.endsWith('.ts');
    const bootstrap = `import(${JSON.stringify('tsx/esm/api')}).then((m) => m.tsImport(${JSON.stringify(moduleUrl.href)}, ${JSON.stringify(import.meta.url)}))`;
    for (let i = 0; i < size; i++) {
      const worker = fromSource ? new Worker(bootstrap, { eval: true }) : new Worker(moduleUrl);
      const failed = new Promise<never>((_, reject) => worker.once('error', reject));
      failed.catch(() => { /* surfaced by the ready() race below */ });
      const remote = Comlink.wrap<T>(nodeEndpoint(worker));
      workers.push(remote);
      ends.push(async () => { remote[Comlink.releaseProxy](); await worker.terminate(); });
      await Promise.race([(remote as unknown as { ready(): Promise<void> }).ready(), failed]);
    }
  } else {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(moduleUrl, { type: 'module' });
      const remote = Comlink.wrap<T>(worker);
      workers.push(remote);
      ends.push(async () => { remote[Comlink.releaseProxy](); worker.terminate(); });
      await (remote as unknown as { ready(): Promise<void> }).ready();
    }
  }
  let destroyed = false;
  return {
    size,
    workers,
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await Promise.all(ends.map((end) => end()));
    },
  };
}

/** Called once at the top level of a worker module: serves `api` (plus `ready`) to the pool. */
export async function exposeWorkerApi<T extends object>(api: T): Promise<void> {
  const served = { ...api, ready: () => undefined };
  if (inNode) {
    const { parentPort } = await import('node:worker_threads');
    if (!parentPort) throw new Error('exposeWorkerApi must run inside a worker thread');
    const nodeEndpoint = (await import('comlink/dist/esm/node-adapter.mjs')).default;
    Comlink.expose(served, nodeEndpoint(parentPort));
  } else {
    Comlink.expose(served);
  }
}

/** Splits [0, n) into `parts` contiguous ranges of near-equal size (empty ones dropped). */
export function splitRange(n: number, parts: number): Array<[start: number, end: number]> {
  const ranges: Array<[number, number]> = [];
  const p = Math.max(1, Math.min(parts, n));
  for (let i = 0; i < p; i++) {
    const start = Math.floor((n * i) / p);
    const end = Math.floor((n * (i + 1)) / p);
    if (end > start) ranges.push([start, end]);
  }
  return ranges;
}
