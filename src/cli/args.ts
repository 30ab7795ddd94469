// Flag parsing shared by every `preexec` command: `--name value`,
// `--name=value`, repeatable flags and boolean switches. Anything unknown is
// a UsageError that names it.

export class UsageError extends Error {
  override name = 'UsageError';
}

/** `--help` or `-h` anywhere among the arguments: the command prints its help and exits 0, whatever else is there. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

export interface FlagSpec {
  /** Flags that take a value; a repeatable one collects every occurrence. */
  values?: readonly string[];
  repeatable?: readonly string[];
  /** Flags that take no value. */
  switches?: readonly string[];
}

export interface ParsedFlags {
  value(name: string): string | undefined;
  all(name: string): string[];
  has(name: string): boolean;
  /** A value that must be present. */
  required(name: string): string;
  /** One of `choices`, or `fallback` when absent. */
  choice<T extends string>(name: string, choices: readonly T[], fallback: T): T;
  /** A positive integer, or `fallback` when absent. */
  positiveInt(name: string, fallback: number): number;
}

export function parseFlags(argv: readonly string[], spec: FlagSpec): ParsedFlags {
  const valued = new Set([...(spec.values ?? []), ...(spec.repeatable ?? [])]);
  const repeatable = new Set(spec.repeatable ?? []);
  const switches = new Set(spec.switches ?? []);
  const values = new Map<string, string[]>();
  const present = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (switches.has(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      present.add(name);
      continue;
    }
    if (!valued.has(name)) throw new UsageError(`unknown flag --${name}`);
    let v: string | undefined;
    if (eq >= 0) v = arg.slice(eq + 1);
    else {
      v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`--${name} needs a value`);
    }
    if (values.has(name) && !repeatable.has(name)) throw new UsageError(`--${name} given more than once`);
    values.set(name, [...(values.get(name) ?? []), v]);
    present.add(name);
  }
  const parsed: ParsedFlags = {
    value: (name) => values.get(name)?.[0],
    all: (name) => values.get(name) ?? [],
    has: (name) => present.has(name),
    required(name) {
      const v = values.get(name)?.[0];
      if (v === undefined) throw new UsageError(`missing --${name}`);
      return v;
    },
    choice(name, choices, fallback) {
      const v = values.get(name)?.[0];
      if (v === undefined) return fallback;
      if (!(choices as readonly string[]).includes(v)) throw new UsageError(`--${name} must be one of ${choices.join('|')}, got ${JSON.stringify(v)}`);
      return v as typeof fallback;
    },
    positiveInt(name, fallback) {
      const v = values.get(name)?.[0];
      if (v === undefined) return fallback;
      if (!/^[1-9][0-9]*$/.test(v) || !Number.isSafeInteger(Number(v))) throw new UsageError(`--${name} must be a positive integer, got ${JSON.stringify(v)}`);
      return Number(v);
    },
  };
  return parsed;
}

/** Reads a file the user named, turning "no such file" into a UsageError that names it. */
export async function readInputFile(path: string, flag: string): Promise<Uint8Array> {
  const fs = await import('node:fs/promises');
  try {
    return new Uint8Array(await fs.readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${flag} ${path}: no such file`);
    if (code === 'EISDIR') throw new UsageError(`${flag} ${path}: is a directory`);
    if (code === 'EACCES') throw new UsageError(`${flag} ${path}: permission denied`);
    throw e;
  }
}

/** Writes a whole file or nothing: to a temporary name, then renamed. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const fs = await import('node:fs/promises');
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}
