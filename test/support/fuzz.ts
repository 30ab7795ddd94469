// A small seeded mutation engine for parser fuzz tests. Same seed, same
// inputs: a failure names its seed and case index, and reruns exactly.
//
//   for (const c of mutate({ seed: 'genesis', corpus, count: 5000 })) {
//     expectCleanOutcome(() => parse(c.input), isOurError, c);
//   }
//
// Mutations: bit flips, byte sets (random and boundary values), truncation
// at an offset of every class (0, 1, the end minus 1, the middle, random),
// insertions (random bytes and bytes of the corpus' alphabet), deletions,
// duplication of a range, and splices of two corpus inputs. Each case
// applies 1-4 of them to a corpus input.
import { createPrng, type Prng } from '../../src/workload/prng.js';

export interface FuzzCase {
  /** Index in the run (with the seed, reproduces the case). */
  index: number;
  input: Uint8Array;
  /** The mutations applied, for the failure message. */
  steps: string[];
}

export interface MutateOptions {
  seed: string;
  /** Valid (or interesting) inputs to start from; at least one. */
  corpus: readonly Uint8Array[];
  count: number;
  /** Cap on a mutated input's length (keeps a run fast). Default 4096. */
  maxLength?: number;
  /** Bytes worth inserting for this format (e.g. '{}[]",:0123456789abcdef'). */
  alphabet?: Uint8Array;
}

const BOUNDARY_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff, 0x0a, 0x0d, 0x20, 0x22, 0x5c, 0x09];

function truncationPoint(rng: Prng, len: number): number {
  if (len === 0) return 0;
  switch (rng.below(6)) {
    case 0: return 0;
    case 1: return Math.min(1, len);
    case 2: return len - 1;
    case 3: return len >>> 1;
    case 4: return Math.min(len, 4 * rng.below(Math.ceil(len / 4) + 1)); // a u32-aligned offset
    default: return rng.below(len + 1);
  }
}

function randomBytes(rng: Prng, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.below(256);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** One mutation of `input`; returns the result and a description. */
function mutateOnce(rng: Prng, input: Uint8Array, corpus: readonly Uint8Array[], alphabet: Uint8Array | undefined): [Uint8Array, string] {
  const len = input.length;
  const pos = () => rng.below(len + 1);
  switch (rng.below(len === 0 ? 3 : 9)) {
    case 0: { // insert random bytes
      const at = pos();
      const bytes = randomBytes(rng, 1 + rng.below(8));
      return [concat(input.subarray(0, at), bytes, input.subarray(at)), `insert ${bytes.length} random bytes at ${at}`];
    }
    case 1: { // insert bytes of the format's alphabet (or boundary bytes)
      const at = pos();
      const pool = alphabet && alphabet.length > 0 ? alphabet : Uint8Array.from(BOUNDARY_BYTES);
      const bytes = Uint8Array.from({ length: 1 + rng.below(4) }, () => pool[rng.below(pool.length)]);
      return [concat(input.subarray(0, at), bytes, input.subarray(at)), `insert alphabet bytes at ${at}`];
    }
    case 2: { // splice: a prefix of this input with a suffix of another
      const other = corpus[rng.below(corpus.length)];
      const a = pos();
      const b = rng.below(other.length + 1);
      return [concat(input.subarray(0, a), other.subarray(b)), `splice at ${a} with corpus suffix from ${b}`];
    }
    case 3: { // flip one bit
      const out = input.slice();
      const at = rng.below(len);
      const bit = rng.below(8);
      out[at] ^= 1 << bit;
      return [out, `flip bit ${bit} of byte ${at}`];
    }
    case 4: { // set a byte to a boundary value
      const out = input.slice();
      const at = rng.below(len);
      out[at] = BOUNDARY_BYTES[rng.below(BOUNDARY_BYTES.length)];
      return [out, `set byte ${at} to ${out[at]}`];
    }
    case 5: { // truncate
      const at = truncationPoint(rng, len);
      return [input.slice(0, at), `truncate to ${at}`];
    }
    case 6: { // delete a range
      const a = rng.below(len);
      const b = Math.min(len, a + 1 + rng.below(16));
      return [concat(input.subarray(0, a), input.subarray(b)), `delete [${a}, ${b})`];
    }
    case 7: { // duplicate a range in place
      const a = rng.below(len);
      const b = Math.min(len, a + 1 + rng.below(64));
      return [concat(input.subarray(0, b), input.subarray(a, b), input.subarray(b)), `duplicate [${a}, ${b})`];
    }
    default: { // overwrite 4 bytes with a random u32 (length fields)
      const out = input.slice();
      const at = rng.below(len);
      const word = randomBytes(rng, 4);
      out.set(word.subarray(0, Math.min(4, len - at)), at);
      return [out, `overwrite 4 bytes at ${at}`];
    }
  }
}

/** `count` mutated inputs, reproducible from `seed`. */
export function* mutate(options: MutateOptions): Generator<FuzzCase> {
  if (options.corpus.length === 0) throw new RangeError('mutate: the corpus is empty');
  const rng = createPrng(`fuzz:${options.seed}`);
  const maxLength = options.maxLength ?? 4096;
  for (let index = 0; index < options.count; index++) {
    let input = options.corpus[rng.below(options.corpus.length)];
    const steps: string[] = [];
    const rounds = 1 + rng.below(4);
    for (let r = 0; r < rounds; r++) {
      const [next, step] = mutateOnce(rng, input, options.corpus, options.alphabet);
      input = next.length > maxLength ? next.subarray(0, maxLength) : next;
      steps.push(step);
    }
    yield { index, input, steps };
  }
}

/**
 * Runs `parse` on one case: it must return (the caller checks the result) or
 * throw an error `isClean` accepts with a non-empty one-line message. Any
 * other throw (a TypeError from inside, a RangeError from V8, a message
 * with a stack in it) fails, naming the case.
 */
export function expectCleanOutcome<T>(parse: () => T, isClean: (e: unknown) => boolean, c: FuzzCase, seed: string): { ok: true; value: T } | { ok: false; error: Error } {
  try {
    return { ok: true, value: parse() };
  } catch (e) {
    const err = e as Error;
    const msg = typeof err?.message === 'string' ? err.message : '';
    if (!isClean(e) || msg.length === 0 || msg.includes('\n') || msg.length > 300) {
      const bytes = Array.from(c.input.subarray(0, 64), (b) => b.toString(16).padStart(2, '0')).join('');
      throw new Error(`fuzz seed ${JSON.stringify(seed)} case ${c.index} (${c.steps.join('; ')}; ${c.input.length} bytes, starts ${bytes}): unclean failure ${err?.name}: ${msg.slice(0, 300)}`);
    }
    return { ok: false, error: err };
  }
}
