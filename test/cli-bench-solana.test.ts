// `preexec bench --format solana`: a tiny run of each mode, to check the
// report's shape and that flags are checked (figures mean nothing here).
import { describe, expect, it } from 'vitest';
import { runArgv } from './support/cli-run.js';

const run = runArgv;

describe('preexec bench --format solana', () => {
  it('reports packets/s and signatures/s per stage beside the node:crypto baseline (--json)', async () => {
    const r = await run(['bench', '--format', 'solana', '--txs', '300', '--accounts', '40', '--runs', '2', '--backend', 'cpu', '--workers', '1', '--json']);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.out);
    expect(Object.keys(rep.perStage)).toEqual(['decode', 'dedup', 'verify', 'locks', 'batch', 'verifierAlone', 'cpuOnly', 'stage']);
    for (const s of Object.values(rep.perStage) as { ms: number; packetsPerS: number; signaturesPerS: number }[]) {
      expect(s.ms).toBeGreaterThanOrEqual(0);
      expect(s.packetsPerS).toBeGreaterThanOrEqual(0);
    }
    expect(rep.perStage.stage.packetsPerS).toBeGreaterThan(0);
    expect(rep.baselines.verifyNodeCryptoOneThread).toBeGreaterThan(0);
    expect(rep.baselines.verifySampleSize).toBe(rep.signatures);
    expect(rep.stageOverBestVerifyBaseline).toBeGreaterThan(0);
    expect(rep.backend).toMatchObject({ requested: 'cpu', used: 'cpu', rules: 'solana', batchSize: 64, workers: 1 });
    expect(rep.runs).toHaveLength(2);
    expect(rep.workload).toMatchObject({ format: 'solana', txs: 300, transactions: 300 });
    expect(rep.valid).toBe(300 - rep.workload.counts.duplicate - rep.workload.counts.badSignature);
    expect(rep.machine.cores).toBeGreaterThan(0);
  });

  it('--parse-only times the CPU part alone; human output is a table', async () => {
    const j = await run(['bench', '--format=solana', '--parse-only', '--txs', '400', '--runs', '2', '--json']);
    expect(j.code).toBe(0);
    const rep = JSON.parse(j.out);
    expect(rep.mode).toBe('parse-only');
    expect(Object.keys(rep.perStage)).toEqual(['decode', 'dedup', 'locks', 'batches', 'other', 'total']);
    expect(rep.perStage.total.packetsPerS).toBeGreaterThan(0);
    expect(rep.runs).toHaveLength(2);
    const h = await run(['bench', '--format', 'solana', '--parse-only', '--txs', '100', '--runs', '1']);
    expect(h.code).toBe(0);
    expect(h.out).toMatch(/^all of it \(wall\)\s+[0-9.]+\s+[0-9,]+$/m);
  });

  it('bad flags are usage errors (exit 2, nothing on stdout)', async () => {
    for (const [argv, msg] of [
      [['--format', 'solana', '--parse-only', '--backend', 'cpu'], /--backend does not apply to --parse-only/],
      [['--format', 'solana', '--workload', 'hot'], /unknown flag --workload/],
      [['--format', 'solana', '--v0', '200'], /--v0 must be a percentage/],
      [['--format', 'nope'], /--format/],
    ] as const) {
      const r = await run(['bench', ...argv]);
      expect([r.code, r.out]).toEqual([2, '']);
      expect(r.err).toMatch(msg);
    }
  });
});
