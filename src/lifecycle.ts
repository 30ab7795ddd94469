// One way to release what the library holds (workers, GPU buffers, a device
// it acquired): `close()`, idempotent, also reachable as
// `[Symbol.asyncDispose]` so `await using x = await createX(...)` works.
// `destroy()` is the old name, kept as a deprecated alias.

export interface Closable extends AsyncDisposable {
  /** Releases workers, GPU buffers and any device this object acquired. Idempotent; later calls return the first call's promise. */
  close(): Promise<void>;
  /** `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Adds `close`, `[Symbol.asyncDispose]` and the deprecated alias `destroy` to `obj`, all running `release` once. */
export function closable<T extends object>(obj: T, release: () => void | Promise<void>): T & Closable & { destroy(): Promise<void> } {
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= (async () => { await release(); })());
  return Object.assign(obj, { close, destroy: close, [Symbol.asyncDispose]: close });
}

/** Adds `close` and `[Symbol.asyncDispose]` to an object that keeps its own `destroy` (deprecated, synchronous for some). */
export function closableFromDestroy<T extends { destroy(): void | Promise<void> }>(obj: T): T & Closable {
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= (async () => { await obj.destroy(); })());
  return Object.assign(obj, { close, [Symbol.asyncDispose]: close });
}
