// createMerkleHasher: one RFC 6962 root/proof API over the WebGPU and CPU
// backends, which give identical bytes.
//
// 'auto' rule: WebGPU only on a hardware adapter. A software adapter
// (SwiftShader, llvmpipe, WARP: report.isSoftware) runs WGSL on the CPU far
// slower than hashing natively, so 'auto' then uses the CPU backend, as it
// does when no adapter can be acquired at all. 'webgpu' always uses the GPU
// (software or not) and fails if there is none.
import { acquireGpu, noGpuReason, type GpuContext } from '../gpu/device.js';
import { createCpuMerkleEngine } from './cpu.js';
import { createGpuMerkleEngine, type GpuMerkleOptions } from './gpu.js';
import { toColumnar, type Leaves } from './reference.js';
import type { Columnar } from '../gpu/staging.js';
import { DestroyedError, InvalidArgumentError, errorFirstLine, requireObject } from '../errors.js';
import { closable } from '../lifecycle.js';

export type MerkleBackend = 'auto' | 'webgpu' | 'cpu';

export interface MerkleHasherOptions {
  backend?: MerkleBackend;
  /** A GPU to use; without one 'webgpu'/'auto' acquire their own and destroy it with the hasher. */
  device?: GpuContext;
  /** CPU backend threads (default: every core). */
  workers?: number;
  /** GPU backend tuning and forced limits (tests). */
  gpu?: GpuMerkleOptions;
}

export interface MerkleHasher {
  readonly backend: 'webgpu' | 'cpu';
  /** Set when the backend is WebGPU. */
  readonly device?: GpuContext;
  /** MTH(D[n]) of RFC 6962 §2.1. */
  root(leaves: Leaves): Promise<Uint8Array>;
  /** The audit path PATH(index, D[n]) of RFC 6962 §2.1.1, bottom up. */
  proof(leaves: Leaves, index: number): Promise<Uint8Array[]>;
  /** With 'auto': why the CPU hashes (no adapter, a software adapter, pipelines that failed to build). */
  readonly fallbackReason?: string;
  /** Releases worker threads and GPU buffers (and a device the hasher acquired). Idempotent. */
  close(): Promise<void>;
  /** `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
  /** @deprecated Use `close()`. */
  destroy(): Promise<void>;
}

export async function createMerkleHasher(opts: MerkleHasherOptions = {}): Promise<MerkleHasher> {
  requireObject(opts, 'createMerkleHasher(options): options');
  const backend = opts.backend ?? 'auto';
  if (backend !== 'auto' && backend !== 'webgpu' && backend !== 'cpu') throw new RangeError(`backend must be auto|webgpu|cpu, got ${JSON.stringify(backend)}`);
  let reason: string | undefined;
  if (backend !== 'cpu') {
    let ctx = opts.device;
    const owned = !ctx;
    if (!ctx) {
      try {
        ctx = await acquireGpu();
      } catch (e) {
        if (backend === 'webgpu') throw e;
        reason = noGpuReason(e);
      }
    }
    if (ctx && (backend === 'webgpu' || !ctx.report.isSoftware)) {
      const gpu = ctx;
      let engine: Awaited<ReturnType<typeof createGpuMerkleEngine>>;
      try {
        engine = await createGpuMerkleEngine(gpu, opts.gpu);
      } catch (e) {
        // Pipelines that fail to build: 'webgpu' fails, 'auto' falls back to the CPU.
        if (owned) gpu.destroy();
        if (backend === 'webgpu') throw e;
        return createCpuHasher(opts.workers, `the WebGPU pipelines failed to build: ${errorFirstLine(e)}`);
      }
      return callTimeInputs({
        backend: 'webgpu',
        device: gpu,
        root: (leaves) => engine.root(leaves),
        proof: (leaves, index) => engine.proof(leaves, index),
      }, () => { engine.destroy(); if (owned) gpu.destroy(); });
    }
    if (ctx) reason = `the adapter (${ctx.report.description || ctx.report.vendor || 'unnamed'}) is a software implementation, slower than the CPU backend`;
    if (ctx && owned) ctx.destroy();
  }
  return createCpuHasher(opts.workers, reason);
}

async function createCpuHasher(workers: number | undefined, fallbackReason: string | undefined): Promise<MerkleHasher> {
  const engine = await createCpuMerkleEngine({ workers });
  return callTimeInputs({
    backend: 'cpu',
    ...(fallbackReason ? { fallbackReason } : {}),
    root: (leaves) => engine.root(leaves),
    proof: (leaves, index) => engine.proof(leaves, index),
  }, () => engine.destroy());
}

type HasherCore = Pick<MerkleHasher, 'backend' | 'device' | 'fallbackReason' | 'root' | 'proof'>;

/**
 * The same contract on both backends: leaves are read when root()/proof() is
 * called (copied into fresh unshared buffers, so the caller may reuse its own
 * at once and SharedArrayBuffer views are accepted), and a closed hasher
 * throws DestroyedError.
 */
function callTimeInputs(inner: HasherCore, release: () => void | Promise<void>): MerkleHasher {
  let closed = false;
  const snapshot = (leaves: Leaves): Columnar => {
    if (closed) throw new DestroyedError(`merkle hasher (${inner.backend}): used after close()`);
    if (typeof leaves !== 'object' || leaves === null) throw new InvalidArgumentError(`merkle hasher: leaves must be an array of Uint8Array or {data, offsets}, got ${leaves === null ? 'null' : typeof leaves}`);
    const col = toColumnar(leaves);
    // toColumnar packs an array of leaves into a new buffer; columnar input is a view: copy it.
    return Array.isArray(leaves) ? col : { data: col.data.slice(), offsets: col.offsets.slice() };
  };
  return closable({
    ...inner,
    root: async (leaves: Leaves) => inner.root(snapshot(leaves)),
    proof: async (leaves: Leaves, index: number) => inner.proof(snapshot(leaves), index),
  }, () => { closed = true; return release(); });
}
