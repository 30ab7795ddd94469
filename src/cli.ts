#!/usr/bin/env node
// The `preexec` command (SPEC §6). Each subcommand lives in src/cli/<name>.ts
// and returns its exit code; bad input ends here as one line on stderr.
import { UsageError } from './cli/args.js';

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
  solana: async () => (await import('./cli/solana.js')).solanaCommand,
};

const USAGE = `usage: preexec <command> [flags]
  run     --genesis FILE --block FILE [--block FILE ...] [--rules zip215|ref10|solana] [--backend auto|webgpu|cpu] [--workers N] [--json]
  verify  --in FILE [--rules R] [--backend B] [--json]
  merkle  --in FILE [--backend B] [--json]
  solana  --in FILE [--lookup-tables FILE] [--rules R] [--backend B] [--batch-size N] [--json]   (base64 Solana packets, one per line)
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
    io.stderr(`preexec: unknown command ${JSON.stringify(name)} (commands: ${Object.keys(COMMANDS).join(', ')})\n`);
    return 2;
  }
  try {
    const command = await load();
    return await command(rest, io);
  } catch (e) {
    const err = e as Error;
    // One line: the reason. A UsageError or a named input error is the user's
    // to fix (exit 2); anything else is ours (exit 1).
    const line = (err?.message ?? String(e)).split('\n')[0];
    io.stderr(`preexec ${name}: ${line}\n`);
    return err instanceof UsageError || err?.name?.endsWith('FormatError') || err instanceof SyntaxError || err instanceof RangeError ? 2 : 1;
  }
}

const invokedDirectly = typeof process !== 'undefined' && process.argv[1]
  && (await import('node:url')).fileURLToPath(import.meta.url) === (await import('node:fs')).realpathSync(process.argv[1]);
if (invokedDirectly) {
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
