// JSON that means one thing. JSON.parse keeps the last of two equal keys
// without a word, so `{"accounts": [...], "accounts": []}` would silently be
// an empty genesis. Every JSON input of the project (genesis, verify lines,
// lookup-table files) goes through `parseStrictJson`, which refuses a
// duplicate key naming it and where it is, and `checkFields`, which refuses
// fields the format does not define. The number of values is capped before
// JSON.parse allocates them.
import { quoteForMessage, ResourceLimitError } from './errors.js';
import { LIMITS } from './limits.js';

export class StrictJsonError extends SyntaxError {
  override name = 'StrictJsonError';
}

export interface StrictJsonOptions {
  /** Prefixes every message: the file, or the file and line. */
  name?: string;
  /** Line of text[0] in the file (JSON lines: the line's number). Default 1. */
  firstLine?: number;
  /** Most JSON values (objects, arrays, strings, numbers, literals) the document may hold. Default LIMITS.jsonValues. */
  maxValues?: number;
}

/**
 * An upper bound on the values of `text` without parsing it: every value but
 * the first follows a comma or opens a container, so values ≤ commas +
 * containers + 1 (counting outside strings). A 256 MiB file of `{},{},...`
 * would otherwise become 85 million objects in JSON.parse (gigabytes of heap).
 */
function valueBound(text: string, stopAbove: number): number {
  let n = 1;
  const len = text.length;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2c || c === 0x7b || c === 0x5b) {
      if (++n > stopAbove) return n;
    } else if (c === 0x22) {
      for (i++; i < len; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    }
  }
  return n;
}

/** 1-based line and column of `offset` in `text`, counting from `firstLine`. */
function lineColumn(text: string, offset: number, firstLine: number): { line: number; column: number } {
  let line = firstLine;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * JSON.parse, plus: no object holds the same key twice (keys compared after
 * unescaping, so "a" and "\u0061" are the same key). Errors are
 * StrictJsonError, one line, naming `name`, the key and its line.
 */
export function parseStrictJson(text: string, options: StrictJsonOptions = {}): unknown {
  const name = options.name ?? 'JSON';
  const firstLine = options.firstLine ?? 1;
  const maxValues = options.maxValues ?? LIMITS.jsonValues;
  if (valueBound(text, maxValues) > maxValues) {
    throw new ResourceLimitError(`${name}: more than ${maxValues} JSON values (the cap on one JSON document)`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // V8 quotes a slice of the input in its message: keep the reason, bounded.
    throw new StrictJsonError(`${name}: not JSON (${quoteForMessage((e as Error).message, 160, false)})`);
  }
  if (typeof value === 'object' && value !== null) findDuplicateKey(text, name, firstLine);
  return value;
}

/**
 * Scans text JSON.parse accepted (so every string is closed and every
 * bracket matched) for an object with a repeated key. Iterative: nesting
 * depth costs heap, never stack.
 */
function findDuplicateKey(text: string, name: string, firstLine: number): void {
  // One entry per open container: the keys seen (objects) or null (arrays).
  const stack: Array<Set<string> | null> = [];
  let expectKey = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */) { stack.push(new Set()); expectKey = true; }
    else if (c === 0x5b /* [ */) { stack.push(null); expectKey = false; }
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) { stack.pop(); expectKey = false; }
    else if (c === 0x2c /* , */) expectKey = stack[stack.length - 1] instanceof Set;
    else if (c === 0x22 /* " */) {
      const start = i;
      let escaped = false;
      for (i++; ; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) { escaped = true; i++; continue; }
        if (d === 0x22) break;
      }
      if (!expectKey) continue;
      expectKey = false;
      const key = escaped ? (JSON.parse(text.slice(start, i + 1)) as string) : text.slice(start + 1, i);
      const keys = stack[stack.length - 1] as Set<string>;
      if (keys.has(key)) {
        const { line, column } = lineColumn(text, start, firstLine);
        throw new StrictJsonError(`${name}: duplicate key ${quoteForMessage(key, 80)} at line ${line} column ${column}`);
      }
      keys.add(key);
    }
  }
}

/**
 * Refuses any field of `record` outside `allowed`, naming it and `where`
 * (a format's unknown field is more likely a typo than something to ignore).
 */
export function checkFields(record: object, allowed: ReadonlySet<string> | readonly string[], where: string): void {
  const set = allowed instanceof Set ? allowed : new Set(allowed as readonly string[]);
  for (const field of Object.keys(record)) {
    if (!set.has(field)) {
      throw new StrictJsonError(`${where}: unknown field ${quoteForMessage(field, 80)} (expected ${[...set].map((f) => JSON.stringify(f)).join(', ')})`);
    }
  }
}
