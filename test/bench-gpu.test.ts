// `npm run bench:gpu -- --quick` at its smallest (SwiftShader in CI): the one
// JSON has every section, and every GPU result agrees with the CPU.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, type GpuBenchReport } from '../bench/gpu.js';
import { UsageError } from '../src/cli/args.js';

describe('bench:gpu', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'preexec-bench-gpu-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses bad flags before doing anything', async () => {
    await expect(cli(['--max-logs', '4'])).rejects.toThrow(UsageError);
    await expect(cli(['--min-log', '5', '--max-log', '4'])).rejects.toThrow(/--min-log 5 is above --max-log 4/);
    await expect(cli(['--runs', '0'])).rejects.toThrow(/positive integer/);
  });

  it('--quick writes one JSON: adapter, machine, verify and Merkle rows checked against the CPU, incremental, end to end', async () => {
    const out = path.join(dir, 'gpu.json');
    await cli(['--quick', '--min-log', '4', '--max-log', '4', '--runs', '1', '--out', out]);
    const r = JSON.parse(readFileSync(out, 'utf8')) as GpuBenchReport & { endToEnd: { tps: { endToEnd: number }; backend: { verify: string } } };
    expect(r.bench).toBe('gpu');
    expect(r.quick).toBe(true);
    for (const k of ['vendor', 'architecture', 'device', 'isSoftware'] as const) expect(r.adapter).toHaveProperty(k);
    expect(r.machine.cores).toBeGreaterThan(0);
    expect(r.verify.rows).toEqual([expect.objectContaining({ items: 16, cpuChecked: 16, matchesCpu: true, runsMs: [expect.any(Number)] })]);
    expect(r.verify.rows[0].verifiesPerS).toBeGreaterThan(0);
    expect(r.merkle.rows).toEqual([expect.objectContaining({ leaves: 16, matchesCpu: true })]);
    expect(r.incremental).toMatchObject({ leaves: 16, touched: 3, rootMatchesReference: true });
    expect(r.endToEnd.backend.verify).toBe('webgpu');
    expect(r.endToEnd.tps.endToEnd).toBeGreaterThan(0);
  }, 300_000);
});
