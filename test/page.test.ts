import { describe, expect, it } from 'vitest';
import { runChromePage } from '../bench/chrome.js';
import { nodePipelineRun } from './support/page-support.js';

// The bench page in headless Chromium (SwiftShader): a small bad-sigs
// workload signed in the browser with noble, signatures verified and the
// state root hashed on the browser's WebGPU, executed on a Web Worker pool;
// the sweep also times WebCrypto and noble in Web Workers. Its receipts and state root must
// equal the Node pipeline's (CPU backend) for the same workload (same seed),
// and every number the page reports must be there.
describe('bench page in headless Chromium', () => {
  it('reports its numbers, and its receipts and state root equal the Node pipeline\'s', async () => {
    const spec = { workload: 'bad-sigs' as const, accounts: 12, txsPerBlock: 20, blocks: 3, seed: 9 };
    const page = await runChromePage({
      query: `workload=${spec.workload}&accounts=${spec.accounts}&txs=${spec.txsPerBlock}&blocks=${spec.blocks}&seed=${spec.seed}&rules=solana`
        + '&backend=webgpu&workers=2&sizes=8,32&gpuVerify=1&reps=1',
      timeoutMs: 240_000,
    });
    expect(page.status).toBe('done');
    expect(page.crossOriginIsolated).toBe(true);
    expect(page.adapter?.runtime).toBe('browser');
    expect(page.pipeline?.backends).toMatchObject({ verify: 'webgpu', stateRoot: 'webgpu' });
    for (const k of ['endToEnd', 'decode', 'verify', 'execute', 'stateRoot'] as const) expect(page.pipeline!.tps[k], k).toBeGreaterThan(0);
    expect(page.startupMs).toBeGreaterThan(0);
    expect(page.config).toMatchObject({ backend: 'webgpu', rules: 'solana', txs: spec.txsPerBlock, sizes: [8, 32] });
    if (!process.env.PREEXEC_HARDWARE_GPU) expect(page.adapterLabel).toBe('WebGPU (SwiftShader, software)');
    expect(page.cpuEngine).toBe('webcrypto');
    expect(page.webCryptoGain?.size).toBe(32);
    expect(page.pipeline!.receipts).toEqual({ OK: 54, BAD_SIGNATURE: 6 });
    const sweep = page.sweep ?? [];
    const series = [['verify', 'cpu', 'webcrypto'], ['verify', 'cpu', 'noble'], ['verify', 'webgpu'], ['stateRoot', 'cpu'], ['stateRoot', 'webgpu'], ['execute', 'cpu']];
    for (const [stage, backend, engine] of series) {
      const points = sweep.filter((p) => p.stage === stage && p.backend === backend && p.engine === engine);
      expect(points.map((p) => p.size), `${stage}/${backend}/${engine}`).toEqual([8, 32]);
      for (const p of points) expect(p.perSecond).toBeGreaterThan(0);
    }

    const node = await nodePipelineRun(spec, 'solana');
    expect(page.pipeline!.blockReceipts).toEqual(node.blockReceipts);
    expect(page.pipeline!.stateRoot).toBe(node.stateRoot);
  });
});
