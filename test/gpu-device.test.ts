import { afterAll, describe, expect, it } from 'vitest';
import { acquireGpu, type GpuContext } from '../src/gpu/device.js';

describe('acquireGpu (Node, Dawn)', () => {
  let ctx: GpuContext | undefined;
  afterAll(() => ctx?.destroy());

  it('finds an adapter, reports it, and runs a compute shader', async () => {
    ctx = await acquireGpu({ wantLimits: { maxStorageBufferBindingSize: 1 << 30 } });
    expect(ctx.report.runtime).toBe('node-dawn');
    // CI has no GPU: the adapter is SwiftShader, and it must be reported as software.
    if (!process.env.PREEXEC_EXPECT_HARDWARE_GPU) expect(ctx.report.isSoftware).toBe(true);
    const { device } = ctx;
    const module = device.createShaderModule({
      code: `@group(0) @binding(0) var<storage, read_write> out: array<u32>;
        @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) { out[id.x] = id.x * 3u + 1u; }`,
    });
    const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    const n = 1000;
    const out = device.createBuffer({ size: 4 * 1024, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    const readback = device.createBuffer({ size: 4 * 1024, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: out } }] }));
    pass.dispatchWorkgroups(16);
    pass.end();
    enc.copyBufferToBuffer(out, 0, readback, 0, 4 * 1024);
    device.queue.submit([enc.finish()]);
    await readback.mapAsync(GPUMapMode.READ);
    const words = new Uint32Array(readback.getMappedRange().slice(0));
    readback.unmap();
    for (let i = 0; i < n; i++) expect(words[i]).toBe(i * 3 + 1);
  });

  it('fails work in flight with a clear error when the device is lost', async () => {
    const lostCtx = await acquireGpu();
    lostCtx.destroy();
    await expect(lostCtx.lost).rejects.toThrow(/GPU device was destroyed/);
  });
});
