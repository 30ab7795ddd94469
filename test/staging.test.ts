import { afterAll, describe, expect, it } from 'vitest';
import { acquireGpu, type GpuContext } from '../src/gpu/device.js';
import { createStaging, planChunks, sliceColumnar, workgroupGrid, type StagingLimits } from '../src/gpu/staging.js';

const big: StagingLimits = { maxStorageBufferBindingSize: 1 << 27, maxBufferSize: 1 << 28, maxComputeWorkgroupsPerDimension: 65535 };

function offsetsOf(lengths: number[]): Uint32Array {
  const o = new Uint32Array(lengths.length + 1);
  lengths.forEach((l, i) => { o[i + 1] = o[i] + l; });
  return o;
}

function checkCover(chunks: ReturnType<typeof planChunks>, count: number) {
  let at = 0;
  for (const c of chunks) {
    expect(c.start).toBe(at);
    expect(c.end).toBeGreaterThan(c.start);
    at = c.end;
  }
  expect(at).toBe(count);
}

describe('planChunks', () => {
  it('keeps small work in one chunk and empty work in none', () => {
    expect(planChunks({ count: 1000, workgroupSize: 64, fixedBytesPerItem: [32, 64] }, big)).toEqual([{ start: 0, end: 1000, dataStart: 0, dataEnd: 0 }]);
    expect(planChunks({ count: 0, workgroupSize: 64 }, big)).toEqual([]);
  });

  it('splits on the workgroup-per-dimension limit (1-D and 2-D grids)', () => {
    const limits = { ...big, maxComputeWorkgroupsPerDimension: 3 };
    const chunks = planChunks({ count: 100, workgroupSize: 8 }, limits);
    expect(chunks.map((c) => c.end - c.start)).toEqual([24, 24, 24, 24, 4]);
    const grid = planChunks({ count: 100, workgroupSize: 8, grid2d: true }, limits);
    expect(grid.map((c) => c.end - c.start)).toEqual([72, 28]);
  });

  it('splits on fixed-width binding sizes, the smaller of binding and buffer limits', () => {
    const chunks = planChunks({ count: 10, workgroupSize: 64, fixedBytesPerItem: [4, 64] }, { ...big, maxStorageBufferBindingSize: 1000, maxBufferSize: 256 });
    expect(chunks.map((c) => c.end - c.start)).toEqual([4, 4, 2]);
  });

  it('splits a variable-width column on byte boundaries, u32-padded, with the offsets column counted', () => {
    const lengths = [10, 0, 0, 7, 1, 30, 2, 2, 2, 0, 31];
    const offsets = offsetsOf(lengths);
    const limits = { ...big, maxStorageBufferBindingSize: 32 };
    const chunks = planChunks({ count: lengths.length, workgroupSize: 1, variableOffsets: offsets }, limits);
    checkCover(chunks, lengths.length);
    for (const c of chunks) {
      expect(c.dataStart).toBe(offsets[c.start]);
      expect(c.dataEnd).toBe(offsets[c.end]);
      expect(Math.ceil((c.dataEnd - c.dataStart) / 4) * 4).toBeLessThanOrEqual(32);
      expect((c.end - c.start + 1) * 4).toBeLessThanOrEqual(32);
      // Greedy: the next item would not have fit.
      if (c.end < lengths.length) {
        const grown = Math.ceil((offsets[c.end + 1] - c.dataStart) / 4) * 4;
        expect(grown > 32 || (c.end - c.start + 2) * 4 > 32).toBe(true);
      }
    }
  });

  it('random plans cover every item exactly once within the limits', () => {
    let seed = 7;
    const rand = (n: number) => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % n; };
    for (let t = 0; t < 200; t++) {
      const count = rand(50);
      const lengths = Array.from({ length: count }, () => rand(40));
      const binding = 40 + rand(200);
      const limits = { maxStorageBufferBindingSize: binding, maxBufferSize: 1 << 20, maxComputeWorkgroupsPerDimension: 1 + rand(5) };
      const chunks = planChunks({ count, workgroupSize: 1 + rand(4), variableOffsets: offsetsOf(lengths), fixedBytesPerItem: [rand(8)] }, limits);
      checkCover(chunks, count);
    }
  });

  it('names an item too big for any binding, and refuses limits that fit nothing', () => {
    expect(() => planChunks({ count: 3, workgroupSize: 1, variableOffsets: offsetsOf([1, 100, 1]) }, { ...big, maxStorageBufferBindingSize: 64 }))
      .toThrow(/item 1 has 100 bytes/);
    expect(() => planChunks({ count: 3, workgroupSize: 1, fixedBytesPerItem: [128] }, { ...big, maxStorageBufferBindingSize: 64 }))
      .toThrow(RangeError);
    expect(() => planChunks({ count: 3, workgroupSize: 1, variableOffsets: new Uint32Array(3) }, big)).toThrow(/expected count \+ 1/);
  });

  it('slices columnar data with rebased offsets', () => {
    const col = { data: new Uint8Array([1, 2, 3, 4, 5, 6]), offsets: new Uint32Array([0, 2, 2, 5, 6]) };
    const s = sliceColumnar(col, 1, 3);
    expect([...s.offsets]).toEqual([0, 0, 3]);
    expect([...s.data]).toEqual([3, 4, 5]);
  });

  it('lays out 2-D grids within the per-dimension limit', () => {
    expect(workgroupGrid(10, 65535)).toEqual([10, 1]);
    expect(workgroupGrid(0, 65535)).toEqual([1, 1]);
    const [x, y] = workgroupGrid(200_000, 65535);
    expect(x).toBeLessThanOrEqual(65535);
    expect(x * y).toBeGreaterThanOrEqual(200_000);
    expect(() => workgroupGrid(26, 5)).toThrow(RangeError);
  });
});

describe('createStaging (Dawn)', () => {
  let ctx: GpuContext;
  afterAll(() => ctx?.destroy());

  it('uploads, dispatches and reads back per chunk, reusing pooled buffers, under forced tiny limits', async () => {
    ctx = await acquireGpu();
    const { device } = ctx;
    // Sums each item's bytes: a kernel over a variable-width column.
    const module = device.createShaderModule({
      code: `
        @group(0) @binding(0) var<storage, read> data: array<u32>;
        @group(0) @binding(1) var<storage, read> offsets: array<u32>;
        @group(0) @binding(2) var<storage, read_write> out: array<u32>;
        @compute @workgroup_size(4) fn main(@builtin(global_invocation_id) gid: vec3u) {
          let i = gid.x;
          if (i + 1u >= arrayLength(&offsets)) { return; }
          var s = 0u;
          for (var p = offsets[i]; p < offsets[i + 1u]; p++) { s += (data[p >> 2u] >> ((p & 3u) * 8u)) & 0xffu; }
          out[i] = s;
        }`,
    });
    const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    const staging = createStaging(ctx, { maxStorageBufferBindingSize: 64, maxComputeWorkgroupsPerDimension: 2 });
    const lengths = Array.from({ length: 37 }, (_, i) => (i * 7) % 23);
    const offsets = offsetsOf(lengths);
    const data = new Uint8Array(offsets[lengths.length]).map((_, i) => (i * 31 + 5) & 0xff);
    const chunks = planChunks({ count: lengths.length, workgroupSize: 4, variableOffsets: offsets, fixedBytesPerItem: [4] }, staging.limits);
    expect(chunks.length).toBeGreaterThan(3);
    const got = new Uint32Array(lengths.length);
    const seen = new Set<GPUBuffer>();
    for (const c of chunks) {
      const part = sliceColumnar({ data, offsets }, c.start, c.end);
      const m = c.end - c.start;
      const dataBuf = staging.upload('data', part.data);
      const offBuf = staging.upload('offsets', part.offsets);
      const outBuf = staging.buffer('out', 4 * m);
      seen.add(dataBuf);
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [
          { binding: 0, resource: { buffer: dataBuf } },
          { binding: 1, resource: { buffer: offBuf, size: 4 * (m + 1) } },
          { binding: 2, resource: { buffer: outBuf } },
        ],
      }));
      pass.dispatchWorkgroups(Math.ceil(m / 4));
      pass.end();
      const [bytes] = await staging.submitAndRead(enc, [{ buffer: outBuf, offset: 0, size: 4 * m }]);
      got.set(new Uint32Array(bytes.buffer, 0, m), c.start);
    }
    const want = lengths.map((_, i) => data.subarray(offsets[i], offsets[i + 1]).reduce((a, b) => a + b, 0));
    expect([...got]).toEqual(want);
    // All chunks fit the first pooled data buffer (256 bytes minimum): no reallocation.
    expect(seen.size).toBe(1);
    staging.destroy();
  });

  it('paced reads (sleep through the predicted time, then map) return the bytes, also queued back to back', async () => {
    const c = await acquireGpu();
    const staging = createStaging(c);
    const read = (role: string, words: number[], units: number) => {
      const buf = staging.upload(role, new Uint32Array(words));
      return staging.submitAndRead(c.device.createCommandEncoder(), [{ buffer: buf, offset: 0, size: 4 * words.length }], { kind: 'test', units })
        .then(([b]) => [...new Uint32Array(b.buffer, b.byteOffset, words.length)]);
    };
    // The first read teaches the time per unit (for up to 40 units); holding
    // the event loop makes it take ≥ 30 ms, so the next ones sleep before mapping.
    const first = read('a', [1, 2], 40);
    const until = performance.now() + 30;
    while (performance.now() < until) { /* hold the event loop */ }
    expect(await first).toEqual([1, 2]);
    const [x, y] = await Promise.all([read('b', [3, 4, 5], 40), read('c', [6], 40)]);
    expect(x).toEqual([3, 4, 5]);
    expect(y).toEqual([6]);
    // A device lost during the sleep fails the read.
    const pending = read('d', [7], 400);
    c.destroy();
    await expect(pending).rejects.toThrow(/destroyed|lost|abort|unmapped/i);
  });

  it('fails a read in flight when the device is lost', async () => {
    const lostCtx = await acquireGpu();
    const staging = createStaging(lostCtx);
    const buf = staging.upload('x', new Uint32Array([1, 2, 3, 4]));
    const enc = lostCtx.device.createCommandEncoder();
    const pending = staging.submitAndRead(enc, [{ buffer: buf, offset: 0, size: 16 }]);
    lostCtx.destroy();
    await expect(pending).rejects.toThrow(/destroyed|lost|abort|unmapped/i);
  });
});
