#!/usr/bin/env node
// The `preexec` command (docs/cli.md). Each subcommand lives in
// src/cli/<name>.ts and returns its exit code; bad input ends here as one
// line on stderr.
import { UsageError } from './cli/args.js';
import { oneLine, quoteForMessage } from './errors.js';

export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

type Command = (argv: string[], io: CommandIo) => Promise<number>;

/** Exit statuses, the same for every command (docs/cli.md#exit-codes). */
export const EXIT = {
  OK: 0,
  /** The environment or the program: no GPU for --backend webgpu, a lost device, an internal error. */
  ENVIRONMENT: 1,
  /** The user's input: a flag, a file, a format. One line on stderr names it; nothing on stdout. */
  BAD_INPUT: 2,
} as const;

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  run: { summary: 'apply blocks of transfers to a genesis: receipts and the state root', load: async () => (await import('./cli/run.js')).runCommand },
  verify: { summary: 'verify ed25519 signatures (JSON lines) under a rule set', load: async () => (await import('./cli/verify.js')).verifyCommand },
  merkle: { summary: 'the RFC 6962 Merkle root of a file of hex leaves', load: async () => (await import('./cli/merkle.js')).merkleCommand },
  gen: { summary: 'write a genesis and blocks of signed transfers for a named workload', load: async () => (await import('./cli/gen.js')).genCommand },
  bench: { summary: 'run the whole pipeline on a generated workload: throughput per stage', load: async () => (await import('./cli/bench.js')).benchCommand },
  solana: { summary: 'sigverify, dedup, account locks and conflict batches of Solana packets (base64 lines)', load: async () => (await import('./cli/solana.js')).solanaCommand },
};

/** The package's version (package.json sits one level above src/ and dist/). */
export async function packageVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function usage(version: string): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length)) + 2;
  return `preexec ${version}: a blockchain node's pre-execution stage on the GPU

usage: preexec <command> [flags]
       preexec <command> --help     flags, defaults, formats and an example

commands:
${names.map((n) => `  ${n.padEnd(width)}${COMMANDS[n].summary}`).join('\n')}

flags for every command:
  --help, -h      help (for preexec itself or for a command)
  --version, -V   print the version
  --verbose       let the GPU driver's own messages (Dawn, the Vulkan loader)
                  through to stderr; by default they are kept off it
  --json          (run, verify, merkle, gen, bench) one JSON object on stdout

exit codes (every command):
  0  success
  2  bad input: a flag, a file or a format; one line on stderr names it, nothing on stdout
  1  the environment or an internal error: no GPU for --backend webgpu, a lost device, ...

Documentation: docs/cli.md in the package.
`;
}

export async function main(argv: string[], io: CommandIo): Promise<number> {
  // --verbose only matters to the process that starts the GPU (see runQuietly below).
  argv = argv.filter((a) => a !== '--verbose');
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    io.stdout(`${await packageVersion()}\n`);
    return EXIT.OK;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? io.stdout : io.stderr)(usage(await packageVersion()));
    return name ? EXIT.OK : EXIT.BAD_INPUT;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`preexec: unknown command ${quoteForMessage(name)} (commands: ${Object.keys(COMMANDS).join(', ')}; preexec --help)\n`);
    return EXIT.BAD_INPUT;
  }
  try {
    return await (await command.load())(rest, io);
  } catch (e) {
    const err = e as Error;
    // One line of bounded length: the reason. A UsageError, a named input
    // error or an input over a cap (ResourceLimitError, a RangeError) is the
    // user's to fix (exit 2); anything else is ours or the machine's (exit 1).
    io.stderr(`${oneLine(`preexec ${name}: ${err?.message ?? String(e)}`)}\n`);
    return err instanceof UsageError || err?.name?.endsWith('FormatError') || err?.name === 'InputEncodingError'
      || err instanceof SyntaxError || err instanceof RangeError ? EXIT.BAD_INPUT : EXIT.ENVIRONMENT;
  }
}

/** Whether this command line may start a GPU (whose driver may print on the process's stderr). */
function mayStartGpu(argv: readonly string[]): boolean {
  const [name, ...rest] = argv;
  if (!['run', 'verify', 'merkle', 'bench', 'solana'].includes(name ?? '')) return false;
  if (rest.includes('--help') || rest.includes('-h')) return false;
  const at = rest.indexOf('--backend');
  const backend = at >= 0 ? rest[at + 1] : rest.find((a) => a.startsWith('--backend='))?.slice('--backend='.length);
  return backend !== 'cpu';
}

/** Lines Dawn, the Vulkan loader and SwiftShader print on fd 2 by themselves. */
const DRIVER_NOISE = [
  /^Warning: /, /^Error: .*(Vulkan|vk[A-Z]|Dawn|adapter|ICD)/, /^ - While /, /^\s+at \S+ \(.*(dawn|third_party|\.cpp)/i,
  /^error: XDG_RUNTIME_DIR/, /^(ERROR|WARNING|INFO): *\[?(Loader|loader|vk)/, /^MESA|^radv|^ANV|^libEGL/, /^\s*$/,
];

/**
 * Runs this command line in a child process whose fd 2 is a pipe, so the GPU
 * driver's own messages (written by native code straight to fd 2) stay off
 * the user's stderr; the child writes its own stderr lines to fd 3, which is
 * this process's stderr. When the child ends abnormally (not 0, 1 or 2),
 * whatever else it wrote on fd 2 (a crash report) is shown, less driver noise.
 */
async function runQuietly(argv: string[]): Promise<number> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1], ...argv], {
    stdio: ['inherit', 'inherit', 'pipe', 2],
    env: { ...process.env, PREEXEC_STDERR_FD: '3' },
  });
  let captured = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (text: string) => { captured = (captured + text).slice(-256 * 1024); });
  const forward = (signal: NodeJS.Signals) => () => { child.kill(signal); };
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
  process.off('SIGINT', onInt);
  process.off('SIGTERM', onTerm);
  if (code !== 0 && code !== 1 && code !== 2) {
    const kept = captured.split('\n').filter((l) => !DRIVER_NOISE.some((re) => re.test(l)));
    if (kept.length > 0) process.stderr.write(`${kept.join('\n')}\n`);
  }
  if (signal) {
    const { constants } = await import('node:os');
    return 128 + (constants.signals[signal] ?? 0);
  }
  return code ?? 1;
}

/** Writes all of `text` to a file descriptor, waiting out a full non-blocking pipe. */
async function writeFd(fd: number, text: string): Promise<void> {
  const { writeSync } = await import('node:fs');
  let buf = Buffer.from(text);
  for (let tries = 0; buf.length > 0 && tries < 1000; tries++) {
    try {
      buf = buf.subarray(writeSync(fd, buf));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') return;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

const invokedDirectly = typeof process !== 'undefined' && process.argv[1]
  && (await import('node:url')).fileURLToPath(import.meta.url) === (await import('node:fs')).realpathSync(process.argv[1]);
/**
 * Exit status when the reader of stdout goes away (`preexec run --json | head -c 10`):
 * 141 = 128 + SIGPIPE, what a C tool killed by SIGPIPE reports, so `set -o
 * pipefail` scripts see the same status whichever tool fed the pipe. Quiet:
 * the reader chose to stop reading; there is nothing to tell it.
 */
export const EXIT_BROKEN_PIPE = 141;

if (invokedDirectly) {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(EXIT_BROKEN_PIPE);
    process.stderr.write(`${oneLine(`preexec: cannot write the output: ${e.message}`)}\n`);
    process.exit(1);
  });
  const argv = process.argv.slice(2);
  let code: number;
  if (process.env.PREEXEC_STDERR_FD === undefined && !argv.includes('--verbose') && mayStartGpu(argv)) {
    code = await runQuietly(argv);
  } else {
    const stderrFd = process.env.PREEXEC_STDERR_FD === undefined ? undefined : Number(process.env.PREEXEC_STDERR_FD);
    let pending = Promise.resolve();
    code = await main(argv, {
      stdout: (t) => process.stdout.write(t),
      stderr: stderrFd === undefined ? (t) => process.stderr.write(t) : (t) => { pending = pending.then(() => writeFd(stderrFd, t)); },
    });
    await pending;
  }
  // Workers and GPU devices are closed by each command; exit explicitly so a
  // stray handle never keeps the process alive after the answer is out.
  process.exitCode = code;
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.exit(code);
}
