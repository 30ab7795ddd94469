// Child process of tools/isa/isa.ts: compiles the named registered kernels
// (all when none is named) with Dawn on the Vulkan driver VK_ICD_FILENAMES
// names (SwiftShader), with Dawn's dump_shaders toggle, so that stdout carries
// Dawn's dump of each kernel's WGSL and SPIR-V (parsed by isa.ts parseDump).
// Nothing else goes to stdout: Dawn's own writes are buffered apart from
// Node's, so a marker written here could land inside a dump.
import { allKernelSources } from '../../src/gpu/kernels.js';

const names = process.argv.slice(2);
const kernels = (await allKernelSources()).filter((k) => names.length === 0 || names.includes(k.name));
const unknown = names.filter((n) => !kernels.some((k) => k.name === n));
if (unknown.length > 0) {
  process.stderr.write(`dump-spirv: unknown kernel ${unknown.join(', ')}\n`);
  process.exit(2);
}
const webgpu = await import('webgpu');
Object.assign(globalThis, webgpu.globals);
const gpu = webgpu.create(['enable-dawn-features=dump_shaders,disable_symbol_renaming']) as unknown as GPU;
const adapter = await gpu.requestAdapter();
if (!adapter) {
  process.stderr.write('dump-spirv: no WebGPU adapter (is SwiftShader installed?)\n');
  process.exit(1);
}
// Whatever the adapter allows, so that no kernel is refused for a default limit.
const l = adapter.limits;
const device = await adapter.requestDevice({
  requiredLimits: {
    maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
    maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
    maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
  },
});
for (const k of kernels) {
  const module = device.createShaderModule({ label: k.name, code: k.source });
  const errors = (await module.getCompilationInfo()).messages.filter((m) => m.type === 'error');
  if (errors.length > 0) {
    process.stderr.write(`dump-spirv: ${k.name}: ${errors.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ')}\n`);
    process.exit(1);
  }
  process.stderr.write(`dump-spirv: compiling ${k.name}\n`);
  await device.createComputePipelineAsync({ label: k.name, layout: 'auto', compute: { module, entryPoint: k.entryPoint } });
}
device.destroy();
process.exit(0);
