// Idle worker threads do not keep Node alive: a program that never closes
// its verifier, hasher or pipeline exits by itself once nothing is in flight.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('worker threads and process exit', () => {
  it('a program that forgets close() exits once its last job is done', async () => {
    const script = fileURLToPath(new URL('./fixtures/forget-to-close.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let doneAt = 0;
    child.stdout.on('data', (d: Buffer) => { stdout += d; if (!doneAt && stdout.includes('done')) doneAt = Date.now(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d; });
    const code = await new Promise<number | string>((resolve) => {
      // Generous for a loaded machine; a process held open by its workers never exits.
      const timer = setTimeout(() => { child.kill('SIGKILL'); resolve('timeout'); }, 120_000);
      child.on('exit', (c, signal) => { clearTimeout(timer); resolve(c ?? signal ?? 'unknown'); });
    });
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^done 11 32 32\n$/);
    // After its last job the program has nothing to do: it ends at once.
    expect(Date.now() - doneAt).toBeLessThan(5_000);
  });
});
