// Arithmetic mod p = 2^255 − 19 in u32 only (WGSL has no u64, no mulhi).
//
// An element (Fe) is LIMBS limbs of LIMB_BITS bits (src/ed25519/gpu/params.ts;
// 20 × 13 by default): value = Σ limb[i]·2^(LIMB_BITS·i). A carry out of the
// top limb is worth 2^(LIMBS·LIMB_BITS) ≡ 19·2^(LIMBS·LIMB_BITS − 255)
// (608 for 20 × 13), so high bits fold back with one multiply instead of a
// Montgomery reduction.
//
// "Loose" form, what every function here returns and accepts: each limb
// < 2^b + 2^(b−3) (9216 for b = 13) and the value is some representative of
// the class mod p (not necessarily < p). Only fe_canon gives the unique
// value < p, and only encoding and comparison need it.
//
// The limb-level functions are generated straight-line code
// (src/ed25519/gpu/field-codegen.ts, prepended to this file), which also
// checks these bounds for the layout it is given:
//
// fe_carry (input limbs < 2^32 − 2^(32−b), output loose): a ripple leaves
// b-bit limbs and a carry c < 2^(32−b) on top; c·fold folds into limb 0,
// and two more ripple steps leave limbs 0 and 1 strict and add at most a
// few units to limb 2.
//
// fe_add: loose + loose, then fe_carry. fe_sub: a + m·p − b limb by limb,
// m·p written without carries (FE_SUB_BIAS, every limb above any loose limb
// of b), so no limb underflows; then fe_carry.
//
// fe_mul, fe_sq: schoolbook columns t[k] = Σ a_i·b_j (i + j = k) < LIMBS·9216²
// (< 2^30.66 for 20 × 13), carry-free. Column k ≥ LIMBS sits at
// fold·2^(b(k − LIMBS)): its low b bits fold into limb k − LIMBS and its
// high part (< 2^17.7) into the next limb, so each limb is
// < 1 698 693 120 + 8191·608 + 207 360·608 < 2^31 before fe_carry. fe_sq
// sums each cross product once, doubled (the half-sum is below half the bound).
//
// fe_canon: ripple, fold the bits from 2^255 up (times 19) into limb 0
// twice, then subtract p when value + 19 ≥ 2^255.

fn fe_small(v: u32) -> Fe {
  var r = Fe();
  r[0] = v;
  return r;
}

fn fe_neg(a: Fe) -> Fe {
  return fe_sub(Fe(), a);
}

fn fe_eq(a: Fe, b: Fe) -> bool {
  return fe_is_zero(fe_sub(a, b));
}
