// The command line a person expects (docs/cli.md): --help on every command
// with its example (run here, in a copy of docs/examples/), --version, one
// exit-code scheme, and the GPU driver's own messages kept off stderr.
import { describe, expect, it, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { splitWords } from './support/doc-examples.js';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
/** The commands `preexec --help` lists (every one must have a full --help). */
async function listedCommands(): Promise<string[]> {
  const help = (await cli(['--help'])).stdout;
  const section = help.slice(help.indexOf('\ncommands:\n'), help.indexOf('\n\n', help.indexOf('\ncommands:\n') + 1));
  return [...section.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((m) => m[1]);
}
const COMMANDS = await listedCommands();
const scratch = mkdtempSync(join(tmpdir(), 'preexec-help-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function cli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ stdout: string; stderr: string; code: number }> {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? ROOT, env: opts.env ?? process.env, timeout: 300_000 }, (err, stdout, stderr) => {
      resolve({ stdout, stderr, code: err ? (typeof err.code === 'number' ? err.code : 1) : 0 });
    });
  });
}

describe('preexec --help, --version', () => {
  it('preexec --help lists every command and the exit codes; no command is bad input (exit 2, nothing on stdout)', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(COMMANDS).toEqual(expect.arrayContaining(['run', 'verify', 'merkle', 'gen', 'bench']));
    expect(help.stdout).toMatch(/exit codes/);
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/usage: preexec/);
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = await cli([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${pkg.version}\n`);
    }
  });

  for (const command of COMMANDS) {
    it(`preexec ${command} --help: usage, defaults, exit codes and an example that runs`, async () => {
      const r = await cli([command, '--help']);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(new RegExp(`^usage: preexec ${command} `));
      expect(r.stdout).toMatch(/default/);
      expect(r.stdout).toMatch(/Exit codes: 0 /);
      // -h and --help anywhere, even beside a bad flag, print the same help.
      expect((await cli([command, '--frobnicate', '-h'])).stdout).toBe(r.stdout);
      const example = /\nExample[^\n]*:\n {2}preexec ([^\n]+)\n/.exec(r.stdout);
      expect(example, 'an example').not.toBeNull();
      const cwd = join(scratch, command);
      cpSync(join(ROOT, 'docs', 'examples'), cwd, { recursive: true });
      const ran = await cli(splitWords(example![1], `${command} --help`), { cwd });
      expect(ran.code, ran.stderr).toBe(0);
      expect(ran.stdout).not.toBe('');
    });
  }

  it('an unknown flag is exit 2 with one line naming it and nothing on stdout, for every command', async () => {
    for (const command of COMMANDS) {
      const r = await cli([command, '--frobnicate']);
      expect(r.code, command).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/--frobnicate/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('GPU driver messages', () => {
  // A Vulkan driver list naming a missing file makes the loader and Dawn print warnings on fd 2.
  const env = { ...process.env, VK_ICD_FILENAMES: join(scratch, 'no-such-icd.json') };

  it('stay off stderr by default, and auto says why it used the CPU', async () => {
    const r = await cli(['merkle', '--in', join(ROOT, 'docs', 'examples', 'leaves.txt'), '--json'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { backend: string; fallbackReason?: string };
    expect(out.backend).toBe('cpu');
    expect(out.fallbackReason).toMatch(/^no GPU: /);
  });

  it('reach stderr with --verbose', async () => {
    const r = await cli(['merkle', '--in', join(ROOT, 'docs', 'examples', 'leaves.txt'), '--json', '--verbose'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Warning|vkCreateInstance|loader/);
  });

  it('a missing GPU asked for by name is exit 1 with one line on stderr', async () => {
    const r = await cli(['merkle', '--in', join(ROOT, 'docs', 'examples', 'leaves.txt'), '--backend', 'webgpu'], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^preexec merkle: no WebGPU adapter/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
