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
import { toColumnar, type Leaves } from './reference.js';
import type { Columnar } from '../gpu/staging.js';
import { DestroyedError, InvalidArgumentError, requireObject } from '../errors.js';

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
  destroy(): Promise<void>;
}

export async function createMerkleHasher(opts: MerkleHasherOptions = {}): Promise<MerkleHasher> {
  requireObject(opts, 'createMerkleHasher(options): options');
  const backend = opts.backend ?? 'auto';
  if (backend !== 'auto' && backend !== 'webgpu' && backend !== 'cpu') throw new RangeError(`backend must be auto|webgpu|cpu, got ${JSON.stringify(backend)}`);
  if (backend !== 'cpu') {
    let ctx = opts.device;
    const owned = !ctx;
    if (!ctx) {
      try {
        ctx = await acquireGpu();
      } catch (e) {
        if (backend === 'webgpu') throw e;
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
        return createCpuHasher(opts.workers);
      }
      return callTimeInputs({
        backend: 'webgpu',
        device: gpu,
        root: (leaves) => engine.root(leaves),
        proof: (leaves, index) => engine.proof(leaves, index),
        async destroy() { engine.destroy(); if (owned) gpu.destroy(); },
      });
    }
    if (ctx && owned) ctx.destroy();
  }
  return createCpuHasher(opts.workers);
}

async function createCpuHasher(workers: number | undefined): Promise<MerkleHasher> {
  const engine = await createCpuMerkleEngine({ workers });
  return callTimeInputs({
    backend: 'cpu',
    root: (leaves) => engine.root(leaves),
    proof: (leaves, index) => engine.proof(leaves, index),
    destroy: () => engine.destroy(),
  });
}

/**
 * The same contract on both backends: leaves are read when root()/proof() is
 * called (copied into fresh unshared buffers, so the caller may reuse its own
 * at once and SharedArrayBuffer views are accepted), and a destroyed hasher
 * throws DestroyedError.
 */
function callTimeInputs(inner: MerkleHasher): MerkleHasher {
  let destroyed = false;
  const snapshot = (leaves: Leaves): Columnar => {
    if (destroyed) throw new DestroyedError(`merkle hasher (${inner.backend}): used after destroy()`);
    if (typeof leaves !== 'object' || leaves === null) throw new InvalidArgumentError(`merkle hasher: leaves must be an array of Uint8Array or {data, offsets}, got ${leaves === null ? 'null' : typeof leaves}`);
    const col = toColumnar(leaves);
    // toColumnar packs an array of leaves into a new buffer; columnar input is a view: copy it.
    return Array.isArray(leaves) ? col : { data: col.data.slice(), offsets: col.offsets.slice() };
  };
  return {
    backend: inner.backend,
    ...(inner.device ? { device: inner.device } : {}),
    async root(leaves) { return inner.root(snapshot(leaves)); },
    async proof(leaves, index) { return inner.proof(snapshot(leaves), index); },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await inner.destroy();
    },
  };
}
