// createVerifier: backend selection, option checks, broken batches, and the
// webgpu path end to end on a small batch (the GPU kernel's own differential
// tests are in test/ed25519-gpu*.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireGpu, type GpuContext } from '../src/gpu/device.js';
import { BatchFormatError, RULE_SETS, type RuleSet } from '../src/ed25519/batch.js';
import { createVerifier, crossoverItems, DEFAULT_RULES } from '../src/ed25519/verifier.js';
import { casesToBatch, edgeCases, oracleVerdicts, SPECCHECK_ROWS, speccheckCases, validCases } from './support/ed25519-cases.js';

const rowOf = (v: Uint8Array) => Array.from(v, (x) => (x ? 'V' : 'X')).join('');

let gpu: GpuContext;
beforeAll(async () => { gpu = await acquireGpu(); });
afterAll(() => gpu?.destroy());

describe('createVerifier', () => {
  it('defaults to zip215 where a rule set is not named (CLI, pipeline)', () => {
    expect(DEFAULT_RULES).toBe('zip215');
  });

  it('cpu: gives docs/verification.md rows and refuses a broken batch with BatchFormatError', async () => {
    for (const rules of RULE_SETS) {
      const v = await createVerifier({ rules, backend: 'cpu', workers: 1 });
      try {
        expect(v.backend).toBe('cpu');
        expect(rowOf(await v.verify(casesToBatch(speccheckCases()))), rules).toBe(SPECCHECK_ROWS[rules]);
        const good = casesToBatch(speccheckCases());
        await expect(v.verify({ ...good, signatures: good.signatures.subarray(64) })).rejects.toThrow(BatchFormatError);
        expect(await v.verify(casesToBatch([]))).toEqual(new Uint8Array(0));
      } finally {
        await v.destroy();
      }
    }
  });

  it('auto: a software adapter (SwiftShader here) never beats the CPU, so auto picks cpu and says why', async () => {
    const v = await createVerifier({ rules: 'ref10', backend: 'auto', device: gpu, workers: 1 });
    try {
      expect(gpu.report.isSoftware).toBe(true);
      expect(v.backend).toBe('cpu');
      expect(v.adapter?.isSoftware).toBe(true);
      expect(v.crossoverItems).toBeUndefined();
      expect(rowOf(await v.verify(casesToBatch(speccheckCases())))).toBe(SPECCHECK_ROWS.ref10);
    } finally {
      await v.destroy();
    }
    // The caller's device is the caller's: still usable.
    expect(gpu.device.createBuffer({ size: 4, usage: GPUBufferUsage.STORAGE })).toBeDefined();
  });

  it('crossover: the GPU takes batches where its fixed cost is paid back, never when it is slower per item', () => {
    expect(crossoverItems({ fixedMs: 15, perItemMs: 0.001 }, { fixedMs: 0.5, perItemMs: 0.05 })).toBe(296);
    expect(crossoverItems({ fixedMs: 0.1, perItemMs: 0.01 }, { fixedMs: 0.5, perItemMs: 0.05 })).toBe(1);
    expect(crossoverItems({ fixedMs: 1, perItemMs: 0.06 }, { fixedMs: 0.5, perItemMs: 0.05 })).toBe(Infinity);
    expect(crossoverItems({ fixedMs: 1, perItemMs: 0.05 }, { fixedMs: 0.5, perItemMs: 0.05 })).toBe(Infinity);
  });

  it('refuses bad options naming them', async () => {
    await expect(createVerifier({ rules: 'ed448' as RuleSet })).rejects.toThrow(/unknown rule set "ed448"/);
    await expect(createVerifier({ rules: 'zip215', backend: 'cuda' as 'cpu' })).rejects.toThrow(/unknown backend "cuda"/);
    await expect(createVerifier({ rules: 'zip215', backend: 'cpu', workers: 0 })).rejects.toThrow(/workers must be a positive integer/);
  });

  // One rule set, one small batch: SwiftShader is slow, and the kernel's
  // differential tests over all rule sets belong to the GPU engineer's files.
  it('webgpu: the same verdicts as the oracles through createVerifier, batch checks first', async () => {
    const cases = [...speccheckCases(), ...edgeCases(4).filter((_, i) => i % 40 === 0), ...validCases(3, 4)];
    const batch = casesToBatch(cases);
    for (const rules of ['zip215'] as const) {
      const v = await createVerifier({ rules, backend: 'webgpu', device: gpu });
      try {
        expect(v.backend).toBe('webgpu');
        expect(Array.from(await v.verify(batch)), rules).toEqual(Array.from(oracleVerdicts(cases, rules)));
        await expect(v.verify({ ...batch, publicKeys: batch.publicKeys.subarray(32) })).rejects.toThrow(BatchFormatError);
      } finally {
        await v.destroy();
      }
    }
  });
});
