// Arithmetic mod p = 2^255 − 19 in u32 only (WGSL has no u64, no mulhi).
//
// An element is 20 limbs of 13 bits: value = Σ limb[i]·2^(13i), 260 bits.
// 2^260 = 32·2^255 ≡ 32·19 = 608 (mod p), so bits above 2^260 fold back
// with a multiply by 608 instead of a Montgomery reduction.
//
// "Loose" form, what every function here returns and accepts: each limb
// < 2^13 + 2^10 = 9216 and the value is some representative of the class
// mod p (not necessarily < p). Only fe_canon gives the unique value < p, and
// only encoding and comparison need it.
//
// Bound behind fe_mul/fe_sq: a column sum of 20 products of loose limbs is
// < 20·9216² = 1 698 693 120 < 2^31, so columns accumulate carry-free.

alias Fe = array<u32, 20>;

const FE_MASK: u32 = 0x1fffu;

fn fe_small(v: u32) -> Fe {
  var r = Fe();
  r[0] = v;
  return r;
}

// fe_carry, fe_add, fe_sub, fe_mul and fe_sq are generated straight-line
// code (src/ed25519/gpu/field-codegen.ts) prepended to this file; what they
// compute, and why it cannot overflow:
//
// fe_carry (input limbs < 2^31, output loose): a ripple leaves 13-bit limbs
// and c < 2^19, the multiple of 2^260 on top; c·608 (< 2^28.3) folds into
// limb 0, and two more ripple steps leave limbs 0 and 1 at 13 bits and add at
// most 5 to limb 2.
//
// fe_add: loose + loose has limbs < 2^15, then fe_carry.
//
// fe_sub: a + 64p − b limb by limb, 64p written limb by limb without carries
// (FE_SUB_BIAS, every limb ≥ 64·255 = 16320 > 9216 > any loose limb of b), so
// no limb underflows and each stays < 9216 + 2^19; then fe_carry.
//
// fe_mul: schoolbook columns t[k] = Σ a_i·b_j (i + j = k) < 2^30.66. Column
// k ≥ 20 sits at 2^(13k) = 2^260·2^(13(k−20)) ≡ 608·2^(13(k−20)): its low 13
// bits fold into limb k−20 and its high part (< 2^17.7) into limb k−19, so
// each limb is < 1 698 693 120 + 8191·608 + 207 360·608 < 2^31 before fe_carry.
//
// fe_sq: the same columns with each cross product once, doubled (the half-sum
// is below half the bound, so doubling cannot overflow).

fn fe_neg(a: Fe) -> Fe {
  return fe_sub(Fe(), a);
}

// Strict ripple: limbs < 2^15 in, 13-bit limbs out, and the carry out of limb 19.
struct FeRipple { r: Fe, c: u32 }

fn fe_ripple(a: Fe) -> FeRipple {
  var r = a;
  var c = 0u;
  for (var i = 0u; i < 20u; i++) {
    let v = r[i] + c;
    r[i] = v & FE_MASK;
    c = v >> 13u;
  }
  return FeRipple(r, c);
}

// The unique representative < p, in 13-bit limbs (limb 19 < 2^8).
fn fe_canon(a: Fe) -> Fe {
  // Loose in, value < 2^261: strict limbs plus c·2^260 (c ≤ 1).
  let s = fe_ripple(a);
  var r = s.r;
  // Fold everything from bit 255 up: 2^255 ≡ 19. top < 2^5 + 32.
  var top = (r[19] >> 8u) + s.c * 32u;
  r[19] = r[19] & 0xffu;
  r[0] = r[0] + top * 19u;
  r = fe_ripple(r).r;
  // Now value < 2^255 + 19·64, so top ∈ {0, 1}; fold once more.
  top = r[19] >> 8u;
  r[19] = r[19] & 0xffu;
  r[0] = r[0] + top * 19u;
  r = fe_ripple(r).r;
  // Value < 2^255; subtract p iff value + 19 ≥ 2^255.
  var w = r;
  w[0] = w[0] + 19u;
  w = fe_ripple(w).r;
  if ((w[19] >> 8u) != 0u) {
    w[19] = w[19] & 0xffu;
    return w;
  }
  return r;
}

fn fe_is_zero(a: Fe) -> bool {
  let c = fe_canon(a);
  var acc = 0u;
  for (var i = 0u; i < 20u; i++) { acc = acc | c[i]; }
  return acc == 0u;
}

fn fe_eq(a: Fe, b: Fe) -> bool {
  return fe_is_zero(fe_sub(a, b));
}

fn fe_is_odd(a: Fe) -> bool {
  return (fe_canon(a)[0] & 1u) == 1u;
}

// Strict 13-bit limbs are a fixed point of fe_canon exactly when value < p.
fn fe_is_canonical_strict(a: Fe) -> bool {
  let c = fe_canon(a);
  var diff = 0u;
  for (var i = 0u; i < 20u; i++) { diff = diff | (c[i] ^ a[i]); }
  return diff == 0u;
}

// The low 255 bits of 8 little-endian words (bit 255, the sign, is dropped),
// as strict 13-bit limbs. The value may be ≥ p: arithmetic does not care.
fn fe_from_words(w: array<u32, 8>) -> Fe {
  var r: Fe;
  for (var i = 0u; i < 20u; i++) {
    let bit = 13u * i;
    let idx = bit >> 5u;
    let off = bit & 31u;
    var v = w[idx] >> off;
    // Limb straddles a word boundary when off > 19 (13 bits from off).
    if (off > 19u && idx < 7u) { v = v | (w[idx + 1u] << (32u - off)); }
    r[i] = v & FE_MASK;
  }
  r[19] = r[19] & 0xffu;
  return r;
}

fn fe_select(a: Fe, b: Fe, pick_b: bool) -> Fe {
  var r: Fe;
  for (var i = 0u; i < 20u; i++) { r[i] = select(a[i], b[i], pick_b); }
  return r;
}

// z^((p−5)/8) = z^(2^252 − 3) = (z^(2^250 − 1))^4 · z, with
// z^(2^250 − 1) = w^(Σ 2^(10j), j < 25) for w = z^(2^10 − 1): 10-bit windows.
// 251 squarings + 34 multiplies (ref10's chain: 250 + 11), written as loops
// so that the square and the multiply each appear once in the code: shader
// compilers (SwiftShader in CI) inline every call site.
fn fe_pow22523(z: Fe) -> Fe {
  var r = z;
  var base = z;
  // Phase 0: 9 windows of 1 bit, base z: r = z^(2^10 − 1).
  // Phase 1: 24 windows of 10 bits, base w = z^(2^10 − 1): r = z^(2^250 − 1).
  // Phase 2: 1 window of 2 bits, base z: r = z^(2^252 − 4 + 1).
  for (var phase = 0u; phase < 3u; phase++) {
    let windows = select(select(1u, 24u, phase == 1u), 9u, phase == 0u);
    let width = select(select(2u, 10u, phase == 1u), 1u, phase == 0u);
    if (phase == 1u) { base = r; }
    if (phase == 2u) { base = z; }
    for (var w = 0u; w < windows; w++) {
      for (var i = 0u; i < width; i++) { r = fe_sq(r); }
      r = fe_mul(r, base);
    }
  }
  return r;
}
