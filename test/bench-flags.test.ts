// The bench scripts parse their flags strictly (bench/flags.ts): --help
// prints the usage and exits 0, an unknown flag or a bad number exits 2
// with one line, before any measuring starts.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const SCRIPTS = ['verify', 'merkle', 'execute', 'merkle-incremental'];

function tsx(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ stdout, stderr, code: err ? (typeof err.code === 'number' ? err.code : 1) : 0 });
    });
  });
}

describe('bench scripts: strict flags', () => {
  for (const script of SCRIPTS) {
    it(`bench/${script}.ts: --help, an unknown flag, a bad value`, async () => {
      const help = await tsx([`bench/${script}.ts`, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^usage: /);
      expect(help.stdout).toMatch(/Example \(short\): /);
      const unknown = await tsx([`bench/${script}.ts`, '--frobnicate']);
      expect(unknown.code).toBe(2);
      expect(unknown.stdout).toBe('');
      expect(unknown.stderr.trim()).toMatch(new RegExp(`^bench/${script}\\.ts: unknown flag --frobnicate`));
      const bad = await tsx([`bench/${script}.ts`, '--runs', 'x']);
      expect(bad.code).toBe(2);
      expect(bad.stdout).toBe('');
    });
  }

  it('bench/chrome.ts: --help, an unknown flag, a bad value, before Chromium starts', async () => {
    const help = await tsx(['bench/chrome.ts', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run bench:chrome/);
    const unknown = await tsx(['bench/chrome.ts', '--frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toMatch(/^bench\/chrome\.ts: unknown flag --frobnicate/);
    const bad = await tsx(['bench/chrome.ts', '--timeout', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
  });
});
