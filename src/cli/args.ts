// Flag parsing shared by every `preexec` command: `--name value`,
// `--name=value`, repeatable flags and boolean switches. Anything unknown is
// a UsageError that names it.
import { quoteForMessage, ResourceLimitError } from '../errors.js';
import { formatBytes, LIMITS } from '../limits.js';

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
  /** A non-negative integer (a seed), or `fallback` when absent. */
  nonNegativeInt(name: string, fallback: number): number;
  /** A percentage in [0, 100] as given (not divided by 100), or undefined when absent. */
  percent(name: string): number | undefined;
}

export function parseFlags(argv: readonly string[], spec: FlagSpec): ParsedFlags {
  const valued = new Set([...(spec.values ?? []), ...(spec.repeatable ?? [])]);
  const repeatable = new Set(spec.repeatable ?? []);
  const switches = new Set(spec.switches ?? []);
  const values = new Map<string, string[]>();
  const present = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument ${quoteForMessage(arg)}`);
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (switches.has(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      present.add(name);
      continue;
    }
    if (!valued.has(name)) throw new UsageError(`unknown flag ${quoteForMessage(`--${name}`, 60, false)}`);
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
      if (!(choices as readonly string[]).includes(v)) throw new UsageError(`--${name} must be one of ${choices.join('|')}, got ${quoteForMessage(v)}`);
      return v as typeof fallback;
    },
    positiveInt(name, fallback) {
      const v = values.get(name)?.[0];
      if (v === undefined) return fallback;
      if (!/^[1-9][0-9]*$/.test(v) || !Number.isSafeInteger(Number(v))) throw new UsageError(`--${name} must be a positive integer, got ${quoteForMessage(v)}`);
      return Number(v);
    },
    nonNegativeInt(name, fallback) {
      const v = values.get(name)?.[0];
      if (v === undefined) return fallback;
      if (!/^(0|[1-9][0-9]*)$/.test(v) || !Number.isSafeInteger(Number(v))) throw new UsageError(`--${name} must be a non-negative integer, got ${JSON.stringify(v)}`);
      return Number(v);
    },
    percent(name) {
      const v = values.get(name)?.[0];
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!/^[0-9]+(\.[0-9]+)?$/.test(v) || n > 100) throw new UsageError(`--${name} must be a percentage in [0, 100], got ${JSON.stringify(v)}`);
      return n;
    },
  };
  return parsed;
}

/**
 * Reads a file the user named, at most `maxBytes` (src/limits.ts): a regular
 * file over the cap is refused from its size before any read; anything else
 * (a pipe, /dev/zero, /dev/urandom) is read in chunks and refused as soon as
 * it passes the cap. Every error names `flag` and `path`.
 */
export async function readInputFile(path: string, flag: string, maxBytes: number = LIMITS.textFileBytes): Promise<Uint8Array> {
  const fs = await import('node:fs/promises');
  const where = `${flag} ${quoteForMessage(path, 120, false)}`;
  const tooBig = (size?: number) => new ResourceLimitError(`${where}: ${size !== undefined ? `${size} bytes, over` : 'more than'} the ${formatBytes(maxBytes)} cap on this input`);
  let handle: import('node:fs/promises').FileHandle | undefined;
  try {
    if (path === '') throw new UsageError(`${flag} needs a file name, got an empty one`);
    handle = await fs.open(path, 'r');
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new UsageError(`${where}: is a directory`);
    if (stat.isFile() && stat.size > maxBytes) throw tooBig(stat.size);
    if (stat.isFile()) {
      // One buffer of the announced size, plus a byte to notice a file that grew.
      const buf = new Uint8Array(stat.size + 1);
      let used = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buf, used, buf.length - used, null);
        if (bytesRead === 0) return buf.subarray(0, used);
        used += bytesRead;
        if (used > maxBytes) throw tooBig();
        if (used === buf.length) return concatChunks([buf, await readRest(handle, maxBytes - used, tooBig)]);
      }
    }
    // A pipe or a device: chunks, refused as soon as they pass the cap, joined once at the end.
    return await readRest(handle, maxBytes, tooBig);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${where}: no such file`);
    if (code === 'EISDIR') throw new UsageError(`${where}: is a directory`);
    if (code === 'EACCES' || code === 'EPERM') throw new UsageError(`${where}: permission denied`);
    if (code === 'ENOTDIR') throw new UsageError(`${where}: a part of the path is not a directory`);
    if (code === 'ENAMETOOLONG') throw new UsageError(`${where}: name too long`);
    if (code === 'ELOOP') throw new UsageError(`${where}: too many symbolic links`);
    if (code !== undefined) throw new UsageError(`${where}: cannot read (${code})`);
    throw e;
  } finally {
    await handle?.close();
  }
}

const CHUNK = 1 << 20;

async function readRest(handle: import('node:fs/promises').FileHandle, budget: number, tooBig: () => Error): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let used = 0;
  for (;;) {
    const chunk = new Uint8Array(CHUNK);
    let filled = 0;
    while (filled < CHUNK) {
      const { bytesRead } = await handle.read(chunk, filled, CHUNK - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    used += filled;
    if (used > budget) throw tooBig();
    chunks.push(chunk.subarray(0, filled));
    if (filled < CHUNK) return concatChunks(chunks);
  }
}

function concatChunks(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

/** readInputFile + strict UTF-8 decoding; invalid UTF-8 is an error naming the file and the byte offset. */
export async function readTextFile(path: string, flag: string, maxBytes: number = LIMITS.textFileBytes): Promise<string> {
  return decodeUtf8(await readInputFile(path, flag, maxBytes), `${flag} ${quoteForMessage(path, 120, false)}`);
}

/** Strict UTF-8 (a BOM is kept as U+FEFF, so JSON refuses it); the error names the first bad byte's offset. */
export function decodeUtf8(bytes: Uint8Array, where: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new InputEncodingError(`${where}: not UTF-8 text (byte 0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')} at offset ${at})`);
  }
}

/** Offset of the first byte that starts no valid UTF-8 sequence (the failure path of decodeUtf8 only). */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) { i++; continue; }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (n === 0 || i + n >= b.length) return i;
    // The second byte's range is narrower after E0, ED, F0, F4 (no overlongs, surrogates or > U+10FFFF).
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    if (b[i + 1] < lo || b[i + 1] > hi) return i;
    for (let k = 2; k <= n; k++) if (b[i + k] < 0x80 || b[i + k] > 0xbf) return i;
    i += n + 1;
  }
  return b.length;
}

/** A text input that is not UTF-8. */
export class InputEncodingError extends Error {
  override name = 'InputEncodingError';
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
