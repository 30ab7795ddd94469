// Error classes shared across modules, and the rule that keeps every message
// one bounded line: an offending value is quoted at most `max` characters
// long, with its full length stated when cut.

/** An API called with an argument of the wrong kind (null options, a batch that is not an object...). */
export class InvalidArgumentError extends TypeError {
  override name = 'InvalidArgumentError';
}

/**
 * An object used after its destroy()/close(): every backend (CPU or WebGPU,
 * verifier, Merkle hasher, incremental tree) throws this class (or a subclass) for it.
 */
export class DestroyedError extends Error {
  override name = 'DestroyedError';
}

/** An input bigger than a cap of src/limits.ts; the message names the input and the cap. */
export class ResourceLimitError extends RangeError {
  override name = 'ResourceLimitError';
}

/** Longest error line the CLI prints (the rest is cut, with the length said). */
export const MAX_MESSAGE_CHARS = 300;

/**
 * `value` as it may appear in a message: JSON-quoted (unless `quote` is
 * false), newlines escaped, and cut to `max` characters with its length stated.
 */
export function quoteForMessage(value: string, max = 60, quote = true): string {
  const cut = value.length > max;
  const head = cut ? value.slice(0, max) : value;
  const shown = quote ? JSON.stringify(head) : head.replace(/[\r\n\t]/g, ' ');
  return cut ? `${shown}… (${value.length} characters)` : shown;
}

/** A message cut to one line of at most `max` characters. */
export function oneLine(message: string, max = MAX_MESSAGE_CHARS): string {
  const first = message.replace(/\r?\n[\s\S]*$/, '');
  if (first.length <= max) return first;
  const note = ` … (message cut, ${first.length} characters)`;
  return first.slice(0, max - note.length) + note;
}

/** The first line of a caught value's message (an Error's, or the value itself as text). */
export function errorFirstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0];
}

/** Throws InvalidArgumentError unless `value` is a non-null object (not an array). */
export function requireObject(value: unknown, what: string): asserts value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    throw new InvalidArgumentError(`${what} must be an object, got ${got}`);
  }
}
