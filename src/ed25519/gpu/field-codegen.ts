// Generates the field arithmetic of the ed25519 kernels (mod p = 2^255 − 19)
// as straight-line WGSL for the limb layout in ./params.ts: the Fe type, the
// carry, add, sub, mul, square, canonical reduction, comparisons, conversion
// from words, selection, and loads/stores of elements kept limb-major in
// storage buffers.
//
// Why generated: WGSL has no unroll directive, and a private array written
// in a loop over a counter is dynamically indexed memory (scratch on a real
// GPU, gathers on SwiftShader). Unrolled, every limb index is a constant and
// the limbs stay in registers.
// See field25519.wgsl for the bounds.
import { FIELD_LAYOUT, type FieldLayout } from './params.js';

interface Layout extends FieldLayout {
  mask: number;
  /** 2^(LIMBS·LIMB_BITS) mod p: what a carry out of the top limb is worth at limb 0. */
  fold: number;
  /** Bits of the top limb below 2^255. */
  topBits: number;
  /** Upper bound (exclusive) of a limb in the loose form every function returns. */
  loose: number;
}

function layoutOf(f: FieldLayout): Layout {
  const { LIMBS: n, LIMB_BITS: b } = f;
  const total = n * b;
  const topBits = 255 - b * (n - 1);
  if (!Number.isInteger(n) || !Number.isInteger(b) || b < 8 || b > 15 || total < 256 || total - 255 > 12 || topBits < 1) {
    throw new RangeError(`field layout ${n} × ${b} bits: need 8..15-bit limbs covering 256..267 bits`);
  }
  const layout = { ...f, mask: 2 ** b - 1, fold: 19 * 2 ** (total - 255), topBits, loose: 2 ** b + 2 ** (b - 3) };
  // A column of LIMBS products of loose limbs, plus the two folds into it,
  // plus the ripple's carry, fits a u32; fe_carry folds c·fold into limb 0
  // with c < 2^(32 − b).
  const column = n * layout.loose ** 2;
  const limb = column + layout.mask * layout.fold + Math.floor(column / 2 ** b) * layout.fold + 2 ** (32 - b);
  if (limb >= 2 ** 32 || 2 ** (32 - b) * layout.fold + 2 ** b >= 2 ** 32) {
    throw new RangeError(`field layout ${n} × ${b} bits: column sums overflow u32`);
  }
  return layout;
}

const fn = (signature: string, body: string[]): string => `${signature} {\n${body.join('\n')}\n}\n`;

/**
 * Ripple-carry `inputs` (each < 2^32 − 2^(32−b)), fold the carry out of the
 * top limb into limb 0, ripple two more limbs: loose limbs out.
 */
function carryBody(l: Layout, inputs: string[]): string[] {
  const n = l.LIMBS, b = l.LIMB_BITS;
  const out: string[] = [`  var c = 0u;`];
  for (let i = 0; i < n; i++) {
    out.push(`  let v${i} = ${inputs[i]} + c;`);
    out.push(`  c = v${i} >> ${b}u;`);
  }
  out.push(`  let w0 = (v0 & FE_MASK) + c * ${l.fold}u;`);
  out.push(`  let w1 = (v1 & FE_MASK) + (w0 >> ${b}u);`);
  out.push(`  let w2 = (v2 & FE_MASK) + (w1 >> ${b}u);`);
  const limbs = [`w0 & FE_MASK`, `w1 & FE_MASK`, `w2`];
  for (let i = 3; i < n; i++) limbs.push(`v${i} & FE_MASK`);
  out.push(`  return Fe(${limbs.join(', ')});`);
  return out;
}

/**
 * Schoolbook columns t[k] = Σ a_i·b_j (i + j = k), each carry-free; column
 * k ≥ n sits at fold·2^(b(k−n)): its low b bits fold into limb k − n and the
 * rest into limb k − n + 1; then one carry. (Product scanning, one column at
 * a time with the previous carry, was measured too: no fewer registers with
 * RADV/ACO, which orders the columns itself, 42 more operations per multiply,
 * and 1.5× slower on SwiftShader, where the carry chain serializes the code.)
 */
function mulBody(l: Layout, square: boolean): string[] {
  const n = l.LIMBS, b = l.LIMB_BITS;
  const body: string[] = [];
  for (let i = 0; i < n; i++) body.push(`  let a${i} = a[${i}];`);
  if (!square) for (let i = 0; i < n; i++) body.push(`  let b${i} = b[${i}];`);
  const term = (i: number, j: number) => (square ? `a${i} * a${j}` : `a${i} * b${j}`);
  const column = (c: number): string => {
    const terms: string[] = [];
    if (square) {
      const cross: string[] = [];
      for (let i = Math.max(0, c - (n - 1)); 2 * i < c; i++) cross.push(term(i, c - i));
      // Each cross product once, doubled: the half-sum is below half the column bound.
      if (cross.length) terms.push(`2u * (${cross.join(' + ')})`);
      if (c % 2 === 0) terms.push(term(c / 2, c / 2));
    } else {
      for (let i = Math.max(0, c - (n - 1)); i <= Math.min(c, n - 1); i++) terms.push(term(i, c - i));
    }
    return terms.join(' + ');
  };
  for (let c = 0; c < 2 * n - 1; c++) body.push(`  let t${c} = ${column(c)};`);
  const inputs: string[] = [];
  for (let k = 0; k < n; k++) {
    const parts = [`t${k}`];
    if (k + n < 2 * n - 1) parts.push(`(t${k + n} & FE_MASK) * ${l.fold}u`);
    if (k >= 1) parts.push(`(t${k + n - 1} >> ${b}u) * ${l.fold}u`);
    inputs.push(parts.join(' + '));
  }
  body.push(...carryBody(l, inputs));
  return body;
}

/** Statements leaving strict limbs `${p}0..` of limbs `inputs` (each < 2^31) and the carry `${p}c` out of the top. */
function ripple(l: Layout, p: string, inputs: string[]): string[] {
  const out: string[] = [];
  let carry = '';
  inputs.forEach((x, i) => {
    out.push(`  let ${p}v${i} = ${x}${carry};`);
    out.push(`  let ${p}${i} = ${p}v${i} & FE_MASK;`);
    carry = ` + (${p}v${i} >> ${l.LIMB_BITS}u)`;
  });
  out.push(`  let ${p}c = ${carry.slice(3)};`);
  return out;
}

/** fe_canon: the unique representative < p, strict limbs. */
function canonBody(l: Layout): string[] {
  const n = l.LIMBS, t = l.topBits, topMask = 2 ** t - 1;
  const names = (p: string) => Array.from({ length: n }, (_, i) => `${p}${i}`);
  const body: string[] = [];
  // Loose in: strict limbs plus c·2^(n·b).
  body.push(...ripple(l, 'r', Array.from({ length: n }, (_, i) => `a[${i}]`)));
  // Everything from bit 255 up, times 19, into limb 0.
  const fold = (from: string, to: string, extra: string) => {
    const src = names(from);
    body.push(`  let ${to}top = (${src[n - 1]} >> ${t}u)${extra};`);
    const ins = src.map((x, i) => (i === 0 ? `${x} + ${to}top * 19u` : i === n - 1 ? `(${x} & ${topMask}u)` : x));
    body.push(...ripple(l, to, ins));
  };
  fold('r', 'q', ` + rc * ${2 ** (n * l.LIMB_BITS - 255)}u`);
  // Now value < 2^255 + 19·2^(13 − t + …): top ∈ {0, 1}; fold once more.
  fold('q', 'u', '');
  // Value < 2^255; subtract p iff value + 19 ≥ 2^255: the carry chain of
  // value + 19 alone decides, then one ripple of value + 19·ge with the
  // top bits cut (never holding both candidates).
  body.push(`  var g = ${names('u')[0]} + 19u;`);
  for (let i = 1; i < n; i++) body.push(`  g = ${names('u')[i]} + (g >> ${l.LIMB_BITS}u);`);
  body.push(`  let ge = select(0u, 19u, (g >> ${t}u) != 0u);`);
  body.push(...ripple(l, 'w', names('u').map((x, i) => (i === 0 ? `${x} + ge` : x))));
  body.push(`  return Fe(${names('w').map((x, i) => (i === n - 1 ? `${x} & ${topMask}u` : x)).join(', ')});`);
  return body;
}

/** fe_from_words: the low 255 bits of 8 little-endian words (bit 255 dropped), strict limbs. */
function fromWordsBody(l: Layout): string[] {
  const n = l.LIMBS, b = l.LIMB_BITS;
  const limbs: string[] = [];
  for (let i = 0; i < n; i++) {
    const bit = b * i, idx = bit >> 5, off = bit & 31;
    let v = off === 0 ? `w[${idx}]` : `(w[${idx}] >> ${off}u)`;
    if (off + b > 32 && idx < 7) v = `(${v} | (w[${idx + 1}] << ${32 - off}u))`;
    limbs.push(`${v} & ${i === n - 1 ? `${2 ** l.topBits - 1}u` : 'FE_MASK'}`);
  }
  return [`  return Fe(${limbs.join(', ')});`];
}

const each = (l: Layout, f: (i: number) => string) => Array.from({ length: l.LIMBS }, (_, i) => f(i));

/** WGSL text of the Fe type and every limb-level field function. */
export function wgslFieldCore(layout: FieldLayout = FIELD_LAYOUT): string {
  const l = layoutOf(layout);
  const idx = (name: string) => each(l, (i) => `${name}[${i}]`);
  return [
    '// ---- generated by src/ed25519/gpu/field-codegen.ts ----',
    `alias Fe = array<u32, ${l.LIMBS}>;`,
    `const FE_MASK: u32 = ${l.mask}u;`,
    fn('fn fe_carry(a: Fe) -> Fe', carryBody(l, idx('a'))),
    fn('fn fe_add(a: Fe, b: Fe) -> Fe', carryBody(l, idx('a').map((x, i) => `${x} + b[${i}]`))),
    // a + m·p − b: every FE_SUB_BIAS limb exceeds a loose limb of b.
    fn('fn fe_sub(a: Fe, b: Fe) -> Fe', carryBody(l, idx('a').map((x, i) => `${x} + FE_SUB_BIAS[${i}] - b[${i}]`))),
    fn('fn fe_mul(a: Fe, b: Fe) -> Fe', mulBody(l, false)),
    fn('fn fe_sq(a: Fe) -> Fe', mulBody(l, true)),
    fn('fn fe_canon(a: Fe) -> Fe', canonBody(l)),
    // Every limb 0: for canonical limbs, the value is 0.
    fn('fn fe_limbs_zero(c: Fe) -> bool', [`  return (${each(l, (i) => `c[${i}]`).join(' | ')}) == 0u;`]),
    fn('fn fe_is_zero(a: Fe) -> bool', [`  return fe_limbs_zero(fe_canon(a));`]),
    // Strict limbs are a fixed point of fe_canon exactly when value < p.
    fn('fn fe_is_canonical_strict(a: Fe) -> bool', [`  let c = fe_canon(a);`, `  return (${each(l, (i) => `(c[${i}] ^ a[${i}])`).join(' | ')}) == 0u;`]),
    fn('fn fe_from_words(w: array<u32, 8>) -> Fe', fromWordsBody(l)),
    fn('fn fe_select(a: Fe, b: Fe, pick_b: bool) -> Fe', [`  return Fe(${each(l, (i) => `select(a[${i}], b[${i}], pick_b)`).join(', ')});`]),
  ].join('\n');
}

/**
 * Load and store of field elements kept limb-major in storage buffer `buf`
 * (limb i of the element at `at + i·stride`: with stride = items per
 * dispatch, a wave's lanes read consecutive words).
 */
export function wgslFeStorage(buf: string, opts: { store: boolean }, layout: FieldLayout = FIELD_LAYOUT): string {
  const l = layoutOf(layout);
  const at = (i: number) => (i === 0 ? 'at' : `at + ${i}u * stride`);
  const parts = [fn(`fn ${buf}_load(at: u32, stride: u32) -> Fe`, [`  return Fe(${each(l, (i) => `${buf}[${at(i)}]`).join(', ')});`])];
  if (opts.store) parts.push(fn(`fn ${buf}_store(at: u32, stride: u32, v: Fe)`, each(l, (i) => `  ${buf}[${at(i)}] = v[${i}];`)));
  return parts.join('\n');
}

/**
 * u32 operations in each generated field function, counted from the
 * generated text (binary operators; loads of limbs and constants excluded).
 */
export function fieldOpCosts(layout: FieldLayout = FIELD_LAYOUT): { mul: number; sq: number; add: number; sub: number; canon: number } {
  const text = wgslFieldCore(layout);
  const count = (name: string) => {
    const start = text.indexOf(`fn ${name}(`);
    const body = text.slice(text.indexOf('{', start), text.indexOf('\n}\n', start));
    return (body.match(/(?<![<>=!])(\*|\+|-|&|\||\^|>>|<<)(?![=>])/g) ?? []).length
      + (body.match(/select\(/g) ?? []).length;
  };
  return { mul: count('fe_mul'), sq: count('fe_sq'), add: count('fe_add'), sub: count('fe_sub'), canon: count('fe_canon') };
}
