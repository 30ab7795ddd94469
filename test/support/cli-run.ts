// Running `preexec` commands in-process for CLI tests, with input files in a
// temporary directory removed after the file's tests.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { main } from '../../src/cli.js';

/** A scratch directory (removed after the test file) and a writer of files in it. */
export function scratchFiles(prefix: string): { dir: string; file(name: string, content: string | Uint8Array): string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    file(name, content) {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
  };
}

/** Runs `preexec <command> ...argv` and collects its exit code and output. */
export async function runCommand(command: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main([command, ...argv], { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
  return { code, stdout, stderr };
}

/** Runs `preexec ...argv` (the command first) with the output as `out` and `err`. */
export async function runArgv(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const [command, ...rest] = argv;
  const r = await runCommand(command, ...rest);
  return { code: r.code, out: r.stdout, err: r.stderr };
}
