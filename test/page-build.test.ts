// The production build of the bench page: `vite build` into a temporary
// folder, served by `vite preview` at `/`, run in headless Chromium to its
// results. Every worker kind must have been bundled (the verify worker runs
// the pipeline's signatures, the executor's helper thread its blocks, the
// Merkle worker the 8,192-leaf CPU state root of the sweep) and the shaders
// found (state root on WebGPU); receipts and state root equal the Node
// pipeline's on the same workload.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPage, runChromePage } from '../bench/chrome.js';
import { nodePipelineRun } from './support/page-support.js';

describe('bench page, production build (vite build + vite preview)', () => {
  let outDir: string | undefined;
  afterAll(async () => { if (outDir) await rm(outDir, { recursive: true, force: true }); });

  it('runs to its results, with receipts and state root equal to the Node pipeline\'s', async () => {
    outDir = await mkdtemp(path.join(os.tmpdir(), 'preexec-page-build-'));
    await buildPage(outDir);
    const assets = await readdir(path.join(outDir, 'assets'));
    for (const worker of ['verify-worker', 'cpu-worker', 'helper-worker']) {
      expect(assets.some((f) => f.startsWith(`${worker}-`) && f.endsWith('.js')), `${worker} bundled`).toBe(true);
    }

    const spec = { workload: 'bad-sigs' as const, accounts: 12, txsPerBlock: 20, blocks: 3, seed: 11 };
    const page = await runChromePage({
      builtDir: outDir,
      query: `workload=${spec.workload}&accounts=${spec.accounts}&txs=${spec.txsPerBlock}&blocks=${spec.blocks}&seed=${spec.seed}&rules=ref10`
        + '&verifyBackend=cpu&stateRootBackend=webgpu&workers=2&sweep=stateRoot,execute&sizes=8,8192&gpuVerify=0&reps=1',
      timeoutMs: 240_000,
    });
    expect(page.status).toBe('done');
    expect(page.crossOriginIsolated).toBe(true);
    expect(page.pipeline?.backends).toMatchObject({ verify: 'cpu', stateRoot: 'webgpu', executeWorkers: 2 });
    const sweep = page.sweep ?? [];
    expect(sweep.filter((p) => p.stage === 'stateRoot' && p.backend === 'cpu').map((p) => p.size)).toEqual([8, 8192]);

    const node = await nodePipelineRun(spec, 'ref10');
    expect(page.pipeline!.blockReceipts).toEqual(node.blockReceipts);
    expect(page.pipeline!.stateRoot).toBe(node.stateRoot);
  });
});
