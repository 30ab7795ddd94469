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
 * Node only: bundlers cannot follow it (see WorkerModule).
 */
export function siblingModule(baseName: string, importMetaUrl: string): URL {
  const ext = /\.ts$/.test(new URL(importMetaUrl).pathname) ? '.ts' : '.js';
  return new URL(`./${baseName}${ext}`, importMetaUrl);
}

/**
 * One kind of worker, declared in the module next to the worker module:
 *
 *   const verifyWorker: WorkerModule = {
 *     web: () => new Worker(new URL('./verify-worker.js', import.meta.url), { type: 'module' }),
 *     node: () => siblingModule('verify-worker', import.meta.url),
 *   };
 *
 * `web` must be written exactly so, with a literal path, at that call site:
 * it is the pattern bundlers (vite, webpack, parcel) recognise to bundle the
 * worker module and rewrite its URL, and vite maps `./x.js` to `x.ts` when
 * it bundles the TypeScript sources. `node` is the module's URL for
 * worker_threads: `.js` from dist/, `.ts` from source (started through tsx).
 */
export interface WorkerModule {
  web(): Worker;
  node(): URL;
}

/** The bits of node:worker_threads' Worker that keep the process alive. */
interface Refable {
  ref(): void;
  unref(): void;
  on(event: 'message', listener: (value: unknown) => void): unknown;
}

/**
 * A comlink endpoint over a Node worker that holds the process open only
 * while a call is in flight: the worker is unref'd when idle, so a program
 * that forgets to close a verifier, hasher or pipeline still exits. Every
 * comlink request carries an `id` that its answer repeats.
 */
function refWhileBusy(endpoint: Comlink.Endpoint, worker: Refable): { endpoint: Comlink.Endpoint; hold(): void } {
  const pending = new Set<string>();
  let held = false;
  worker.unref();
  worker.on('message', (data) => {
    const id = (data as { id?: unknown } | null)?.id;
    if (typeof id === 'string' && pending.delete(id) && pending.size === 0 && !held) worker.unref();
  });
  // While terminating: an answer arriving then (comlink's release) must not
  // unref the worker, or the process could exit with terminate() pending.
  const hold = () => { held = true; worker.ref(); };
  const wrapped: Comlink.Endpoint = {
    ...endpoint,
    postMessage(message: unknown, transfer?: Transferable[]) {
      const id = (message as { id?: unknown } | null)?.id;
      if (typeof id === 'string') {
        if (pending.size === 0) worker.ref();
        pending.add(id);
      }
      endpoint.postMessage(message, transfer);
    },
  };
  return { endpoint: wrapped, hold };
}

/** Starts `size` workers running `module` (a WorkerModule, or a module URL), which must call `exposeWorkerApi`. */
export async function createWorkerPool<T>(module: WorkerModule | URL, size: number): Promise<WorkerPool<T>> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`worker count must be a positive integer, got ${size}`);
  // Before any worker starts: each is an isolate of tens of MB (src/limits.ts).
  await checkWorkerCount(size);
  const ends: Array<() => Promise<void>> = [];
  const workers: Remote<T>[] = [];
  if (inNode) {
    const { Worker } = await import('node:worker_threads');
    const nodeEndpoint = (await import('comlink/dist/esm/node-adapter.mjs')).default;
    const moduleUrl = module instanceof URL ? module : module.node();
    // From source (tests, tsx), a worker loads its TypeScript module through
    // tsx's loader API; from dist/ it loads the compiled module directly.
    const fromSource = moduleUrl.pathname.endsWith('.ts');
    const bootstrap = `import(${JSON.stringify('tsx/esm/api')}).then((m) => m.tsImport(${JSON.stringify(moduleUrl.href)}, ${JSON.stringify(import.meta.url)}))`;
    for (let i = 0; i < size; i++) {
      const worker = fromSource ? new Worker(bootstrap, { eval: true }) : new Worker(moduleUrl);
      const failed = new Promise<never>((_, reject) => worker.once('error', reject));
      failed.catch(() => { /* surfaced by the ready() race below */ });
      const refs = refWhileBusy(nodeEndpoint(worker), worker);
      const remote = Comlink.wrap<T>(refs.endpoint);
      workers.push(remote);
      // Held (ref'd, and kept so by late answers) until it has exited: else the
      // process could end (exit 13) with terminate() still pending.
      ends.push(async () => { refs.hold(); remote[Comlink.releaseProxy](); await worker.terminate(); });
      await Promise.race([(remote as unknown as { ready(): Promise<void> }).ready(), failed]);
    }
  } else {
    for (let i = 0; i < size; i++) {
      const worker = module instanceof URL ? new Worker(module, { type: 'module' }) : module.web();
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
