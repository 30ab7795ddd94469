// The CPU backend: docs/verification.md verification on a pool of worker threads.
// Batches are split into segments (bounded memory per job), and each segment
// goes to every worker as one job (see job.ts); results come back in input
// order, one byte per item, or the whole call fails.
import * as Comlink from 'comlink';
import { RULE_SETS, VerifierDestroyedError, copyBatch, validateBatch, type RuleSet, type SignatureBatch } from '../batch.js';
import { createWorkerPool, defaultWorkerCount, siblingModule, splitRange, type WorkerModule, type WorkerPool } from '../../pool/worker-pool.js';
import { CPU_ENGINES, defaultEngine, webCryptoEd25519Available, type CpuEngine } from './engine.js';
import { sharedViews, sharedLayout, type CpuVerifyWorkerApi } from './job.js';

export interface CpuVerifierOptions {
  /** Worker threads; default: every core. */
  workers?: number;
  /** Default: 'node' (node:crypto) in Node; elsewhere 'webcrypto' where it verifies Ed25519 (checked at start-up), else 'noble'. */
  engine?: CpuEngine;
  /** Items per job at most (default 65536); smaller values exercise the splitting in tests. */
  segmentItems?: number;
  /** Use a SharedArrayBuffer job (default: when the runtime allows); false forces copied ranges. */
  shareMemory?: boolean;
}

export interface CpuVerifier {
  readonly workers: number;
  readonly engine: CpuEngine;
  /** One byte per item (1 = valid under `rules`), in input order. */
  verify(batch: SignatureBatch, rules: RuleSet): Promise<Uint8Array>;
  /** Ends the workers; calls in flight reject. */
  destroy(): Promise<void>;
}

/** Largest segment one job carries: bounds the shared buffer, not the batch. */
const SEGMENT_ITEMS = 1 << 16;
const SEGMENT_MESSAGE_BYTES = 64 << 20;

export { VerifierDestroyedError };

export function assertRuleSet(rules: unknown): asserts rules is RuleSet {
  if (!(RULE_SETS as readonly unknown[]).includes(rules)) {
    throw new RangeError(`unknown rule set ${JSON.stringify(rules)} (expected ${RULE_SETS.join('|')})`);
  }
}

/** The verify worker; `web` is the literal pattern bundlers follow (see WorkerModule). */
const verifyWorker: WorkerModule = {
  web: () => new Worker(new URL('./verify-worker.js', import.meta.url), { type: 'module' }),
  node: () => siblingModule('verify-worker', import.meta.url),
};

const canShare = typeof SharedArrayBuffer !== 'undefined'
  && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;

export async function createCpuVerifier(options: CpuVerifierOptions = {}): Promise<CpuVerifier> {
  const size = options.workers ?? await defaultWorkerCount();
  const engine = options.engine ?? await defaultEngine();
  if (!CPU_ENGINES.includes(engine)) throw new RangeError(`unknown CPU engine ${JSON.stringify(engine)} (expected ${CPU_ENGINES.join('|')})`);
  if (engine === 'webcrypto' && !await webCryptoEd25519Available()) throw new Error('this runtime\'s WebCrypto does not verify Ed25519 (use the noble engine)');
  const segmentItems = options.segmentItems ?? SEGMENT_ITEMS;
  if (!Number.isInteger(segmentItems) || segmentItems < 1) throw new RangeError(`segmentItems must be a positive integer, got ${segmentItems}`);
  const share = options.shareMemory ?? canShare;
  if (share && !canShare) throw new Error('SharedArrayBuffer is not available here (a browser page needs cross-origin isolation)');
  const pool: WorkerPool<CpuVerifyWorkerApi> = await createWorkerPool<CpuVerifyWorkerApi>(verifyWorker, size);

  let destroyed = false;
  let rejectAll: (e: Error) => void = () => {};
  const whenDestroyed = new Promise<never>((_, reject) => { rejectAll = reject; });
  whenDestroyed.catch(() => { /* observed by calls in flight */ });

  async function verifySegment(batch: SignatureBatch, rules: RuleSet, start: number, end: number, out: Uint8Array): Promise<void> {
    const n = end - start;
    const base = batch.messageOffsets[start];
    const messagesLength = batch.messageOffsets[end] - base;
    if (share) {
      const layout = sharedLayout(n, messagesLength);
      const buffer = new SharedArrayBuffer(layout.byteLength);
      const { columns, results } = sharedViews(buffer, n, messagesLength);
      for (let i = 0; i <= n; i++) columns.messageOffsets[i] = batch.messageOffsets[start + i] - base;
      columns.publicKeys.set(batch.publicKeys.subarray(32 * start, 32 * end));
      columns.signatures.set(batch.signatures.subarray(64 * start, 64 * end));
      columns.messages.set(batch.messages.subarray(base, base + messagesLength));
      // Chunks small enough to balance slow items, large enough that the
      // counter is touched rarely.
      const chunk = Math.max(8, Math.min(512, Math.ceil(n / (pool.size * 8))));
      const active = pool.workers.slice(0, Math.max(1, Math.min(pool.size, Math.ceil(n / chunk))));
      const done = await Promise.race([
        Promise.all(active.map((w) => w.verifyShared({ buffer, n, messagesLength, rules, engine, chunk }))),
        whenDestroyed,
      ]);
      const total = done.reduce((a, b) => a + b, 0);
      if (total !== n) throw new Error(`CPU workers verified ${total} of ${n} items`);
      out.set(results, start);
    } else {
      const ranges = splitRange(n, pool.size).map(([s, e]) => [start + s, start + e] as const);
      const parts = await Promise.race([Promise.all(ranges.map(([s, e], w) => {
        const b = batch.messageOffsets[s];
        const messageOffsets = new Uint32Array(e - s + 1);
        for (let i = s; i <= e; i++) messageOffsets[i - s] = batch.messageOffsets[i] - b;
        const columns = {
          publicKeys: batch.publicKeys.slice(32 * s, 32 * e),
          signatures: batch.signatures.slice(64 * s, 64 * e),
          messages: batch.messages.slice(b, batch.messageOffsets[e]),
          messageOffsets,
        };
        const transfer = [columns.publicKeys.buffer, columns.signatures.buffer, columns.messages.buffer, messageOffsets.buffer] as ArrayBuffer[];
        return pool.workers[w].verifyCopied(Comlink.transfer({ columns, rules, engine }, transfer));
      })), whenDestroyed]);
      ranges.forEach(([s, e], w) => {
        if (parts[w].length !== e - s) throw new Error(`CPU worker returned ${parts[w].length} results for ${e - s} items`);
        out.set(parts[w], s);
      });
    }
  }

  return {
    workers: pool.size,
    engine,
    async verify(batch: SignatureBatch, rules: RuleSet): Promise<Uint8Array> {
      assertRuleSet(rules);
      // Structure first: a broken batch fails before any work, naming the problem.
      validateBatch(batch);
      if (destroyed) throw new VerifierDestroyedError('the CPU verifier was destroyed');
      const n = batch.messageOffsets.length - 1;
      // The first segment is copied into its job before any await; later
      // segments would read the caller's buffers late: copy them all now.
      if (n > segmentItems || batch.messages.length > SEGMENT_MESSAGE_BYTES) batch = copyBatch(batch);
      const out = new Uint8Array(n);
      let start = 0;
      while (start < n) {
        // A segment ends at segmentItems items or SEGMENT_MESSAGE_BYTES of
        // messages, whichever first; it always holds at least one item.
        let end = Math.min(n, start + segmentItems);
        const limit = batch.messageOffsets[start] + SEGMENT_MESSAGE_BYTES;
        if (batch.messageOffsets[end] > limit) {
          let lo = start + 1, hi = end;
          while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (batch.messageOffsets[mid] <= limit) lo = mid; else hi = mid - 1; }
          end = lo;
        }
        await verifySegment(batch, rules, start, end, out);
        start = end;
      }
      return out;
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      rejectAll(new VerifierDestroyedError('the CPU verifier was destroyed while verifying'));
      await pool.destroy();
    },
  };
}
