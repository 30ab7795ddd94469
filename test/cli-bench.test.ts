import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { packSignatureBatch } from '../src/ed25519/batch.js';
import { benchCommand } from '../src/cli/bench.js';
import { sampleBatch } from '../src/cli/bench-common.js';

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
    for (const k of ['verifyNodeCryptoOneThread', 'verifyNodeCryptoOneThreadPreimportedKeys', 'executeSequentialOneThread', 'stateRootFullRecompute']) expect(j.baselines[k], k).toBeGreaterThan(0);
    // Fewer transactions than the sample size: the baselines time all of them.
    expect(j.baselines.verifySampleSize).toBe(120);
    expect(j.backend).toMatchObject({ requested: 'cpu', verify: 'cpu', stateRoot: 'cpu', rules: 'ref10' });
    expect(j.workload).toMatchObject({ workload: 'bad-sigs', accounts: 20, txsPerBlock: 40, blocks: 3, seed: 5, transactions: 120 });
    expect(j.machine.cores).toBeGreaterThan(0);
    expect(typeof j.machine.cpu).toBe('string');
    expect(j.runs).toHaveLength(2);
    // 25% of 40 per block are bad signatures; the rest are OK transfers.
    expect(j.receipts).toEqual({ OK: 90, BAD_SIGNATURE: 30 });
    expect(j.stateRoot).toMatch(/^[0-9a-f]{64}$/);
    // The speedup divides by the faster baseline, and names it.
    const best = Math.max(j.baselines.verifyNodeCryptoOneThread, j.baselines.verifyNodeCryptoOneThreadPreimportedKeys);
    expect(j.baselines[j.bestVerifyBaseline]).toBe(best);
    expect(j.endToEndOverBestVerifyBaseline).toBeCloseTo(j.tps.endToEnd / best, 1);
  });

  it('prints a human table and progress lines (non-TTY) on stderr', async () => {
    let out = '';
    let err = '';
    const code = await benchCommand(['--accounts', '8', '--txs', '16', '--blocks', '2', '--runs', '1', '--backend', 'cpu', '--workers', '1'], { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } }, { isTTY: false });
    expect(code).toBe(0);
    expect(out).toMatch(/end to end\s+[\d.]+\s+[\d,]+/);
    expect(out).toMatch(/node:crypto verify, 1 thread, fastest key import\s+[\d,]+/);
    expect(out).toMatch(/node:crypto verify, 1 thread, keys pre-imported \(ceiling\)\s+[\d,]+/);
    expect(out).toMatch(/end to end = [\d.]+× node:crypto verify, 1 thread, (keys pre-imported|fastest key import) \(the faster single-thread baseline/);
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

describe('preexec bench: the baselines\' sample', () => {
  // Blocks of 5, 0 and 7 items; item j of block b carries the byte 16·b + j.
  const blocks = [5, 0, 7].map((count, b) => packSignatureBatch(Array.from({ length: count }, (_, j) => ({
    publicKey: new Uint8Array(32).fill(16 * b + j),
    signature: new Uint8Array(64).fill(16 * b + j),
    message: new Uint8Array(1 + j).fill(16 * b + j),
  }))));
  const tags = (s: ReturnType<typeof sampleBatch>) => Array.from({ length: s.n }, (_, i) => s.batch.publicKeys[32 * i]);

  it('takes every item, in order, when the run is no larger than the sample', () => {
    for (const max of [12, 100]) {
      const s = sampleBatch(blocks, max);
      expect(tags(s)).toEqual([0, 1, 2, 3, 4, 32, 33, 34, 35, 36, 37, 38]);
      // Each item keeps its own signature and message (lengths differ).
      for (let i = 0; i < s.n; i++) {
        expect(s.batch.signatures[64 * i + 63]).toBe(tags(s)[i]);
        expect(s.batch.messageOffsets[i + 1] - s.batch.messageOffsets[i]).toBe(1 + (tags(s)[i] % 16));
      }
    }
  });

  it('strides evenly over every block (an empty block included) when the run is larger', () => {
    expect(tags(sampleBatch(blocks, 4))).toEqual([0, 3, 33, 36]); // items 0, 3, 6, 9 of 12: block 0's 0 and 3, block 2's 1 and 4
    expect(tags(sampleBatch(blocks, 1))).toEqual([0]);
    expect(sampleBatch(blocks, 0).n).toBe(0);
    expect(sampleBatch([blocks[1]], 10).n).toBe(0);
  });
});
