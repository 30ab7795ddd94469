// Strict flags for the bench scripts, on the CLI's parser (src/cli/args.ts):
// --help prints the usage and exits 0; an unknown flag, a missing value or a
// bad number is one line on stderr and exit 2, before any work starts.
import { parseFlags, UsageError, wantsHelp, type ParsedFlags } from '../src/cli/args.js';
import { quoteForMessage } from '../src/errors.js';

export interface BenchFlagSpec {
  /** Printed by --help: what the script measures, its flags with their defaults, an example. */
  usage: string;
  values?: readonly string[];
  switches?: readonly string[];
}

export interface BenchFlags extends ParsedFlags {
  /** A positive integer, or `fallback`. */
  int(name: string, fallback: number): number;
  /** A non-negative finite number, or `fallback`. */
  number(name: string, fallback: number): number;
  /** A string, or `fallback`. */
  text(name: string, fallback: string): string;
}

export function benchFlags(spec: BenchFlagSpec, argv: readonly string[] = process.argv.slice(2)): BenchFlags {
  const script = process.argv[1]?.replace(/^.*\/(bench\/)/, '$1') ?? 'bench';
  if (wantsHelp(argv)) {
    process.stdout.write(`${spec.usage.trim()}\n`);
    process.exit(0);
  }
  const fail = (e: unknown): never => {
    process.stderr.write(`${script}: ${(e as Error).message} (--help lists the flags)\n`);
    process.exit(2);
  };
  let flags: ParsedFlags;
  try {
    flags = parseFlags(argv, { values: spec.values ?? [], switches: spec.switches ?? [] });
  } catch (e) {
    return fail(e);
  }
  const guard = <T>(f: () => T): T => { try { return f(); } catch (e) { return fail(e); } };
  return {
    ...flags,
    int: (name, fallback) => guard(() => flags.positiveInt(name, fallback)),
    number: (name, fallback) => guard(() => {
      const v = flags.value(name);
      if (v === undefined) return fallback;
      const n = Number(v);
      if (v.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`--${name} must be a non-negative number, got ${quoteForMessage(v)}`);
      return n;
    }),
    text: (name, fallback) => flags.value(name) ?? fallback,
    choice: (name, choices, fallback) => guard(() => flags.choice(name, choices, fallback)),
    positiveInt: (name, fallback) => guard(() => flags.positiveInt(name, fallback)),
    required: (name) => guard(() => flags.required(name)),
  };
}
