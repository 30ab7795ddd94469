// Staging: getting columnar host data onto the device and results back.
//
// Three pieces, each usable alone:
//  - `planChunks` (pure): splits n items into chunks that respect the device's
//    buffer-size and dispatch limits, so callers never see those limits;
//  - `createStaging(ctx)`: a grow-only buffer pool keyed by role, plus
//    `submitAndRead`, which submits an encoder and reads regions back through
//    one copy + one mapAsync, racing device loss;
//  - small helpers (`sliceColumnar`, `workgroupGrid`, `padTo4`).
//
// Typical chunk: upload with `staging.upload(role, bytes)` (queue.writeBuffer),
// encode the dispatch, then `await staging.submitAndRead(encoder, reads)`:
// one submit and one mapAsync per chunk. queue.writeBuffer is ordered with
// submits, so pooled input buffers may be rewritten by the next chunk (or
// another call) as soon as the previous submit has been issued. Get buffers,
// write, encode and submit in the same synchronous stretch (no await between
// `upload`/`storage` and the submit): growing a role destroys its old buffer,
// which is only safe for work already submitted.
import { raceDeviceLoss, type GpuContext } from './device.js';

/** The device limits that decide how work is split. */
export interface StagingLimits {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  maxComputeWorkgroupsPerDimension: number;
}

export function limitsOf(device: GPUDevice): StagingLimits {
  return {
    maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
    maxBufferSize: device.limits.maxBufferSize,
    maxComputeWorkgroupsPerDimension: device.limits.maxComputeWorkgroupsPerDimension,
  };
}

/** n items; item i is data[offsets[i] .. offsets[i+1]). offsets has n + 1 entries, non-decreasing. */
export interface Columnar {
  data: Uint8Array;
  offsets: Uint32Array;
}

export interface ChunkPlanRequest {
  /** Number of items. */
  count: number;
  /**
   * Bytes per item of every fixed-width buffer bound per chunk (e.g. [32, 64, 4]
   * for keys, signatures, results). Each must fit one binding on its own.
   */
  fixedBytesPerItem?: readonly number[];
  /**
   * Offsets (n + 1) of a variable-width column. A chunk's slice of it
   * (rounded up to whole u32 words) and its (m + 1) rebased u32 offsets must
   * each fit one binding.
   */
  variableOffsets?: Uint32Array;
  /** Invocations per workgroup of the kernel, one invocation per item. */
  workgroupSize: number;
  /**
   * Set when the kernel indexes items over a 2-D grid (see `workgroupGrid`):
   * then up to maxComputeWorkgroupsPerDimension² workgroups fit one dispatch.
   */
  grid2d?: boolean;
  /** An extra cap on items per chunk (tests, latency). */
  maxItemsPerChunk?: number;
}

export interface Chunk {
  /** Items [start, end). */
  start: number;
  end: number;
  /** The chunk's bytes in the variable column: [dataStart, dataEnd) (0, 0 without one). */
  dataStart: number;
  dataEnd: number;
}

export const padTo4 = (n: number): number => (n + 3) & ~3;

/**
 * Splits [0, count) into the fewest consecutive chunks (greedy, in order) that
 * respect `limits`. Pure: tests pass tiny limits to force splitting. Throws
 * RangeError naming the item when a single item cannot fit any chunk.
 */
export function planChunks(req: ChunkPlanRequest, limits: StagingLimits): Chunk[] {
  const { count, workgroupSize } = req;
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`planChunks: count must be a non-negative integer, got ${count}`);
  if (!Number.isInteger(workgroupSize) || workgroupSize < 1) throw new RangeError(`planChunks: bad workgroupSize ${workgroupSize}`);
  // A binding can never be bigger than the buffer holding it.
  const binding = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  const maxWg = limits.maxComputeWorkgroupsPerDimension;
  let cap = workgroupSize * (req.grid2d ? maxWg * maxWg : maxWg);
  if (req.maxItemsPerChunk !== undefined) cap = Math.min(cap, req.maxItemsPerChunk);
  for (const bytes of req.fixedBytesPerItem ?? []) {
    if (bytes > 0) cap = Math.min(cap, Math.floor(binding / bytes));
  }
  const offsets = req.variableOffsets;
  if (offsets) {
    if (offsets.length !== count + 1) throw new RangeError(`planChunks: variableOffsets has ${offsets.length} entries, expected count + 1 = ${count + 1}`);
    // The rebased offsets column holds m + 1 u32s.
    cap = Math.min(cap, Math.floor(binding / 4) - 1);
  }
  if (cap < 1) throw new RangeError(`planChunks: limits allow no item per chunk (binding limit ${binding} bytes)`);
  const chunks: Chunk[] = [];
  let start = 0;
  while (start < count) {
    let end = Math.min(count, start + cap);
    if (offsets) {
      const base = offsets[start];
      const fits = (e: number) => padTo4(offsets[e] - base) <= binding;
      if (!fits(start + 1)) {
        throw new RangeError(`item ${start} has ${offsets[start + 1] - offsets[start]} bytes, more than one device binding holds (${binding} bytes)`);
      }
      if (!fits(end)) {
        // Largest e in (start, end) that fits: offsets are non-decreasing, so fits() is monotone.
        let lo = start + 1; let hi = end;
        while (hi - lo > 1) {
          const mid = (lo + hi) >>> 1;
          if (fits(mid)) lo = mid; else hi = mid;
        }
        end = lo;
      }
    }
    chunks.push({
      start,
      end,
      dataStart: offsets ? offsets[start] : 0,
      dataEnd: offsets ? offsets[end] : 0,
    });
    start = end;
  }
  return chunks;
}

/** Items [start, end) of a columnar set, with offsets rebased to 0 (data is a view, not a copy). */
export function sliceColumnar(col: Columnar, start: number, end: number): Columnar {
  const base = col.offsets[start];
  const offsets = new Uint32Array(end - start + 1);
  for (let i = start; i <= end; i++) offsets[i - start] = col.offsets[i] - base;
  return { data: col.data.subarray(base, col.offsets[end]), offsets };
}

/**
 * The dispatch grid for `workgroups` workgroups: [x, y] with x ≤ maxPerDim.
 * A kernel using it computes its item index as
 * `gid.x + gid.y * (num_workgroups.x * WORKGROUP_SIZE)` and returns past the count,
 * because x·y may exceed the workgroups asked for.
 */
export function workgroupGrid(workgroups: number, maxPerDim: number): [number, number] {
  if (workgroups <= maxPerDim) return [Math.max(1, workgroups), 1];
  const y = Math.ceil(workgroups / maxPerDim);
  if (y > maxPerDim) throw new RangeError(`${workgroups} workgroups exceed a ${maxPerDim}² dispatch grid`);
  return [Math.ceil(workgroups / y), y];
}

/** A region of a GPU buffer to read back. */
export interface ReadRegion {
  buffer: GPUBuffer;
  offset: number;
  /** Bytes; a multiple of 4. */
  size: number;
}

export interface Staging {
  readonly ctx: GpuContext;
  readonly limits: StagingLimits;
  /**
   * The pooled buffer for `role`, at least `size` bytes (grow-only: a bigger
   * request replaces it, at the next power of two). Usage is STORAGE |
   * COPY_DST | COPY_SRC plus `usage`.
   */
  buffer(role: string, size: number, usage?: GPUBufferUsageFlags): GPUBuffer;
  /** `buffer(role, ...)` with `data` written at offset 0 (padded to a multiple of 4). */
  upload(role: string, data: ArrayBufferView, minSize?: number, usage?: GPUBufferUsageFlags): GPUBuffer;
  /**
   * Appends copies of `regions` to `encoder`, submits it (one submit), maps one
   * readback buffer (one mapAsync) and returns each region's bytes (copies the
   * caller owns). Rejects if the device is lost meanwhile. With `pace`, the
   * map is asked for only near the predicted end of the work (see PacedWork).
   */
  submitAndRead(encoder: GPUCommandEncoder, regions: readonly ReadRegion[], pace?: PacedWork): Promise<Uint8Array[]>;
  /** Destroys every pooled buffer. */
  destroy(): void;
}

/**
 * Work whose duration grows with `units` (items of a kernel), learned per
 * `kind`. Why: while a map is pending, Dawn's Node binding polls the device
 * in a setImmediate loop that keeps one CPU core busy, and on a software
 * adapter (SwiftShader) that core is the GPU's. A paced read sleeps through
 * most of the predicted time and maps only then, so the poll spins for the
 * tail alone. The prediction follows a faster run at once and a slower one
 * slowly, and the sleep is PACE_FRACTION of it, so a wrong one costs little
 * and corrects itself.
 */
export interface PacedWork {
  kind: string;
  units: number;
}

/** Share of the predicted time slept before mapping; shorter sleeps are skipped. */
const PACE_FRACTION = 0.7;
const PACE_MIN_SLEEP_MS = 4;

const MIN_BUFFER = 256;

function roundUpPow2(n: number): number {
  let p = MIN_BUFFER;
  while (p < n) p *= 2;
  return p;
}

export function createStaging(ctx: GpuContext, limitsOverride?: Partial<StagingLimits>): Staging {
  const { device } = ctx;
  const limits = { ...limitsOf(device), ...limitsOverride };
  const pool = new Map<string, GPUBuffer>();
  // Readback buffers are not shared while mapped or pending: a free list.
  const freeReadback: GPUBuffer[] = [];
  let destroyed = false;
  // Milliseconds per unit of each paced kind and the units of the run it
  // comes from, and when the queue is predicted to drain.
  const estimates = new Map<string, { msPerUnit: number; units: number }>();
  let queueFreeAt = 0;

  const sizeFor = (size: number) => {
    // Power-of-two growth amortises reallocations; never above the device's maximum.
    const want = Math.min(roundUpPow2(size), device.limits.maxBufferSize);
    if (size > want) throw new RangeError(`buffer of ${size} bytes exceeds the device's maxBufferSize ${device.limits.maxBufferSize}`);
    return want;
  };

  const staging: Staging = {
    ctx,
    limits,
    buffer(role, size, usage = 0) {
      if (destroyed) throw new Error('staging: used after destroy()');
      const flags = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC | usage;
      const key = `${role}\u0000${flags}`;
      const have = pool.get(key);
      if (have && have.size >= size) return have;
      have?.destroy();
      const buf = device.createBuffer({ label: role, size: sizeFor(Math.max(size, 4)), usage: flags });
      pool.set(key, buf);
      return buf;
    },
    upload(role, data, minSize = 0, usage = 0) {
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength); // writePadded copies a shared one
      const buf = staging.buffer(role, Math.max(padTo4(bytes.length), minSize), usage);
      writePadded(device, buf, bytes);
      return buf;
    },
    async submitAndRead(encoder, regions, pace) {
      if (destroyed) throw new Error('staging: used after destroy()');
      let total = 0;
      const at: number[] = [];
      for (const r of regions) {
        if (r.size % 4 !== 0 || r.offset % 4 !== 0) throw new RangeError(`readback region must be 4-byte aligned (offset ${r.offset}, size ${r.size})`);
        at.push(total);
        total += r.size;
      }
      if (total === 0) {
        device.queue.submit([encoder.finish()]);
        await raceDeviceLoss(ctx, device.queue.onSubmittedWorkDone());
        return regions.map(() => new Uint8Array(0));
      }
      let rb: GPUBuffer | undefined;
      const idx = freeReadback.findIndex((b) => b.size >= total);
      if (idx >= 0) rb = freeReadback.splice(idx, 1)[0];
      else rb = device.createBuffer({ label: 'readback', size: roundUpPow2(total), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      regions.forEach((r, i) => encoder.copyBufferToBuffer(r.buffer, r.offset, rb!, at[i], r.size));
      device.queue.submit([encoder.finish()]);
      // This work starts when the queue drains (earlier submits run first).
      const start = Math.max(performance.now(), queueFreeAt);
      const est = pace ? estimates.get(pace.kind) : undefined;
      try {
        if (pace && est) {
          // Never extrapolated to more units than measured: with a fixed cost
          // per dispatch, time per unit falls as units grow, so this is a
          // lower bound for bigger work and about right for smaller.
          const predicted = est.msPerUnit * Math.min(pace.units, est.units);
          queueFreeAt = start + predicted;
          const sleep = start + PACE_FRACTION * predicted - performance.now();
          if (sleep >= PACE_MIN_SLEEP_MS) await raceDeviceLoss(ctx, new Promise<void>((res) => setTimeout(res, sleep)));
        }
        await raceDeviceLoss(ctx, rb.mapAsync(GPUMapMode.READ, 0, total));
        if (pace && pace.units > 0) {
          const seen = (performance.now() - start) / pace.units;
          // Down at once, up slowly: an estimate too low only shortens the sleep.
          const msPerUnit = !est || seen < est.msPerUnit ? seen : est.msPerUnit + (seen - est.msPerUnit) / 4;
          estimates.set(pace.kind, { msPerUnit, units: pace.units });
        }
      } catch (e) {
        // A failed map (a lost device) leaves the buffer unusable: drop it, not pool it.
        rb.destroy();
        throw e;
      }
      const mapped = new Uint8Array(rb.getMappedRange(0, total));
      const out = regions.map((r, i) => mapped.slice(at[i], at[i] + r.size));
      rb.unmap();
      if (destroyed) rb.destroy(); else freeReadback.push(rb);
      return out;
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      for (const b of pool.values()) b.destroy();
      pool.clear();
      // Buffers mapped by a call in flight are destroyed when it returns them.
      for (const b of freeReadback) b.destroy();
      freeReadback.length = 0;
    },
  };
  return staging;
}

/**
 * Writes `data` at offset 0 of `buffer`. writeBuffer needs a multiple of 4
 * bytes, so a ragged tail goes zero-padded (the buffer must have room for it).
 */
export function writePadded(device: GPUDevice, buffer: GPUBuffer, data: ArrayBufferView): void {
  let bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  // writeBuffer accepts no SharedArrayBuffer-backed view: copy those into a plain buffer.
  if (!(bytes.buffer instanceof ArrayBuffer)) bytes = bytes.slice();
  const whole = bytes.length & ~3;
  if (whole > 0) device.queue.writeBuffer(buffer, 0, bytes.buffer, bytes.byteOffset, whole);
  if (whole < bytes.length) {
    const tail = new Uint8Array(4);
    tail.set(bytes.subarray(whole));
    device.queue.writeBuffer(buffer, whole, tail);
  }
}
