#!/usr/bin/env node
// The `preexec` command (SPEC §6). Each subcommand lives in src/cli/<name>.ts
// and returns its exit code; bad input ends here as one line on stderr.
import { UsageError } from './cli/args.js';
import { oneLine, quoteForMessage } from './errors.js';

export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

type Command = (argv: string[], io: CommandIo) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  merkle: async () => (await import('./cli/merkle.js')).merkleCommand,
  verify: async () => (await import('./cli/verify.js')).verifyCommand,
  run: async () => (await import('./cli/run.js')).runCommand,
  gen: async () => (await import('./cli/gen.js')).genCommand,
  bench: async () => (await import('./cli/bench.js')).benchCommand,
};

const USAGE = `usage: preexec <command> [flags]
  run     --genesis FILE --block FILE [--block FILE ...] [--rules zip215|ref10|solana] [--backend auto|webgpu|cpu] [--workers N] [--json]
  verify  --in FILE [--rules R] [--backend B] [--json]
  merkle  --in FILE [--backend B] [--json]
  gen     writes a genesis and blocks for a named workload (preexec gen --help)
  bench   runs the whole pipeline on a workload and reports throughput per stage`;

export async function main(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr(`preexec: unknown command ${quoteForMessage(name)} (commands: ${Object.keys(COMMANDS).join(', ')})\n`);
    return 2;
  }
  try {
    const command = await load();
    return await command(rest, io);
  } catch (e) {
    const err = e as Error;
    // One line of bounded length: the reason. A UsageError, a named input
    // error or an input over a cap (ResourceLimitError, a RangeError) is the
    // user's to fix (exit 2); anything else is ours or the machine's (exit 1).
    io.stderr(`${oneLine(`preexec ${name}: ${err?.message ?? String(e)}`)}\n`);
    return err instanceof UsageError || err?.name?.endsWith('FormatError') || err?.name === 'InputEncodingError'
      || err instanceof SyntaxError || err instanceof RangeError ? 2 : 1;
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
  const code = await main(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  });
  // Workers and GPU devices are closed by each command; exit explicitly so a
  // stray handle never keeps the process alive after the answer is out.
  process.exitCode = code;
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.exit(code);
}
