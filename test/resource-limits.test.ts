// Hostile inputs, run as real processes,
// fail fast with one clean line (exit 2) and a peak RSS under the documented
// bound (README "Resource limits"), instead of growing without limit.
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, ftruncateSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, checkWorkerCount, availableCores, MiB } from '../src/limits.js';
import { parseBlock } from '../src/tx/v1/index.js';
import { ResourceLimitError } from '../src/errors.js';
import { createCpuVerifier } from '../src/ed25519/cpu/backend.js';
import { readInputFile } from '../src/cli/args.js';
import { genesisToJson } from '../src/workload/files.js';

const ROOT = join(import.meta.dirname, '..');
/** The documented bound on the CLI's peak RSS for any refused input (3 × the 256 MiB cap, plus Node itself). */
const RSS_BOUND = 900 * MiB;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'preexec-limits-'));
  writeFileSync(join(dir, 'genesis.json'), genesisToJson([{ key: new Uint8Array(32).fill(1), balance: 5n }]));
  writeFileSync(join(dir, 'block.bin'), new Uint8Array(0));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A sparse file of `bytes` zeros (no disk blocks written). */
function sparse(name: string, bytes: number): string {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  try { ftruncateSync(fd, bytes); } finally { closeSync(fd); }
  return path;
}

interface Outcome { code: number | null; stdout: string; stderr: string; rss: number; ms: number }

function cli(args: string[], opts: { closeStdout?: boolean } = {}): Promise<Outcome> {
  const rssFile = join(dir, `rss-${Math.random().toString(36).slice(2)}`);
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', './test/support/rss-probe.mjs', 'src/cli.ts', ...args], {
      cwd: ROOT, env: { ...process.env, PREEXEC_RSS_FILE: rssFile },
    });
    let stdout = ''; let stderr = '';
    if (opts.closeStdout) child.stdout.destroy(); else child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      const rss = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : NaN;
      resolve({ code, stdout, stderr, rss, ms: performance.now() - t0 });
    });
  });
}

function expectRefused(o: Outcome, pattern: RegExp): void {
  expect(o.code, o.stderr).toBe(2);
  expect(o.stdout).toBe('');
  expect(o.stderr.endsWith('\n') && o.stderr.indexOf('\n') === o.stderr.length - 1, `one line: ${o.stderr}`).toBe(true);
  expect(o.stderr.length).toBeLessThanOrEqual(301);
  expect(o.stderr).toMatch(pattern);
  expect(o.rss, `peak RSS ${Math.round(o.rss / MiB)} MiB`).toBeLessThan(RSS_BOUND);
}

describe('hostile inputs, as processes', () => {
  it('--block /dev/zero: refused at the cap, naming the file', async () => {
    expectRefused(await cli(['run', '--genesis', join(dir, 'genesis.json'), '--block', '/dev/zero', '--backend', 'cpu', '--workers', '1']), /--block \/dev\/zero: more than the 256 MiB cap/);
  }, 60_000);

  it('merkle --in /dev/zero and --genesis /dev/urandom: the same', async () => {
    expectRefused(await cli(['merkle', '--in', '/dev/zero', '--backend', 'cpu']), /--in \/dev\/zero: more than the 256 MiB cap/);
    expectRefused(await cli(['run', '--genesis', '/dev/urandom', '--block', join(dir, 'block.bin'), '--workers', '1']), /--genesis \/dev\/urandom: more than the 256 MiB cap/);
  }, 60_000);

  it('--workers 1000: refused before any worker starts, naming the flag and the cap', async () => {
    const o = await cli(['run', '--genesis', join(dir, 'genesis.json'), '--block', join(dir, 'block.bin'), '--workers', '1000']);
    expectRefused(o, /--workers 1000 is more than 4 × \d+ cores? = \d+, the cap on worker threads/);
    expect(o.rss).toBeLessThan(300 * MiB);
  }, 60_000);

  it('a 460 MB block of zero-length records, a 3 GB sparse leaf file, a 600 MB JSONL (over the JS string limit): refused by size, naming the file', async () => {
    const zeros = sparse('zero-records.bin', 460 * 1e6);
    const o = await cli(['run', '--genesis', join(dir, 'genesis.json'), '--block', zeros, '--workers', '1']);
    expectRefused(o, /zero-records\.bin: 460000000 bytes, over the 256 MiB cap/);
    expect(o.rss).toBeLessThan(300 * MiB);
    expectRefused(await cli(['merkle', '--in', sparse('leaves-3g.txt', 3 * 2 ** 30)]), /leaves-3g\.txt: 3221225472 bytes, over the 256 MiB cap/);
    expectRefused(await cli(['verify', '--in', sparse('lines.jsonl', 600 * 1e6)]), /lines\.jsonl: 600000000 bytes, over the 256 MiB cap/);
  }, 60_000);

  it('a genesis of 20 million empty objects (60 MB): refused before JSON.parse allocates them', async () => {
    const g = join(dir, 'objects.json');
    writeFileSync(g, `{"accounts": [${'{},'.repeat(20_000_000)}{}]}`);
    const o = await cli(['run', '--genesis', g, '--block', join(dir, 'block.bin'), '--workers', '1']);
    expectRefused(o, /objects\.json: more than 8388608 JSON values \(the cap on one JSON document\)/);
    expect(o.rss).toBeLessThan(400 * MiB);
  }, 60_000);

  it('verify --in of 200 MB of empty lines: "line 1: empty line", not 200 million strings (V8 died with exit 133)', async () => {
    const f = join(dir, 'newlines.jsonl');
    writeFileSync(f, new Uint8Array(200 * MiB).fill(0x0a));
    expectRefused(await cli(['verify', '--in', f, '--backend', 'cpu']), /newlines\.jsonl line 1: empty line$/m);
    rmSync(f);
  }, 60_000);

  it('a 100,000-digit balance: one bounded line', async () => {
    const g = join(dir, 'big-balance.json');
    writeFileSync(g, `{"accounts": [{"key": "${'11'.repeat(32)}", "balance": "${'9'.repeat(100_000)}"}]}`);
    expectRefused(await cli(['run', '--genesis', g, '--block', join(dir, 'block.bin'), '--workers', '1']), /balance "?9+.*\(100000 characters\) is outside u64/);
  }, 60_000);

  it('stdout closed by its reader (run --json | head -c 10): exit 141, nothing on stderr', async () => {
    const o = await cli(['run', '--genesis', join(dir, 'genesis.json'), '--block', join(dir, 'block.bin'), '--backend', 'cpu', '--workers', '1', '--json'], { closeStdout: true });
    expect(o.stderr).toBe('');
    expect(o.code).toBe(141);
  }, 60_000);
});

describe('caps in the library', () => {
  it('worker pools refuse more than LIMITS.workersPerCore × cores, naming the cap', async () => {
    const cap = LIMITS.workersPerCore * await availableCores();
    await expect(checkWorkerCount(cap)).resolves.toBeUndefined();
    await expect(checkWorkerCount(cap + 1, 'workers')).rejects.toThrow(ResourceLimitError);
    await expect(createCpuVerifier({ workers: 1000 })).rejects.toThrow(/workers 1000 is more than/);
  });

  it('a block of exactly recordsPerBlock zero-length records parses; one more record is refused before any per-record allocation', () => {
    const full = new Uint8Array(4 * LIMITS.recordsPerBlock);
    const b = parseBlock(full, 'full.bin');
    expect(b.count).toBe(LIMITS.recordsPerBlock);
    expect(b.offsets.length).toBe(LIMITS.recordsPerBlock + 1);
    expect(() => parseBlock(new Uint8Array(4 * LIMITS.recordsPerBlock + 4), 'over.bin')).toThrow(/^over\.bin: more than 1048576 records \(the cap on records per block\), record 1048576 at byte 4194304$/);
  });

  it('readInputFile: a pipe-like file over a small cap is refused; under it, read whole', async () => {
    const p = join(dir, 'small.txt');
    writeFileSync(p, 'x'.repeat(1000));
    expect((await readInputFile(p, '--in', 1000)).length).toBe(1000);
    await expect(readInputFile(p, '--in', 999)).rejects.toThrow(/--in .*small\.txt: 1000 bytes, over the 999 bytes cap/);
    await expect(readInputFile('/dev/zero', '--in', 3 * MiB + 5)).rejects.toThrow(/--in \/dev\/zero: more than the 3145733 bytes cap/);
    await expect(readInputFile(dir, '--in')).rejects.toThrow(/is a directory/);
    await expect(readInputFile('', '--out')).rejects.toThrow(/--out needs a file name/);
  });
});

describe('records per block, for blocks built by hand', () => {
  it('decodeBlock refuses more than LIMITS.recordsPerBlock records before allocating columns', async () => {
    const { decodeBlock } = await import('../src/exec/decode.js');
    const n = LIMITS.recordsPerBlock + 1;
    expect(() => decodeBlock({ bytes: new Uint8Array(0), offsets: new Uint32Array(n + 1), count: n })).toThrow(ResourceLimitError);
    expect(() => decodeBlock({ bytes: new Uint8Array(0), offsets: new Uint32Array(3), count: 5 })).toThrow(/count \+ 1 offsets/);
  });
});
