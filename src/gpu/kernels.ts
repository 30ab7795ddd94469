// Every compute kernel the library builds, for tools (bench:isa, the ISA
// guard). Importing each kernel module runs its defineProgram; the package's
// entry point is no longer enough (it exports no kernel internals, and the
// GPU host modules load on demand), so a module that defines a program is
// listed here, and test/gpu-program.test.ts checks that every module calling
// defineProgram is.
import '../ed25519/gpu/kernel.js';
import '../merkle/gpu.js';
import { registeredPrograms, type KernelSource } from './program.js';

/** Each registered program's WGSL with its default parameters, sorted by name. */
export async function allKernelSources(): Promise<KernelSource[]> {
  const programs = registeredPrograms().sort((a, b) => (a.name < b.name ? -1 : 1));
  return Promise.all(programs.map(async (p) => ({ name: p.name, entryPoint: p.entryPoint, params: { ...p.params }, source: await p.source() })));
}
