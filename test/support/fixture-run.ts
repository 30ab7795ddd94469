// Runs a test fixture script in its own Node process (through tsx), for
// tests about what a whole program does, such as whether it exits by itself.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface FixtureRun {
  /** Exit code, the signal that ended it, or 'timeout' (it was killed after `timeoutMs`). */
  code: number | string;
  stdout: string;
  stderr: string;
}

/**
 * Runs `test/fixtures/<name>` and waits for it to exit; `onStdout` sees the
 * stdout gathered so far after each chunk. The timeout is generous for a
 * loaded machine: a process held open by a stray handle never exits.
 */
export async function runFixture(name: string, onStdout?: (stdoutSoFar: string) => void, timeoutMs = 120_000): Promise<FixtureRun> {
  const script = fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d; onStdout?.(stdout); });
  child.stderr.on('data', (d: Buffer) => { stderr += d; });
  const code = await new Promise<number | string>((resolve) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); resolve('timeout'); }, timeoutMs);
    child.on('exit', (c, signal) => { clearTimeout(timer); resolve(c ?? signal ?? 'unknown'); });
  });
  return { code, stdout, stderr };
}
