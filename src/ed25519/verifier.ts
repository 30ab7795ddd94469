// createVerifier: the one entry point for batch verification (docs/verification.md).
// Picks a backend ('webgpu' or 'cpu'), checks batches before any work, and
// returns one byte per item in input order, or fails the whole call.
import type { AdapterReport, GpuContext } from '../gpu/device.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { errorFirstLine, requireObject } from '../errors.js';
import { copyBatch, packSignatureBatch, validateBatch, type RuleSet, type SignatureBatch, type SignatureItem } from './batch.js';
import { assertRuleSet, createCpuVerifier, type CpuVerifier } from './cpu/backend.js';
import { closable } from '../lifecycle.js';

/**
 * The rule set when the caller names none (CLI, pipeline): `zip215`. It is
 * the one rule set written as a consensus rule (ZIP-215) rather than as the
 * behaviour of one library, it accepts every RFC 8032 signature, and single
 * and batch verification agree under it. Nodes that must match OpenSSL/Go
 * (`ref10`) or Agave (`solana`) say so explicitly.
 */
export const DEFAULT_RULES: RuleSet = 'zip215';

export type BackendChoice = 'auto' | 'webgpu' | 'cpu';
const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'webgpu', 'cpu'];

export interface VerifierOptions {
  rules: RuleSet;
  /** Default 'auto'. */
  backend?: BackendChoice;
  /** A GPU to use instead of acquiring one; the caller keeps ownership. */
  device?: GpuContext;
  /** CPU worker threads; default every core. */
  workers?: number;
  /**
   * When a GPU backend is chosen, the WGSL kernels are compiled while the
   * verifier is created (tens of seconds on a software adapter) and this is
   * called about every `intervalMs` (default 2000) with the time spent so far,
   * then once with `done` = true. Without it, compilation happens on the first
   * `verify()`.
   */
  onCompileProgress?: (elapsedMs: number, done: boolean) => void;
}

export interface Verifier {
  readonly rules: RuleSet;
  /** The backend that verifies large batches ('auto' may send batches below `crossoverItems` to the CPU). */
  readonly backend: 'webgpu' | 'cpu';
  /** The GPU adapter considered, when one was found. */
  readonly adapter?: AdapterReport;
  /** With 'auto' on a hardware GPU: batches of at least this many items go to the GPU. */
  readonly crossoverItems?: number;
  /** With 'auto': why the CPU verifies (no adapter, a software adapter, the GPU never faster); absent when the choice was made by name or the GPU won. */
  readonly fallbackReason?: string;
  /** One byte per item (1 = valid), in input order. BatchFormatError before any work on a broken batch. */
  verify(batch: SignatureBatch): Promise<Uint8Array>;
  /** Releases the worker threads and GPU buffers (and a device the verifier acquired). Idempotent. */
  close(): Promise<void>;
  /** `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
  /** @deprecated Use `close()`. */
  destroy(): Promise<void>;
}

/** The GPU kernel's interface (src/ed25519/gpu), as this module uses it. */
interface GpuKernel {
  verify(batch: SignatureBatch, rules: RuleSet): Promise<Uint8Array>;
  destroy(): void;
}

async function createGpuKernel(ctx: GpuContext): Promise<GpuKernel> {
  // Dynamic: CPU-only users never load the GPU host or its shaders.
  const { createGpuVerifyKernel } = await import('./gpu/kernel.js');
  return await createGpuVerifyKernel(ctx);
}

/** Timings of one backend on calibration batches: a fixed cost per call plus a cost per item. */
export interface BackendTiming {
  /** Milliseconds per call, independent of size (dispatch, readback, worker round trip). */
  fixedMs: number;
  /** Milliseconds per item. */
  perItemMs: number;
}

/** The backend that verifies a batch of `items` items: with 'auto', batches below the measured crossover go to the CPU. */
export function backendFor(verifier: Pick<Verifier, 'backend' | 'crossoverItems'>, items: number): 'webgpu' | 'cpu' {
  return verifier.crossoverItems !== undefined && items < verifier.crossoverItems ? 'cpu' : verifier.backend;
}

/**
 * The smallest batch size at which the GPU is expected to finish first:
 * gpu.fixed + n·gpu.perItem < cpu.fixed + n·cpu.perItem. Infinity when the
 * GPU is not faster per item (it never pays back its fixed cost).
 */
export function crossoverItems(gpu: BackendTiming, cpu: BackendTiming): number {
  const gain = cpu.perItemMs - gpu.perItemMs;
  if (!(gain > 0)) return Infinity;
  return Math.max(1, Math.ceil(Math.max(0, gpu.fixedMs - cpu.fixedMs) / gain));
}

/**
 * `n` valid signatures over 81-byte messages (a docs/transactions.md transaction's signed
 * part): 64 distinct ones signed here, repeated. Deterministic seeds; this is
 * timing material, never a security input.
 */
function validCasesForCalibration(n: number): SignatureBatch {
  const distinct: SignatureItem[] = [];
  for (let i = 0; i < 64; i++) {
    const secretKey = new Uint8Array(32).fill(i + 1);
    const message = new Uint8Array(81).fill(i);
    distinct.push({ publicKey: ed25519.getPublicKey(secretKey), signature: ed25519.sign(message, secretKey), message });
  }
  return packSignatureBatch(Array.from({ length: n }, (_, i) => distinct[i % distinct.length]));
}

/** Fits fixed + per-item cost from the medians of timed runs at two sizes. */
async function timeBackend(run: (batch: SignatureBatch) => Promise<unknown>, small: SignatureBatch, large: SignatureBatch): Promise<BackendTiming> {
  const nSmall = small.messageOffsets.length - 1;
  const nLarge = large.messageOffsets.length - 1;
  await run(small); // warm-up: pipeline compilation, key caches, JIT
  const median = async (b: SignatureBatch) => {
    const ts: number[] = [];
    for (let i = 0; i < 3; i++) { const t = performance.now(); await run(b); ts.push(performance.now() - t); }
    return ts.sort((a, c) => a - c)[1];
  };
  const tSmall = await median(small);
  const tLarge = await median(large);
  const perItemMs = Math.max(1e-6, (tLarge - tSmall) / (nLarge - nSmall));
  return { fixedMs: Math.max(0, tSmall - perItemMs * nSmall), perItemMs };
}

/** Crossover sizes measured in this process, by adapter, rule set and worker count: measured once. */
const calibrations = new Map<string, number>();

export async function createVerifier(options: VerifierOptions): Promise<Verifier> {
  requireObject(options, 'createVerifier(options): options');
  const { rules } = options;
  assertRuleSet(rules);
  const choice = options.backend ?? 'auto';
  if (!BACKEND_CHOICES.includes(choice)) throw new RangeError(`unknown backend ${JSON.stringify(choice)} (expected ${BACKEND_CHOICES.join('|')})`);
  if (options.workers !== undefined && !(Number.isInteger(options.workers) && options.workers >= 1)) {
    throw new RangeError(`workers must be a positive integer, got ${options.workers}`);
  }

  if (choice === 'cpu') return cpuVerifier(rules, await createCpuVerifier({ workers: options.workers }), options.device?.report, undefined);

  // 'webgpu' or 'auto': find the GPU.
  let ctx = options.device;
  let ownsCtx = false;
  if (!ctx) {
    const { acquireGpu } = await import('../gpu/device.js');
    try {
      ctx = await acquireGpu();
      ownsCtx = true;
    } catch (e) {
      // 'webgpu' was asked for by name: its absence is the caller's error to see.
      if (choice === 'webgpu') throw e;
      return cpuVerifier(rules, await createCpuVerifier({ workers: options.workers }), undefined, `no GPU: ${errorFirstLine(e)}`);
    }
  }
  const gpuCtx = ctx;
  const releaseCtx = () => { if (ownsCtx) gpuCtx.destroy(); };

  // 'auto' on a software adapter (SwiftShader, llvmpipe, WARP): it runs the
  // same WGSL on the CPU cores, far slower than OpenSSL on the same cores,
  // so it never wins; the CPU backend takes every batch.
  if (choice === 'auto' && gpuCtx.report.isSoftware) {
    releaseCtx();
    return cpuVerifier(rules, await createCpuVerifier({ workers: options.workers }), gpuCtx.report,
      `the adapter (${adapterName(gpuCtx.report)}) is a software implementation, slower than the CPU backend`);
  }

  let kernel: GpuKernel;
  try {
    kernel = await createGpuKernel(gpuCtx);
  } catch (e) {
    releaseCtx();
    throw e;
  }
  if (options.onCompileProgress) {
    try {
      await compileWithProgress(gpuCtx, options.onCompileProgress);
    } catch (e) {
      kernel.destroy();
      releaseCtx();
      throw e;
    }
  }
  if (choice === 'webgpu') {
    const gpuOnly = closable({
      rules, backend: 'webgpu' as const, adapter: gpuCtx.report,
      // Copied at call time: the GPU reads its inputs after this returns its promise.
      async verify(batch: SignatureBatch) { validateBatch(batch); return kernel.verify(copyBatch(batch), rules); },
    }, () => { kernel.destroy(); releaseCtx(); });
    return gpuOnly;
  }

  // 'auto' on a hardware GPU: measure both backends once, here, on this
  // machine, and route each batch to the one expected to finish first.
  let cpu: CpuVerifier;
  try {
    cpu = await createCpuVerifier({ workers: options.workers });
  } catch (e) {
    kernel.destroy();
    releaseCtx();
    throw e;
  }
  const r = gpuCtx.report;
  const calibrationKey = [r.vendor, r.architecture, r.device, r.description, rules, cpu.workers].join('|');
  let crossover: number;
  try {
    let cached = calibrations.get(calibrationKey);
    if (cached === undefined) {
      const small = validCasesForCalibration(256);
      const large = validCasesForCalibration(2048);
      const gpuTiming = await timeBackend((b) => kernel.verify(b, rules), small, large);
      const cpuTiming = await timeBackend((b) => cpu.verify(b, rules), small, large);
      cached = crossoverItems(gpuTiming, cpuTiming);
      calibrations.set(calibrationKey, cached);
    }
    crossover = cached;
  } catch (e) {
    kernel.destroy();
    await cpu.destroy();
    releaseCtx();
    throw e;
  }
  if (!Number.isFinite(crossover)) {
    // The GPU never wins here: hold no kernel or device that will not be used.
    kernel.destroy();
    releaseCtx();
    return cpuVerifier(rules, cpu, gpuCtx.report, `the GPU (${adapterName(gpuCtx.report)}) was slower than the CPU backend at every batch size measured`);
  }
  const routed = closable({
    rules,
    backend: 'webgpu' as const,
    adapter: gpuCtx.report,
    crossoverItems: crossover,
    async verify(batch: SignatureBatch) {
      validateBatch(batch);
      const n = batch.messageOffsets.length - 1;
      return n >= crossover ? kernel.verify(copyBatch(batch), rules) : cpu.verify(batch, rules);
    },
  }, async () => {
    kernel.destroy();
    await cpu.destroy();
    releaseCtx();
  });
  return routed;
}

function cpuVerifier(rules: RuleSet, cpu: CpuVerifier, adapter: AdapterReport | undefined, fallbackReason: string | undefined): Verifier {
  return closable({
    rules,
    backend: 'cpu' as const,
    ...(adapter ? { adapter } : {}),
    ...(fallbackReason ? { fallbackReason } : {}),
    verify: (batch: SignatureBatch) => cpu.verify(batch, rules),
  }, () => cpu.destroy());
}

/** A short human name for an adapter. */
export function adapterName(r: AdapterReport): string {
  return r.description || [r.vendor, r.architecture, r.device].filter(Boolean).join(' ') || 'unnamed adapter';
}

/** Compiles the verify kernels on `ctx` now, reporting elapsed time every `intervalMs`. */
async function compileWithProgress(ctx: GpuContext, report: (elapsedMs: number, done: boolean) => void, intervalMs = 2000): Promise<void> {
  const { verifyPipelines } = await import('./gpu/kernel.js');
  const t0 = performance.now();
  const timer = setInterval(() => report(performance.now() - t0, false), intervalMs);
  try {
    await Promise.race([verifyPipelines(ctx.device), ctx.lost]);
  } finally {
    clearInterval(timer);
  }
  report(performance.now() - t0, true);
}
