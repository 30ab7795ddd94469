// Host of the WGSL ed25519 batch verifier: three passes per chunk (challenge
// hashing; decompression and checks; the table of −A's multiples, the double
// scalar multiplication and the verdicts), state between them in storage
// buffers, and one readback. GPU plumbing only; the cryptography is in
// shaders/*.wgsl, its constants in ./constants.ts, its parameters in ./params.ts.
import { type GpuContext, raceDeviceLoss } from '../../gpu/device.js';
import { defineProgram, type GpuProgram } from '../../gpu/program.js';
import { createStaging, padTo4, planChunks, workgroupGrid, writePadded, type Staging } from '../../gpu/staging.js';
import { VerifierDestroyedError, type RuleSet, type SignatureBatch, RULE_SETS, validateBatch, sliceBatch } from '../batch.js';
import { baseTable, wgslConstants } from './constants.js';
import { fieldOpCosts, wgslFeStorage, wgslFieldCore } from './field-codegen.js';
import { ED25519_KNOBS, FIELD_LAYOUT, derivedParams, wgslDerivedParams, type Ed25519Knobs } from './params.js';

/** Bits of the per-item verdict mask the scalarmul pass writes. */
export const VERDICT_BIT: Readonly<Record<RuleSet, number>> = { zip215: 1, ref10: 2, solana: 4 };

/** Bits of the per-point flags the prepare pass writes (S_OK on A's only). */
const POINT_FLAG = { POINT_OK: 1, POINT_CANONICAL: 2, POINT_SMALL: 4, POINT_S_OK: 8 } as const;

function wgslFlags(): string {
  const all = { ...POINT_FLAG, VERDICT_ZIP215: VERDICT_BIT.zip215, VERDICT_REF10: VERDICT_BIT.ref10, VERDICT_SOLANA: VERDICT_BIT.solana };
  return Object.entries(all).map(([k, v]) => `const ${k}: u32 = ${v}u;`).join('\n') + '\n';
}

const FIELD_SHADERS = ['field25519', 'edwards25519'] as const;

/** Generated code of a pass that does field arithmetic, with loads/stores for its state buffers (name: stores too). */
const fieldCode = (storage: Record<string, boolean>) => (k: Ed25519Knobs) => wgslDerivedParams(k)
  + wgslConstants(['field', 'scalar'], k) + wgslFlags() + wgslFieldCore(k)
  + Object.entries(storage).map(([buf, store]) => wgslFeStorage(buf, { store }, k)).join('\n');

/** The passes in dispatch order (each a program of src/gpu/program.ts). */
export const VERIFY_PASSES = {
  hash: defineProgram({
    name: 'ed25519_verify_hash', entryPoint: 'hash_challenges', shaders: ['sha512', 'scalar25519', 'ed25519_verify_hash'],
    generate: () => wgslConstants(['sha512', 'scalar']),
  }),
  prepare: defineProgram({
    name: 'ed25519_verify_prepare', entryPoint: 'prepare', shaders: [...FIELD_SHADERS, 'scalar25519', 'ed25519_verify_table', 'ed25519_verify_prepare'],
    params: ED25519_KNOBS, generate: fieldCode({ points: true, table: true }),
  }),
  scalarmul: defineProgram({
    name: 'ed25519_verify_scalarmul', entryPoint: 'scalarmul', shaders: [...FIELD_SHADERS, 'ed25519_verify_table', 'ed25519_verify_curve'],
    params: ED25519_KNOBS, generate: fieldCode({ points: false, table: true, base_table: false }),
  }),
} as const satisfies Record<string, GpuProgram>;

type PassName = keyof typeof VERIFY_PASSES;
const PASS_NAMES = Object.keys(VERIFY_PASSES) as PassName[];

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

type Pipelines = Record<PassName, GPUComputePipeline> & {
  /** Milliseconds to compile (they compile concurrently: the slowest one's). */
  compileMs: number;
  /** Invocations per workgroup the passes were built with. */
  workgroupSize: number;
};

/** The complete WGSL of each pass. */
export async function verifyShaderSources(): Promise<Record<PassName, string>> {
  const texts = await Promise.all(PASS_NAMES.map((k) => VERIFY_PASSES[k].source()));
  return Object.fromEntries(PASS_NAMES.map((k, i) => [k, texts[i]])) as Record<PassName, string>;
}

/** The pipelines for `device`, compiled on first use and cached (src/gpu/program.ts). */
export async function verifyPipelines(device: GPUDevice): Promise<Pipelines> {
  const compiled = await Promise.all(PASS_NAMES.map((k) => VERIFY_PASSES[k].compile(device)));
  const sizes = new Set(compiled.map((c) => c.workgroupSize));
  if (sizes.size !== 1) throw new Error(`ed25519 passes built with different workgroup sizes: ${[...sizes].join(', ')}`);
  return {
    ...Object.fromEntries(PASS_NAMES.map((k, i) => [k, compiled[i].pipeline])) as Record<PassName, GPUComputePipeline>,
    compileMs: Math.max(...compiled.map((c) => c.compileMs)),
    workgroupSize: compiled[0].workgroupSize,
  };
}

/** Bytes per item of each state buffer between passes. */
const FE_BYTES = 4 * FIELD_LAYOUT.LIMBS;
const STATE_BYTES = {
  challenges: 32,
  points: 2 * 2 * FE_BYTES, // x, y of A and of R
  flags: 2 * 4,
  scalars: 2 * 32,
  table: (derivedParams().K_TABLE_SIZE + 1) * 4 * FE_BYTES, // [1..K](−A), R
  verdicts: 4,
} as const;

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
    const state = Object.fromEntries(Object.entries(STATE_BYTES).map(([k, bytes]) => [k, make(`ed25519 ${k}`, null, bytes * n)])) as Record<keyof typeof STATE_BYTES, GPUBuffer>;
    const buffers = [keys, sigs, msgs, offs, params, ...Object.values(state)];
    try {
      const encoder = device.createCommandEncoder({ label: 'ed25519 verify' });
      const pass = encoder.beginComputePass();
      // Resources by binding number; a pass's layout holds only the bindings its entry point uses.
      const dispatch = (name: PassName, resources: (GPUBuffer | null)[], invocations: number) => {
        const pipeline = pl[name];
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, device.createBindGroup({
          layout: pipeline.getBindGroupLayout(0),
          entries: resources.flatMap((buffer, binding) => (buffer ? [{ binding, resource: { buffer } }] : [])),
        }));
        pass.dispatchWorkgroups(...workgroupGrid(Math.ceil(invocations / pl.workgroupSize), maxPerDim));
      };
      const { challenges, points, flags, scalars, table, verdicts } = state;
      dispatch('hash', [keys, sigs, msgs, offs, challenges, params], n);
      // One invocation per point: A of every item, then R of every item.
      dispatch('prepare', [keys, sigs, challenges, points, flags, scalars, table, params], 2 * n);
      // ed25519_verify_curve.wgsl's bindings: params, points, table, scalars, base table, flags, verdicts.
      dispatch('scalarmul', [params, points, table, scalars, tableBuffer, flags, verdicts], n);
      pass.end();
      const [words] = await staging.submitAndRead(encoder, [{ buffer: state.verdicts, offset: 0, size: 4 * n }], { kind: 'ed25519 verify', units: n });
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
      fixedBytesPerItem: [32, 64, ...Object.values(STATE_BYTES)],
      variableOffsets: batch.messageOffsets,
      workgroupSize: pl.workgroupSize,
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
 * The operation count of one verify, from the passes' structure (counts of
 * field operations per point operation, as written in the .wgsl files, for
 * the parameters in ./params.ts) and the generated field code's count of
 * u32 operations per field operation. An estimate of work, not a
 * measurement of time.
 */
export function verifyOpCount(): { fieldMul: number; fieldSq: number; fieldAddSub: number; canon: number; u32Ops: number; perFieldOp: ReturnType<typeof fieldOpCosts> } {
  const c = fieldOpCosts();
  const { K_DIGITS, S_DIGITS, K_TABLE_SIZE } = derivedParams();
  const kw = 256 / K_DIGITS;
  const limbs = FIELD_LAYOUT.LIMBS;
  let sq = 0, mul = 0, addSub = 0, canon = 0, other = 0;
  // A doubling: 4 squarings, 3 multiplies (+1 for T), 7 add/sub. An
  // addition (add_step): 7 multiplies (+1 for T), 6 add/sub, 2 selects of
  // LIMBS (a negative digit swaps F and G).
  const dbl = (n: number, withT: number) => { sq += 4 * n; mul += 3 * n + withT; addSub += 7 * n; };
  const add = (n: number, withT: number) => { mul += 7 * n + withT; addSub += 6 * n; other += 2 * limbs * n; };
  const isIdentity = (n: number) => { canon += 2 * n; addSub += n; };
  // prepare, per point (two per item): decompression (255 squarings, 42
  // multiplies, 5 add/sub, 4 canonical reductions, 3 selects, y cut from
  // the words 3 times), [8]·point and the identity test.
  sq += 2 * 255; mul += 2 * 42; addSub += 2 * 5; canon += 2 * 4; other += 2 * (3 * limbs + 3 * 3 * limbs);
  dbl(2 * 3, 0); isIdentity(2);
  // prepare: R as a Cached point (T, then 1 multiply, 3 add/sub); S < L and
  // the two biased scalars (~200 ops).
  mul += 2; addSub += 3; other += 200;
  // scalarmul's table steps: −A (1 multiply, 2 negations), K Cached entries
  // (1 multiply, 3 add/sub each), K − 1 additions with T.
  mul += 1; addSub += 2; mul += K_TABLE_SIZE; addSub += 3 * K_TABLE_SIZE; add(K_TABLE_SIZE - 1, K_TABLE_SIZE - 1);
  // scalarmul's Horner steps: (K_DIGITS − 1)·w doublings (T on the last of each window);
  // K_DIGITS + S_DIGITS additions (T before an S addition and on P itself);
  // each digit cut from a word (~8 ops).
  dbl((K_DIGITS - 1) * kw, K_DIGITS - 1);
  add(K_DIGITS + S_DIGITS, S_DIGITS + 1);
  other += 8 * (K_DIGITS + S_DIGITS);
  // scalarmul's last steps: P − R (no T), its identity test, [8]·(P − R) and its identity test.
  add(1, 0); isIdentity(1); dbl(3, 0); isIdentity(1);
  // hash: SHA-512 ≈ 10.5k ops per 128-byte block, two blocks (one holds
  // R ‖ A and up to 47 message bytes; a docs/transactions.md transaction signs 81), and the
  // bitwise reduction mod L: 512 steps × ~100 ops.
  const hash = 2 * 10_500 + 512 * 100;
  const u32Ops = mul * c.mul + sq * c.sq + addSub * Math.round((c.add + c.sub) / 2) + canon * c.canon + other + hash;
  return { fieldMul: mul, fieldSq: sq, fieldAddSub: addSub, canon, u32Ops, perFieldOp: c };
}

/** verifyOpCount().u32Ops, for the benchmark's table. */
export const ESTIMATED_U32_OPS_PER_VERIFY: number = verifyOpCount().u32Ops;
