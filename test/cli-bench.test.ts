import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { benchCommand } from '../src/cli/bench.js';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
  return { code, out, err };
}

describe('preexec bench', () => {
  it('--json on a tiny workload yields every field, with numbers that agree with each other', async () => {
    const r = await run(['bench', '--json', '--workload', 'bad-sigs', '--bad-sigs', '25', '--accounts', '20', '--txs', '40', '--blocks', '3', '--runs', '2', '--backend', 'cpu', '--workers', '2', '--rules', 'ref10', '--seed', '5']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toMatch(/preexec bench:/); // progress only, no error
    expect(r.out.trim().split('\n')).toHaveLength(1);
    const j = JSON.parse(r.out);
    for (const k of ['endToEnd', 'verify', 'execute', 'stateRoot']) {
      expect(typeof j.tps[k], k).toBe('number');
      expect(j.tps[k], k).toBeGreaterThan(0);
    }
    for (const k of ['verifyNodeCryptoOneThread', 'verifyNodeCryptoOneThreadCachedKeys', 'executeSequentialOneThread', 'stateRootFullRecompute']) expect(j.baselines[k], k).toBeGreaterThan(0);
    expect(j.backend).toMatchObject({ requested: 'cpu', verify: 'cpu', stateRoot: 'cpu', rules: 'ref10' });
    expect(j.workload).toMatchObject({ workload: 'bad-sigs', accounts: 20, txsPerBlock: 40, blocks: 3, seed: 5, transactions: 120 });
    expect(j.machine.cores).toBeGreaterThan(0);
    expect(typeof j.machine.cpu).toBe('string');
    expect(j.runs).toHaveLength(2);
    // 25% of 40 per block are bad signatures; the rest are OK transfers.
    expect(j.receipts).toEqual({ OK: 90, BAD_SIGNATURE: 30 });
    expect(j.stateRoot).toMatch(/^[0-9a-f]{64}$/);
    expect(j.endToEndOverBestVerifyBaseline).toBeCloseTo(j.tps.endToEnd / Math.max(j.baselines.verifyNodeCryptoOneThread, j.baselines.verifyNodeCryptoOneThreadCachedKeys), 1);
  });

  it('prints a human table and progress lines (non-TTY) on stderr', async () => {
    let out = '';
    let err = '';
    const code = await benchCommand(['--accounts', '8', '--txs', '16', '--blocks', '2', '--runs', '1', '--backend', 'cpu', '--workers', '1'], { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } }, { isTTY: false });
    expect(code).toBe(0);
    expect(out).toMatch(/end to end\s+[\d.]+\s+[\d,]+/);
    expect(out).toMatch(/node:crypto verify, 1 thread/);
    expect(out).toMatch(/sequential execute, 1 thread/);
    expect(out).toMatch(/machine: .*\d+ cores/);
    expect(err).toMatch(/generated 32 transactions/);
    expect(err).not.toMatch(/\r/); // no terminal redraws when stderr is not a TTY
  });

  it('fails with one line and exit 2 on bad input', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--frobnicate'], /unknown flag --frobnicate/],
      [['--backend', 'gpu'], /--backend must be one of auto\|webgpu\|cpu/],
      [['--rules', 'ed448'], /--rules must be one of/],
      [['--workers', '0'], /--workers must be a positive integer/],
      [['--txs', 'many'], /--txs must be a positive integer/],
      [['--workload', 'nope'], /--workload must be one of/],
      [['--accounts', '1'], /--accounts must be at least 2/],
      [['--runs'], /--runs needs a value/],
      [['stray'], /unexpected argument/],
    ];
    for (const [argv, reason] of cases) {
      const r = await run(['bench', ...argv]);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(reason);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });
});
