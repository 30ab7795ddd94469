// What a real GPU compiler makes of every compute kernel the project builds:
// each kernel's WGSL -> SPIR-V (Dawn) -> AMD ISA (Mesa's RADV/ACO on a null
// device, no GPU needed), one row per kernel and GPU family: registers,
// spills, scratch memory per thread, occupancy, instructions, code size and
// ACO's compile time. Compiler output, not timing (except the compile time),
// so valid on any machine. Prints a table and writes bench/out/isa.json.
// The path is tools/isa/isa.ts; test/isa-guard.test.ts holds the same
// numbers to budgets.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseFlags, UsageError } from '../src/cli/args.js';
import { ESTIMATED_U32_OPS_PER_VERIFY } from '../src/ed25519/gpu/kernel.js';
import { allKernelSources } from '../src/gpu/kernels.js';
import { DEFAULT_FAMILIES, measureKernels, REPO_ROOT, type IsaRow } from '../tools/isa/isa.js';

const HELP = `npm run bench:isa -- [--family navi21,gfx1100] [--kernel NAME[,NAME...]] [--json] [--help]

Compiles every compute kernel the project builds (or those named by --kernel)
for AMD GPU families with Mesa's RADV/ACO on a null device and prints, per
kernel and family: VGPRs, spilled VGPRs, scratch bytes per thread, waves per
SIMD, instructions, code bytes and ACO's compile time. Writes
bench/out/isa.json. --json prints that JSON instead of the table.

Families are Mesa's names: navi21 = RDNA2 (RX 6800/6900), gfx1100 = RDNA3
(RX 7900). Compute is compiled for wave64.

Needs Debian's mesa-vulkan-drivers, libvulkan-dev, spirv-tools, gcc and
chromium (SwiftShader, for Dawn to produce the SPIR-V).`;

export interface IsaReport {
  tool: 'bench:isa';
  driver: string;
  machine: { cpu: string | undefined; cores: number; platform: string };
  families: string[];
  /** ACO compile time of all kernels together, per family. */
  totalAcoCompileMs: Record<string, number>;
  /** The codegen's count of u32 operations per ed25519 verify (src/ed25519/gpu/kernel.ts). */
  u32OpsPerVerify: number;
  rows: IsaRow[];
}

export function formatIsaTable(rows: readonly IsaRow[]): string {
  const head = ['kernel', 'family', 'VGPRs', 'spilled', 'scratch B/th', 'waves/SIMD', 'instrs', 'code B', 'ACO ms'];
  const body = rows.map((r) => [r.kernel, r.family, r.vgprs, r.spilledVgprs, r.scratchBytesPerThread, r.wavesPerSimd, r.instructions, r.codeBytes, r.acoCompileMs.toFixed(0)].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), ...body.map(line)].join('\n');
}

export async function cli(argv: readonly string[]): Promise<void> {
  const flags = parseFlags(argv, { values: ['family', 'kernel'], switches: ['json', 'help'] });
  if (flags.has('help')) { process.stdout.write(`${HELP}\n`); return; }
  const families = (flags.value('family') ?? DEFAULT_FAMILIES.join(',')).split(',');
  for (const f of families) if (!/^[a-z0-9]+$/.test(f)) throw new UsageError(`--family: bad family name ${JSON.stringify(f)} (e.g. ${DEFAULT_FAMILIES.join(',')})`);
  const known = (await allKernelSources()).map((k) => k.name);
  const kernels = flags.value('kernel')?.split(',') ?? [];
  for (const k of kernels) if (!known.includes(k)) throw new UsageError(`--kernel: unknown kernel ${JSON.stringify(k)} (known: ${known.join(', ')})`);

  const json = flags.has('json');
  const rows = await measureKernels({
    families, kernels,
    onRow: json ? undefined : (r) => process.stderr.write(`compiled ${r.kernel} for ${r.family} in ${r.acoCompileMs.toFixed(0)} ms\n`),
  });
  const totalAcoCompileMs = Object.fromEntries(families.map((f) => [f, Math.round(rows.filter((r) => r.family === f).reduce((s, r) => s + r.acoCompileMs, 0))]));
  const report: IsaReport = {
    tool: 'bench:isa',
    driver: rows[0]?.driver ?? '',
    machine: { cpu: os.cpus()[0]?.model?.trim(), cores: os.availableParallelism?.() ?? os.cpus().length, platform: `${os.platform()} ${os.arch()}` },
    families,
    totalAcoCompileMs,
    u32OpsPerVerify: ESTIMATED_U32_OPS_PER_VERIFY,
    rows,
  };
  const outDir = path.join(REPO_ROOT, 'bench', 'out');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'isa.json'), `${JSON.stringify(report, null, 2)}\n`);
  if (json) { process.stdout.write(`${JSON.stringify(report, null, 2)}\n`); return; }
  process.stdout.write(`${report.driver}, compute wave64; scratch = private memory per thread (spills and dynamically indexed arrays)\n`);
  process.stdout.write(`${formatIsaTable(rows)}\n`);
  process.stdout.write(`ACO compile, all kernels: ${families.map((f) => `${f} ${totalAcoCompileMs[f]} ms`).join(', ')}\n`);
  process.stdout.write(`u32 operations per ed25519 verify (codegen count): ${ESTIMATED_U32_OPS_PER_VERIFY.toLocaleString('en-US')}\n`);
  process.stdout.write('wrote bench/out/isa.json\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  cli(process.argv.slice(2)).then(() => process.exit(0), (e: unknown) => {
    process.stderr.write(`bench:isa: ${(e as Error)?.message ?? e}\n`);
    process.exit(e instanceof UsageError ? 2 : 1);
  });
}
