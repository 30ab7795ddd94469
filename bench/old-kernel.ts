// The WGSL verifier as it was at an earlier commit, for side-by-side timing
// against the current one (bench/verify.ts --old-kernel COMMIT). Its `src/`
// and `shaders/` come out of git history into bench/out/kernel-COMMIT/ (so
// nothing old is kept in src/) and are imported from there; bench/out/ lies
// inside the project, so the project's node_modules resolve.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { GpuContext } from '../src/gpu/device.js';
import type { GpuVerifyKernel } from '../src/ed25519/gpu/kernel.js';

/** The kernel before the register redesign: two passes, one curve pass holding a whole verify. */
export const BASELINE_KERNEL_COMMIT = 'c4fe5be';

export async function loadKernelAt(commit: string): Promise<(ctx: GpuContext) => GpuVerifyKernel> {
  if (!/^[0-9a-f]{7,40}$/.test(commit)) throw new RangeError(`--old-kernel: ${JSON.stringify(commit)} is not a commit hash`);
  const root = fileURLToPath(new URL('..', import.meta.url));
  const dir = fileURLToPath(new URL(`./out/kernel-${commit}/`, import.meta.url));
  if (!existsSync(`${dir}/src/ed25519/gpu/kernel.ts`)) {
    mkdirSync(dir, { recursive: true });
    const tar = execFileSync('git', ['-C', root, 'archive', commit, 'src', 'shaders'], { maxBuffer: 64 << 20 });
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
  }
  const mod = await import(pathToFileURL(`${dir}/src/ed25519/gpu/kernel.ts`).href) as { createGpuVerifyKernel: (ctx: GpuContext) => GpuVerifyKernel };
  return mod.createGpuVerifyKernel;
}
