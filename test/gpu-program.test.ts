// The one compile-and-cache path of every compute kernel (src/gpu/program.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireGpu, type GpuContext } from '../src/gpu/device.js';
import { allKernelSources } from '../src/gpu/kernels.js';
import { defineProgram, ShaderCompileError, WORKGROUP_SIZE, wgslParamPrefix } from '../src/gpu/program.js';

// First, before this file's own test programs register.
describe('the kernel registry', () => {
  it('lists every kernel with its final WGSL, all built with the shared workgroup size', async () => {
    const kernels = await allKernelSources();
    const names = kernels.map((k) => k.name);
    for (const n of ['ed25519_verify_curve', 'ed25519_verify_hash', 'merkle_level', 'sha256_leaves']) expect(names).toContain(n);
    for (const k of kernels) {
      expect(k.source).toContain(`const WORKGROUP_SIZE: u32 = ${WORKGROUP_SIZE}u;`);
      expect(k.source).toMatch(new RegExp(`fn ${k.entryPoint}\\(`));
    }
  });

  it('imports every module of src/ that defines a program', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join, relative } = await import('node:path');
    const src = join(import.meta.dirname, '..', 'src');
    const registry = readFileSync(join(src, 'gpu', 'kernels.ts'), 'utf8');
    const modules = (readdirSync(src, { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts') && f !== join('gpu', 'program.ts') && /\bdefineProgram\(/.test(readFileSync(join(src, f), 'utf8')));
    expect(modules.length).toBeGreaterThan(0);
    for (const m of modules) expect(registry, m).toContain(`'${relative(join(src, 'gpu'), join(src, m)).replace(/\.ts$/, '.js')}'`);
  });
});

describe('program parameters', () => {
  it('become typed WGSL constants, and bad ones are refused before compiling', () => {
    expect(wgslParamPrefix('p', { WORKGROUP_SIZE: 64, WINDOW: 4, SIGNED: true })).toContain('const WORKGROUP_SIZE: u32 = 64u;\nconst WINDOW: u32 = 4u;\nconst SIGNED: bool = true;');
    expect(() => wgslParamPrefix('p', { window: 4 })).toThrow(/UPPER_SNAKE_CASE/);
    expect(() => wgslParamPrefix('p', { W: -1 })).toThrow(/not a u32/);
    expect(() => wgslParamPrefix('p', { W: 1.5 })).toThrow(/not a u32/);
    expect(() => wgslParamPrefix('p', { W: 2 ** 32 })).toThrow(/not a u32/);
  });

  it('are checked by name, and a program name is defined once', async () => {
    const p = defineProgram({ name: 'test_params', entryPoint: 'main', shaders: [], params: { LANES: 2 }, generate: (q) => `// lanes ${q.LANES}` });
    expect(p.params).toEqual({ WORKGROUP_SIZE, LANES: 2 });
    expect(await p.source({ LANES: 8 })).toMatch(/const LANES: u32 = 8u;[\s\S]*\/\/ lanes 8/);
    await expect(p.source({ LANE: 3 } as never)).rejects.toThrow(/unknown parameter LANE/);
    expect(() => defineProgram({ name: 'test_params', entryPoint: 'main', shaders: [] })).toThrow(/defined twice/);
  });
});

describe('compiling (Dawn)', () => {
  let ctx: GpuContext;
  beforeAll(async () => { ctx = await acquireGpu(); });
  afterAll(() => ctx?.destroy());

  it('caches per device and parameter set', async () => {
    const p = defineProgram({
      name: 'test_cache', entryPoint: 'main', shaders: [], params: { K: 1 },
      generate: () => '@group(0) @binding(0) var<storage, read_write> o: array<u32>;\n@compute @workgroup_size(WORKGROUP_SIZE) fn main(@builtin(global_invocation_id) g: vec3u) { o[g.x] = K; }',
    });
    const a = await p.compile(ctx.device);
    expect(await p.compile(ctx.device)).toBe(a);
    expect(await p.compile(ctx.device, { K: 1 })).toBe(a);
    const b = await p.compile(ctx.device, { K: 2 });
    expect(b).not.toBe(a);
    expect(a.workgroupSize).toBe(WORKGROUP_SIZE);
    expect((await p.compile(ctx.device, { WORKGROUP_SIZE: 32 })).workgroupSize).toBe(32);
  });

  it('names the part, line and column of a WGSL error, and does not cache the failure', async () => {
    const p = defineProgram({ name: 'test_error', entryPoint: 'main', shaders: ['sha256'], generate: () => 'fn broken() -> u32 {\n  return nope;\n}' });
    const err = await p.compile(ctx.device).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShaderCompileError);
    expect((err as Error).message).toMatch(/^test_error: WGSL compilation failed: generated code:2:10 \(source \d+:10\) .*nope/);
    await expect(p.compile(ctx.device)).rejects.toThrow(/nope/);
  });
});
