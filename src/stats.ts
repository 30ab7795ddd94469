// Small statistics shared by the executor's mode choice, the pipeline's
// measurements and the benchmarks.

/** The median (mean of the middle two for an even count); NaN for no samples. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** The item whose `key` is the median (the lower middle one for an even count); undefined for none. */
export function medianBy<T>(items: readonly T[], key: (item: T) => number): T | undefined {
  return [...items].sort((a, b) => key(a) - key(b))[Math.floor((items.length - 1) / 2)];
}
