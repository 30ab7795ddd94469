// The generated field arithmetic (src/ed25519/gpu/field-codegen.ts) run on
// the CPU: its straight-line WGSL is translated to JavaScript expression by
// expression, every intermediate value checked to stay a u32, and each
// function compared with BigInt arithmetic mod p, for the default layout
// and another one (the codegen takes LIMBS and LIMB_BITS as parameters).
// Also the signed-digit bias behind the scalar multiplication's digits.
import { describe, expect, it } from 'vitest';
import { wgslFieldCore } from '../src/ed25519/gpu/field-codegen.js';
import { P, subBiasLimbs, toLimbs } from '../src/ed25519/gpu/constants.js';
import { derivedParams, digitBias, FIELD_LAYOUT, type FieldLayout } from '../src/ed25519/gpu/params.js';

type Fe = number[];
interface FieldFns {
  fe_carry(a: Fe): Fe; fe_add(a: Fe, b: Fe): Fe; fe_sub(a: Fe, b: Fe): Fe; fe_mul(a: Fe, b: Fe): Fe; fe_sq(a: Fe): Fe;
  fe_canon(a: Fe): Fe; fe_is_zero(a: Fe): boolean; fe_is_canonical_strict(a: Fe): boolean; fe_from_words(w: number[]): Fe;
}

/** Every value a `let`/`var`/assignment takes must be a u32: a larger one would have wrapped on the GPU. */
function u32(v: number | boolean, where: string): number | boolean {
  if (typeof v === 'boolean') return v;
  if (!Number.isInteger(v) || v < 0 || v >= 2 ** 32) throw new RangeError(`${where}: ${v} is not a u32 (it would wrap in WGSL)`);
  return v;
}

/** The generated WGSL as JavaScript with u32 checks (its subset: let/var, + − * & | >> <<, select, Fe(…)). */
function compileField(layout: FieldLayout): FieldFns {
  const wgsl = wgslFieldCore(layout);
  const mask = 2 ** layout.LIMB_BITS - 1;
  const names: string[] = [];
  let js = wgsl
    .replace(/^alias .*$/gm, '').replace(/^const FE_MASK.*$/gm, '').replace(/^\/\/.*$/gm, '')
    .replace(/fn (\w+)\(([^)]*)\) -> \w+ \{/g, (_, name: string, params: string) => {
      names.push(name);
      return `function ${name}(${[...params.matchAll(/(\w+)\s*:/g)].map((m) => m[1]).join(', ')}) {`;
    })
    .replace(/(\d+)u\b/g, '$1')
    .replace(/>>/g, '>>>')
    .replace(/^(\s*)let (\w+) = (.*);$/gm, (_, s: string, n: string, e: string) => `${s}const ${n} = chk(${e}, '${n}');`)
    .replace(/^(\s*)var (\w+) = (.*);$/gm, (_, s: string, n: string, e: string) => `${s}let ${n} = chk(${e}, '${n}');`)
    .replace(/^(\s*)(\w+) = (.*);$/gm, (_, s: string, n: string, e: string) => `${s}${n} = chk(${e}, '${n}');`);
  // `x & m`, `x | y` and `x << k` are int32 in JavaScript: back to u32 where the result is stored.
  js = js.replace(/chk\(/g, 'chk32(');
  const factory = new Function('FE_MASK', 'FE_SUB_BIAS', 'Fe', 'select', 'chk32', `${js}\nreturn { ${names.join(', ')} };`);
  // Arrays are Fe values, their limbs checked by Fe(…).
  const chk32 = (v: number | boolean | Fe, where: string) => (Array.isArray(v) ? v : u32(typeof v === 'number' && v < 0 ? v + 2 ** 32 : v, where));
  const Fe = (...xs: number[]) => xs.map((x, i) => u32(x < 0 ? x + 2 ** 32 : x, `limb ${i}`) as number);
  const select = <T>(a: T, b: T, c: boolean) => (c ? b : a);
  return factory(mask, subBiasLimbs(layout), Fe, select, chk32) as FieldFns;
}

const value = (a: Fe, b: number) => a.reduce((acc, l, i) => acc + (BigInt(l) << BigInt(b * i)), 0n);
const mod = (v: bigint) => ((v % P) + P) % P;

/** Deterministic xorshift, so a failure reproduces. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 2 ** 32; };
}

const LAYOUTS: FieldLayout[] = [FIELD_LAYOUT, { LIMBS: 26, LIMB_BITS: 10 }];

describe.each(LAYOUTS)('generated field code, $LIMBS × $LIMB_BITS bits', (layout) => {
  const f = compileField(layout);
  const b = layout.LIMB_BITS;
  const loose = 2 ** b + 2 ** (b - 3);
  const rand = rng(layout.LIMBS * 1000 + b);
  // Loose elements: random limbs, the largest limbs everywhere, zero, p and its neighbours in strict limbs.
  const samples: Fe[] = [
    Array.from({ length: layout.LIMBS }, () => loose - 1),
    Array.from({ length: layout.LIMBS }, () => 0),
    toLimbs(P, layout), toLimbs(P - 1n, layout), toLimbs(P + 1n, layout), toLimbs(2n * P, layout), toLimbs((1n << 255n) - 1n, layout),
    ...Array.from({ length: 60 }, () => Array.from({ length: layout.LIMBS }, () => Math.floor(rand() * loose))),
  ];
  const isLoose = (a: Fe) => a.length === layout.LIMBS && a.every((l) => l < loose);

  it('mul, sq, add, sub, carry: the right class mod p, loose limbs out, no u32 overflow on the way', () => {
    for (const x of samples) {
      for (const y of samples.slice(0, 12)) {
        const [vx, vy] = [value(x, b), value(y, b)];
        const m = f.fe_mul(x, y);
        expect(mod(value(m, b))).toBe(mod(vx * vy));
        expect(isLoose(m)).toBe(true);
        const s = f.fe_add(x, y);
        expect(mod(value(s, b))).toBe(mod(vx + vy));
        expect(isLoose(s)).toBe(true);
        const d = f.fe_sub(x, y);
        expect(mod(value(d, b))).toBe(mod(vx - vy));
        expect(isLoose(d)).toBe(true);
      }
      const q = f.fe_sq(x);
      expect(mod(value(q, b))).toBe(mod(value(x, b) ** 2n));
      expect(isLoose(q)).toBe(true);
      expect(isLoose(f.fe_carry(x))).toBe(true);
    }
  });

  it('canon gives the unique value < p in strict limbs; is_zero and is_canonical_strict agree', () => {
    for (const x of samples) {
      const c = f.fe_canon(x);
      expect(value(c, b)).toBe(mod(value(x, b)));
      expect(c.every((l) => l < 2 ** b)).toBe(true);
      expect(f.fe_is_zero(x)).toBe(mod(value(x, b)) === 0n);
      expect(f.fe_is_canonical_strict(x)).toBe(x.every((l) => l < 2 ** b) && value(x, b) < P);
    }
  });

  it('from_words: the low 255 bits of 8 little-endian words', () => {
    for (let i = 0; i < 40; i++) {
      const w = Array.from({ length: 8 }, () => Math.floor(rand() * 2 ** 32));
      if (i === 0) w.fill(0xffffffff);
      const v = w.reduce((acc, x, j) => acc + (BigInt(x) << BigInt(32 * j)), 0n) & ((1n << 255n) - 1n);
      const limbs = f.fe_from_words(w);
      expect(value(limbs, b)).toBe(v);
      expect(limbs.every((l) => l < 2 ** b)).toBe(true);
    }
  });
});

describe('field layouts the codegen refuses', () => {
  it('throws where a column of products could overflow a u32, or the limbs do not cover 256 bits', () => {
    expect(() => wgslFieldCore({ LIMBS: 19, LIMB_BITS: 14 })).toThrow(/overflow/);
    expect(() => wgslFieldCore({ LIMBS: 19, LIMB_BITS: 13 })).toThrow(/covering/);
  });
});

describe('signed digits from biased words (the scalar multiplication)', () => {
  it.each([2, 4, 8])('w = %i: digits in [−2^(w−1), 2^(w−1)) reconstruct every a < 2^253', (w) => {
    const bias = digitBias(w);
    const rand = rng(w);
    const cases = [0n, 1n, (1n << 253n) - 1n, ...Array.from({ length: 50 }, () => {
      let a = 0n;
      for (let i = 0; i < 8; i++) a = (a << 32n) | BigInt(Math.floor(rand() * 2 ** 32));
      return a & ((1n << 253n) - 1n);
    })];
    for (const a of cases) {
      const biased = a + bias;
      expect(biased < 1n << 256n).toBe(true);
      let sum = 0n;
      for (let i = 0; i < 256 / w; i++) {
        const d = Number((biased >> BigInt(w * i)) & ((1n << BigInt(w)) - 1n)) - 2 ** (w - 1);
        expect(Math.abs(d)).toBeLessThanOrEqual(2 ** (w - 1));
        sum += BigInt(d) << BigInt(w * i);
      }
      expect(sum).toBe(a);
    }
  });

  it('derived parameters: table sizes and digit counts follow the windows', () => {
    expect(derivedParams({ K_WINDOW_BITS: 4, S_WINDOW_BITS: 8 })).toEqual({ K_DIGITS: 64, S_DIGITS: 32, K_TABLE_SIZE: 8, B_TABLE_SIZE: 128, S_STRIDE: 2 });
    expect(() => derivedParams({ K_WINDOW_BITS: 4, S_WINDOW_BITS: 6 })).toThrow(RangeError);
    expect(() => derivedParams({ K_WINDOW_BITS: 8, S_WINDOW_BITS: 4 })).toThrow(RangeError);
  });
});
