// Host of the WGSL ed25519 batch verifier: two passes per chunk (challenge
// hashing, then curve work) and one readback. GPU plumbing only; the
// cryptography is in shaders/*.wgsl, its constants in ./constants.ts.
import { type GpuContext, raceDeviceLoss } from '../../gpu/device.js';
import { defineProgram, WORKGROUP_SIZE } from '../../gpu/program.js';
import { createStaging, padTo4, planChunks, workgroupGrid, writePadded, type Staging } from '../../gpu/staging.js';
import { VerifierDestroyedError, type RuleSet, type SignatureBatch, RULE_SETS, validateBatch, sliceBatch } from '../batch.js';
import { baseTable, wgslConstants } from './constants.js';
import { fieldOpCosts, wgslFieldCore } from './field-codegen.js';

/** Bits of the per-item verdict mask the curve pass writes. */
export const VERDICT_BIT: Readonly<Record<RuleSet, number>> = { zip215: 1, ref10: 2, solana: 4 };

/** Shader files per pass, in concatenation order (WGSL has no include). */
export const HASH_SHADERS = ['sha512', 'scalar25519', 'ed25519_verify_hash'] as const;
export const CURVE_SHADERS = ['field25519', 'scalar25519', 'edwards25519', 'ed25519_verify_curve'] as const;

export interface GpuVerifyKernelOptions {
  /** Cap on items per dispatch (besides the device's own limits). Default 65536. */
  maxItemsPerDispatch?: number;
}

export interface GpuVerifyKernel {
  /** One byte per item, 1 = valid under `rules`, in input order. */
  verify(batch: SignatureBatch, rules: RuleSet): Promise<Uint8Array>;
  /** One byte per item: bit 0 zip215, bit 1 ref10, bit 2 solana (see VERDICT_BIT). */
  verifyAll(batch: SignatureBatch): Promise<Uint8Array>;
  destroy(): void;
}

interface Pipelines {
  hash: GPUComputePipeline;
  curve: GPUComputePipeline;
  /** Milliseconds to compile (they compile concurrently: the slower one's). */
  compileMs: number;
}

export const HASH_PROGRAM = defineProgram({
  name: 'ed25519_verify_hash', entryPoint: 'hash_challenges', shaders: HASH_SHADERS,
  generate: () => wgslConstants(['sha512', 'scalar']),
});
export const CURVE_PROGRAM = defineProgram({
  name: 'ed25519_verify_curve', entryPoint: 'verify_curve', shaders: CURVE_SHADERS,
  generate: () => wgslConstants(['field', 'scalar']) + wgslFieldCore(),
});

/** The two pipelines for `device`, compiled on first use and cached (src/gpu/program.ts). */
export async function verifyPipelines(device: GPUDevice): Promise<Pipelines> {
  const [hash, curve] = await Promise.all([HASH_PROGRAM.compile(device), CURVE_PROGRAM.compile(device)]);
  return { hash: hash.pipeline, curve: curve.pipeline, compileMs: Math.max(hash.compileMs, curve.compileMs) };
}

export function createGpuVerifyKernel(ctx: GpuContext, opts: GpuVerifyKernelOptions = {}): GpuVerifyKernel {
  const { device } = ctx;
  const maxItems = opts.maxItemsPerDispatch ?? 65536;
  if (!Number.isInteger(maxItems) || maxItems < 1) throw new RangeError(`maxItemsPerDispatch must be a positive integer, got ${maxItems}`);
  const staging: Staging = createStaging(ctx);
  const table = baseTable();
  const tableBuffer = device.createBuffer({ label: 'ed25519 base table', size: table.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(tableBuffer, 0, table.buffer as ArrayBuffer, table.byteOffset, table.byteLength);
  let destroyed = false;

  async function runChunk(pl: Pipelines, chunk: SignatureBatch): Promise<Uint8Array> {
    const n = chunk.messageOffsets.length - 1;
    const maxPerDim = device.limits.maxComputeWorkgroupsPerDimension;
    const [gx, gy] = workgroupGrid(Math.ceil(n / WORKGROUP_SIZE), maxPerDim);
    // Buffers are per call (not pooled): calls in flight at once must not
    // share an input or output buffer across an await.
    const make = (label: string, data: ArrayBufferView | null, size: number) => {
      const buf = device.createBuffer({ label, size: Math.max(4, padTo4(size)), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
      if (data) writePadded(device, buf, data);
      return buf;
    };
    const keys = make('ed25519 keys', chunk.publicKeys, chunk.publicKeys.length);
    const sigs = make('ed25519 signatures', chunk.signatures, chunk.signatures.length);
    const msgs = make('ed25519 messages', chunk.messages, chunk.messages.length);
    const offs = make('ed25519 offsets', chunk.messageOffsets, chunk.messageOffsets.byteLength);
    const params = make('ed25519 params', new Uint32Array([n]), 4);
    const ks = make('ed25519 challenges', null, 32 * n);
    const out = make('ed25519 verdicts', null, 4 * n);
    const buffers = [keys, sigs, msgs, offs, params, ks, out];
    try {
      const bind = (pipeline: GPUComputePipeline, resources: GPUBuffer[]) => device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: resources.map((buffer, binding) => ({ binding, resource: { buffer } })),
      });
      const encoder = device.createCommandEncoder({ label: 'ed25519 verify' });
      const pass = encoder.beginComputePass();
      pass.setPipeline(pl.hash);
      pass.setBindGroup(0, bind(pl.hash, [keys, sigs, msgs, offs, ks, params]));
      pass.dispatchWorkgroups(gx, gy);
      pass.setPipeline(pl.curve);
      pass.setBindGroup(0, bind(pl.curve, [keys, sigs, ks, tableBuffer, out, params]));
      pass.dispatchWorkgroups(gx, gy);
      pass.end();
      const [words] = await staging.submitAndRead(encoder, [{ buffer: out, offset: 0, size: 4 * n }]);
      const masks = new Uint32Array(words.buffer, words.byteOffset, n);
      return Uint8Array.from(masks);
    } finally {
      for (const b of buffers) b.destroy();
    }
  }

  async function verifyAll(batch: SignatureBatch): Promise<Uint8Array> {
    if (destroyed) throw new VerifierDestroyedError('the GPU verifier was destroyed');
    // A structurally broken batch fails here, before anything runs.
    validateBatch(batch);
    const n = batch.messageOffsets.length - 1;
    const result = new Uint8Array(n);
    if (n === 0) return result;
    const pl = await raceDeviceLoss(ctx, verifyPipelines(device));
    const chunks = planChunks({
      count: n,
      fixedBytesPerItem: [32, 64, 32, 4],
      variableOffsets: batch.messageOffsets,
      workgroupSize: WORKGROUP_SIZE,
      grid2d: true,
      maxItemsPerChunk: maxItems,
    }, staging.limits);
    // Chunks go to the queue back to back; the queue orders them.
    const parts = chunks.map((c) => raceDeviceLoss(ctx, runChunk(pl, sliceBatch(batch, c.start, c.end))));
    const done = await Promise.all(parts);
    chunks.forEach((c, i) => result.set(done[i], c.start));
    return result;
  }

  return {
    verifyAll,
    async verify(batch, rules) {
      if (!RULE_SETS.includes(rules)) throw new RangeError(`unknown rule set ${JSON.stringify(rules)} (expected one of ${RULE_SETS.join(', ')})`);
      const masks = await verifyAll(batch);
      const bit = VERDICT_BIT[rules];
      for (let i = 0; i < masks.length; i++) masks[i] = (masks[i] & bit) !== 0 ? 1 : 0;
      return masks;
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      tableBuffer.destroy();
      staging.destroy();
    },
  };
}

/**
 * The operation count of one verify, from the kernels' structure (counts of
 * field operations per point operation, as written in the .wgsl files) and
 * the generated field code's measured cost per operation. An estimate of
 * work, not a measurement of time.
 */
export function verifyOpCount(): { fieldMul: number; fieldSq: number; fieldAddSub: number; u32Ops: number; perFieldOp: ReturnType<typeof fieldOpCosts> } {
  const c = fieldOpCosts();
  // Point operations per item (ed25519_verify_curve.wgsl):
  const dbl = 63 * 4 + 3 * 3;          // Horner chain + [8]· of A, R, P − R
  const add = 7 + 64 + 32 + 1;         // table [1..8](−A), k digits, S digits, P − R
  const toCached = 1 + 7 + 1;
  // Per decompression: 255 squarings (251 in the power), 42 multiplies, 6 add/sub; two of them.
  const fieldSq = 2 * 255 + 4 * dbl;
  const fieldMul = 2 * 42 + 2 /* T of A, R */ + 4 * dbl + 8 * add + toCached + 2 /* P == R */;
  const fieldAddSub = 2 * 6 + 7 * dbl + 6 * add + 3 * toCached + 2 + 49 /* negated digits, ~half */ + 5;
  // Canonical reductions (comparisons): 18 per item, ~4 ripples of 60 ops each.
  const canon = 18 * 260;
  // Pass 1: SHA-512 ≈ 10.5k ops per 128-byte block, two blocks (one holds
  // R ‖ A and up to 47 message bytes; a SPEC §4 transaction signs 81), and the
  // bitwise reduction mod L: 512 steps × ~100 ops.
  const hash = 2 * 10_500 + 512 * 100;
  const u32Ops = fieldMul * c.mul + fieldSq * c.sq + fieldAddSub * Math.round((c.add + c.sub) / 2) + canon + hash;
  return { fieldMul, fieldSq, fieldAddSub, u32Ops, perFieldOp: c };
}

/** verifyOpCount().u32Ops, for the benchmark's table. */
export const ESTIMATED_U32_OPS_PER_VERIFY: number = verifyOpCount().u32Ops;
