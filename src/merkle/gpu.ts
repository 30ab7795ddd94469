// RFC 6962 Merkle trees on WebGPU: the host side of shaders/sha256_leaves.wgsl
// and shaders/merkle_level.wgsl. Cryptography lives in the shaders and in
// reference.ts; this file only plans, uploads, dispatches and reads back.
//
// Layout: a tree's levels share one storage buffer of 32-byte slots, level 0
// (leaf hashes) first, each level right after the one below; only the root
// (and, for proofs, the sibling slots) is read back. Trees bigger than one
// binding are cut into groups of C leaves, C a power of two: node p of level
// log2(C) covers exactly group p, so the groups' roots are one level of the
// same tree and are reduced by the same kernel.
import type { GpuContext } from '../gpu/device.js';
import { defineProgram, type CompiledProgram } from '../gpu/program.js';
import { createStaging, planChunks, sliceColumnar, workgroupGrid, type Columnar, type Staging, type StagingLimits } from '../gpu/staging.js';
import { EMPTY_ROOT, merkleLevels, proofPositions, toColumnar, type Leaves } from './reference.js';

export const DIGEST_BYTES = 32;
const UNIFORM_SLOT = 256; // minUniformBufferOffsetAlignment's default and maximum
export const LEAF_PREFIX_BYTE = 0x00;
export const NO_PREFIX = 0xffffffff;
/** An audit path has one node per level: a tree of up to 2^64 leaves. */
const MAX_PROOF_NODES = 64;

export interface MerkleKernels {
  readonly ctx: GpuContext;
  readonly staging: Staging;
  readonly leaf: CompiledProgram;
  readonly level: CompiledProgram;
}

export const SHA256_LEAVES_PROGRAM = defineProgram({ name: 'sha256_leaves', entryPoint: 'hash_leaves', shaders: ['sha256', 'sha256_leaves'] });
export const MERKLE_LEVEL_PROGRAM = defineProgram({ name: 'merkle_level', entryPoint: 'hash_level', shaders: ['sha256', 'merkle_level'] });

export async function createMerkleKernels(ctx: GpuContext, limits?: Partial<StagingLimits>): Promise<MerkleKernels> {
  const [leaf, level] = await Promise.all([SHA256_LEAVES_PROGRAM.compile(ctx.device), MERKLE_LEVEL_PROGRAM.compile(ctx.device)]);
  return { ctx, staging: createStaging(ctx, limits), leaf, level };
}

function dispatch(k: MerkleKernels, program: CompiledProgram, pass: GPUComputePassEncoder, items: number) {
  const [x, y] = workgroupGrid(Math.ceil(items / program.workgroupSize), k.staging.limits.maxComputeWorkgroupsPerDimension);
  pass.dispatchWorkgroups(x, y);
}

/**
 * Encodes SHA-256([prefix] || item) of every item of `part` (which must fit
 * one binding: see planChunks) into digest slots of `out`: slot
 * outBase + i, or outBase + dest[i]. Uses pooled input buffers: submit
 * before encoding the next call.
 */
export function encodeHashItems(k: MerkleKernels, enc: GPUCommandEncoder, part: Columnar, out: GPUBuffer, outBase: number, prefix: number, dest?: Uint32Array) {
  const { device } = k.ctx;
  const count = part.offsets.length - 1;
  if (count === 0) return;
  const dataSize = Math.max(4, (part.data.length + 3) & ~3);
  const data = k.staging.upload('merkle-leaf-data', part.data, dataSize);
  const offsets = k.staging.upload('merkle-leaf-offsets', part.offsets);
  const destBuf = dest ? k.staging.upload('merkle-leaf-dest', dest) : k.staging.buffer('merkle-leaf-dest', 4);
  const params = k.staging.upload('merkle-leaf-params', new Uint32Array([count, prefix, dest ? 1 : 0, outBase]), 16, GPUBufferUsage.UNIFORM);
  const pass = enc.beginComputePass({ label: 'hash leaves' });
  pass.setPipeline(k.leaf.pipeline);
  pass.setBindGroup(0, device.createBindGroup({
    layout: k.leaf.pipeline.getBindGroupLayout(0),
    entries: [
      { binding: 0, resource: { buffer: data, size: dataSize } },
      { binding: 1, resource: { buffer: offsets, size: 4 * (count + 1) } },
      { binding: 2, resource: { buffer: destBuf, size: dest ? 4 * count : 4 } },
      { binding: 3, resource: { buffer: out } },
      { binding: 4, resource: { buffer: params, size: 16 } },
    ],
  }));
  dispatch(k, k.leaf, pass, count);
  pass.end();
}

/** One level-kernel dispatch: parents of a level, all of them or those in a list. */
export interface LevelStep {
  count: number;
  srcBase: number;
  dstBase: number;
  srcCount: number;
  /** Start of this step's parents in the uploaded list (with a list). */
  listBase?: number;
}

/**
 * Encodes level steps in order, each seeing the previous one's writes. With
 * `between`, each step gets its own pass and `between(i)` runs (for copies)
 * before step i and once after the last (i = steps.length).
 */
export function encodeLevelSteps(k: MerkleKernels, enc: GPUCommandEncoder, nodes: GPUBuffer, nodesSize: number, steps: readonly LevelStep[],
  opts: { paramsRole: string; list?: Uint32Array; between?: (i: number) => void }) {
  const { device } = k.ctx;
  if (steps.length === 0) { opts.between?.(0); return; }
  const words = new Uint32Array((steps.length * UNIFORM_SLOT) / 4);
  steps.forEach((s, i) => {
    words.set([s.count, s.srcBase, s.dstBase, s.srcCount, s.listBase ?? 0, opts.list ? 1 : 0], (i * UNIFORM_SLOT) / 4);
  });
  const params = k.staging.upload(opts.paramsRole, words, 0, GPUBufferUsage.UNIFORM);
  const list = opts.list ? k.staging.upload(`${opts.paramsRole}-list`, opts.list) : k.staging.buffer('merkle-level-nolist', 4);
  const layout = k.level.pipeline.getBindGroupLayout(0);
  let pass: GPUComputePassEncoder | undefined;
  steps.forEach((s, i) => {
    if (opts.between) { pass?.end(); pass = undefined; opts.between(i); }
    pass ??= enc.beginComputePass({ label: 'merkle levels' });
    pass.setPipeline(k.level.pipeline);
    pass.setBindGroup(0, device.createBindGroup({
      layout,
      entries: [
        { binding: 0, resource: { buffer: nodes, size: nodesSize } },
        { binding: 1, resource: { buffer: list, size: opts.list ? Math.max(4, opts.list.byteLength) : 4 } },
        { binding: 2, resource: { buffer: params, offset: i * UNIFORM_SLOT, size: 32 } },
      ],
    }));
    dispatch(k, k.level, pass, s.count);
  });
  pass?.end();
  opts.between?.(steps.length);
}

/** Bases of each level of a full tree over `count` nodes laid out bottom up; the last base is the root's slot. */
export function levelBases(count: number): { bases: number[]; counts: number[]; slots: number } {
  const bases = [0];
  const counts = [count];
  let slots = count;
  for (let c = count; c > 1;) {
    c = Math.ceil(c / 2);
    bases.push(slots);
    counts.push(c);
    slots += c;
  }
  return { bases, counts, slots };
}

export interface GpuMerkleOptions {
  /** Override device limits (tests force chunking with tiny ones). */
  limits?: Partial<StagingLimits>;
  /** Cap on leaves per group (rounded down to a power of two). */
  maxLeavesPerGroup?: number;
}

export interface GpuMerkleEngine {
  root(leaves: Leaves): Promise<Uint8Array>;
  proof(leaves: Leaves, index: number): Promise<Uint8Array[]>;
  destroy(): void;
}

export async function createGpuMerkleEngine(ctx: GpuContext, opts: GpuMerkleOptions = {}): Promise<GpuMerkleEngine> {
  const k = await createMerkleKernels(ctx, opts.limits);
  const binding = Math.min(k.staging.limits.maxStorageBufferBindingSize, k.staging.limits.maxBufferSize);
  // A group's levels take fewer than 2C slots.
  let groupSize = 1;
  while (groupSize * 2 * 2 * DIGEST_BYTES <= binding) groupSize *= 2;
  if (opts.maxLeavesPerGroup !== undefined) while (groupSize > 1 && groupSize > opts.maxLeavesPerGroup) groupSize /= 2;

  async function run(leaves: Leaves, index?: number): Promise<{ root: Uint8Array; proof: Uint8Array[] }> {
    const col = toColumnar(leaves);
    const n = col.offsets.length - 1;
    if (index !== undefined) proofPositions(index, n); // names a bad index before any work
    if (n === 0) return { root: EMPTY_ROOT.slice(), proof: [] }; // a copy: callers may write to it
    const { device } = ctx;
    const groups = Math.ceil(n / groupSize);
    const groupLayout = levelBases(Math.min(n, groupSize));
    const top = levelBases(groups);
    if (top.slots * DIGEST_BYTES > binding) {
      // More group roots than one binding holds (over 2^36 leaves at 128 MiB
      // bindings, or tiny test limits): each group's root comes back on its
      // own, and the few levels above them are hashed on the CPU.
      const parts: Array<{ root: Uint8Array; proof: Uint8Array[] }> = [];
      for (let g = 0; g < groups; g++) {
        const gs = g * groupSize;
        const ge = Math.min(n, gs + groupSize);
        const inGroup = index !== undefined && index >= gs && index < ge;
        parts.push(await run(sliceColumnar(col, gs, ge), inGroup ? index - gs : undefined));
      }
      const levels = merkleLevels(parts.map((p) => p.root));
      const above = index === undefined ? [] : proofPositions(Math.floor(index / groupSize), groups).map(([l, p]) => levels[l][p]);
      const below = index === undefined ? [] : parts[Math.floor(index / groupSize)].proof;
      return { root: levels[levels.length - 1][0], proof: [...below, ...above] };
    }
    const nodesSize = groupLayout.slots * DIGEST_BYTES;
    const nodes = k.staging.buffer('merkle-nodes', nodesSize);
    const roots = groups > 1 ? k.staging.buffer('merkle-roots', top.slots * DIGEST_BYTES) : undefined;
    const proofBuf = index !== undefined ? k.staging.buffer('merkle-proof', MAX_PROOF_NODES * DIGEST_BYTES) : undefined;
    let proofCount = 0;
    const copySiblings = (buf: GPUBuffer, bases: number[], positions: Array<[number, number]>, level: number, enc: GPUCommandEncoder) => {
      for (const [l, p] of positions) {
        if (l !== level) continue;
        enc.copyBufferToBuffer(buf, (bases[l] + p) * DIGEST_BYTES, proofBuf!, proofCount++ * DIGEST_BYTES, DIGEST_BYTES);
      }
    };
    let enc!: GPUCommandEncoder;
    for (let g = 0; g < groups; g++) {
      const gs = g * groupSize;
      const ge = Math.min(n, gs + groupSize);
      const m = ge - gs;
      const group = sliceColumnar(col, gs, ge);
      const chunks = planChunks({ count: m, variableOffsets: group.offsets, workgroupSize: k.leaf.workgroupSize, grid2d: true }, k.staging.limits);
      for (let c = 0; c < chunks.length; c++) {
        // Pooled inputs are rewritten per chunk, so every chunk but the last submits on its own.
        if (enc) device.queue.submit([enc.finish()]);
        enc = device.createCommandEncoder({ label: `merkle group ${g} chunk ${c}` });
        encodeHashItems(k, enc, sliceColumnar(group, chunks[c].start, chunks[c].end), nodes, chunks[c].start, LEAF_PREFIX_BYTE);
      }
      const layout = m === groupLayout.counts[0] ? groupLayout : levelBases(m);
      const steps = layout.counts.slice(1).map((count, j) => ({ count, srcBase: layout.bases[j], dstBase: layout.bases[j + 1], srcCount: layout.counts[j] }));
      const inGroup = index !== undefined && index >= gs && index < ge;
      const positions = inGroup ? proofPositions(index - gs, m) : [];
      encodeLevelSteps(k, enc, nodes, nodesSize, steps, {
        paramsRole: 'merkle-level-params',
        between: inGroup ? (i) => copySiblings(nodes, layout.bases, positions, i, enc) : undefined,
      });
      if (roots) enc.copyBufferToBuffer(nodes, layout.bases[layout.bases.length - 1] * DIGEST_BYTES, roots, g * DIGEST_BYTES, DIGEST_BYTES);
    }
    let rootAt = { buffer: nodes, slot: groupLayout.bases[groupLayout.bases.length - 1] };
    if (roots) {
      const steps = top.counts.slice(1).map((count, j) => ({ count, srcBase: top.bases[j], dstBase: top.bases[j + 1], srcCount: top.counts[j] }));
      const positions = index !== undefined ? proofPositions(Math.floor(index / groupSize), groups) : [];
      encodeLevelSteps(k, enc, roots, top.slots * DIGEST_BYTES, steps, {
        paramsRole: 'merkle-level-params-top',
        between: index !== undefined ? (i) => copySiblings(roots, top.bases, positions, i, enc) : undefined,
      });
      rootAt = { buffer: roots, slot: top.bases[top.bases.length - 1] };
    }
    const regions = [{ buffer: rootAt.buffer, offset: rootAt.slot * DIGEST_BYTES, size: DIGEST_BYTES }];
    if (proofBuf && proofCount > 0) regions.push({ buffer: proofBuf, offset: 0, size: proofCount * DIGEST_BYTES });
    const [root, path] = await k.staging.submitAndRead(enc, regions);
    const proof: Uint8Array[] = [];
    for (let i = 0; i < proofCount; i++) proof.push(path.subarray(i * DIGEST_BYTES, (i + 1) * DIGEST_BYTES));
    return { root, proof };
  }

  return {
    async root(leaves) { return (await run(leaves)).root; },
    async proof(leaves, index) { return (await run(leaves, index)).proof; },
    destroy() { k.staging.destroy(); },
  };
}
