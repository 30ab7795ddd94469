// createMerkleHasher: one RFC 6962 root/proof API over the WebGPU and CPU
// backends, which give identical bytes.
//
// 'auto' rule: WebGPU only on a hardware adapter. A software adapter
// (SwiftShader, llvmpipe, WARP: report.isSoftware) runs WGSL on the CPU far
// slower than hashing natively, so 'auto' then uses the CPU backend, as it
// does when no adapter can be acquired at all. 'webgpu' always uses the GPU
// (software or not) and fails if there is none.
import { acquireGpu, type GpuContext } from '../gpu/device.js';
import { createCpuMerkleEngine } from './cpu.js';
import { createGpuMerkleEngine, type GpuMerkleOptions } from './gpu.js';
import type { Leaves } from './reference.js';
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
        reason = `no GPU: ${String((e as Error)?.message ?? e).split('\n')[0]}`;
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
        return createCpuHasher(opts.workers, `the WebGPU pipelines failed to build: ${String((e as Error)?.message ?? e).split('\n')[0]}`);
      }
      const hasher = closable({
        backend: 'webgpu' as const,
        device: gpu,
        root: (leaves: Leaves) => engine.root(leaves),
        proof: (leaves: Leaves, index: number) => engine.proof(leaves, index),
      }, () => { engine.destroy(); if (owned) gpu.destroy(); });
      return hasher;
    }
    if (ctx) reason = `the adapter (${ctx.report.description || ctx.report.vendor || 'unnamed'}) is a software implementation, slower than the CPU backend`;
    if (ctx && owned) ctx.destroy();
  }
  return createCpuHasher(opts.workers, reason);
}

async function createCpuHasher(workers: number | undefined, fallbackReason: string | undefined): Promise<MerkleHasher> {
  const engine = await createCpuMerkleEngine({ workers });
  const hasher = closable({
    backend: 'cpu' as const,
    ...(fallbackReason ? { fallbackReason } : {}),
    root: (leaves: Leaves) => engine.root(leaves),
    proof: (leaves: Leaves, index: number) => engine.proof(leaves, index),
  }, () => engine.destroy());
  return hasher;
}
