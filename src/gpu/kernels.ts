// Every compute kernel the library builds, for tools (bench:isa, the ISA
// guard). Importing the library's entry point runs every module's
// defineProgram, so a new kernel is listed without touching this file.
import '../index.js';
import { registeredPrograms, type KernelSource } from './program.js';

/** Each registered program's WGSL with its default parameters, sorted by name. */
export async function allKernelSources(): Promise<KernelSource[]> {
  const programs = registeredPrograms().sort((a, b) => (a.name < b.name ? -1 : 1));
  return Promise.all(programs.map(async (p) => ({ name: p.name, entryPoint: p.entryPoint, params: { ...p.params }, source: await p.source() })));
}
