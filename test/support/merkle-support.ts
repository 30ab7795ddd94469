// Helpers shared by the Merkle test files.

/** A small seeded generator: rnd(n) is an integer in [0, n). */
export function seeded(seed: number) {
  let s = seed >>> 0;
  return (n: number) => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return Math.floor((s / 2 ** 32) * n); };
}

/** n leaves of 64 bytes, columnar, cheap to make. */
export function fixedLeaves(n: number, seed: number, leafSize = 64) {
  const data = new Uint8Array(leafSize * n);
  let s = seed >>> 0;
  for (let i = 0; i < data.length; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; data[i] = s >>> 24; }
  const offsets = new Uint32Array(n + 1).map((_, i) => leafSize * i);
  return { data, offsets };
}
