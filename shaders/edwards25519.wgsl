// Points of edwards25519 (−x² + y² = 1 + d·x²·y²) in extended coordinates
// (X : Y : Z : T), x = X/Z, y = Y/Z, x·y = T/Z (Hisil–Wong–Carter–Dawson 2008).
//
// The addition (add-2008-hwcd-3, k = 2d) and doubling (dbl-2008-hwcd) used
// here are complete for a = −1 with d a non-square: they are correct for the
// identity, for P + P, and for points of small order, which adversarial keys
// and R values are. No branch depends on which point it is.

struct Ext { x: Fe, y: Fe, z: Fe, t: Fe }
// A point prepared for being added: (Y+X, Y−X, 2Z, 2d·T).
struct Cached { ypx: Fe, ymx: Fe, z2: Fe, t2d: Fe }

fn ext_identity() -> Ext {
  return Ext(Fe(), fe_small(1u), fe_small(1u), Fe());
}

fn ext_from_affine(x: Fe, y: Fe) -> Ext {
  return Ext(x, y, fe_small(1u), fe_mul(x, y));
}

fn ext_neg(p: Ext) -> Ext {
  return Ext(fe_neg(p.x), p.y, p.z, fe_neg(p.t));
}

fn ext_to_cached(p: Ext) -> Cached {
  return Cached(fe_add(p.y, p.x), fe_sub(p.y, p.x), fe_add(p.z, p.z), fe_mul(p.t, FE_D2));
}

fn cached_identity() -> Cached {
  return Cached(fe_small(1u), fe_small(1u), fe_small(2u), Fe());
}

// −(x, y) = (−x, y): Y+X and Y−X swap, T changes sign.
fn cached_neg(q: Cached) -> Cached {
  return Cached(q.ymx, q.ypx, q.z2, fe_neg(q.t2d));
}

// E, F, G, H of an addition or doubling: the result is (E·F : G·H : F·G : E·H).
struct Efgh { e: Fe, f: Fe, g: Fe, h: Fe }

// F and G end with the second and third products (at most five elements
// live). T only when the next operation reads it: a doubling does not.
fn efgh_to_ext(q: Efgh, with_t: bool) -> Ext {
  var t = Fe();
  // A loop of 0 or 1 trips, not an if: SwiftShader runs both sides of every
  // if (lanes masked) but skips a loop no lane enters; with_t is uniform.
  for (var once = 0u; once < u32(with_t); once++) { t = fe_mul(q.e, q.h); }
  let x = fe_mul(q.e, q.f);
  let z = fe_mul(q.f, q.g);
  let y = fe_mul(q.g, q.h);
  return Ext(x, y, z, t);
}

// 8 multiplies.
fn ext_add_cached(p: Ext, q: Cached) -> Ext {
  let a = fe_mul(fe_sub(p.y, p.x), q.ymx);
  let b = fe_mul(fe_add(p.y, p.x), q.ypx);
  let c = fe_mul(p.t, q.t2d);
  let d = fe_mul(p.z, q.z2);
  return efgh_to_ext(Efgh(fe_sub(b, a), fe_sub(d, c), fe_add(d, c), fe_add(b, a)), true);
}

// dbl-2008-hwcd with a = −1: A = X², B = Y², C = 2Z², E = (X+Y)² − A − B,
// G = B − A, F = G − C, H = −A − B; X3 = E·F, Y3 = G·H, Z3 = F·G, T3 = E·H.
// Reads only X, Y, Z. 4 squarings + 3 or 4 multiplies.
// X+Y first, so that X and Y die with their squares (at most four elements live).
fn dbl_efgh(x: Fe, y: Fe, z: Fe) -> Efgh {
  let s = fe_add(x, y);
  let a = fe_sq(x);
  let b = fe_sq(y);
  let ab = fe_add(a, b);
  let e = fe_sub(fe_sq(s), ab);
  let g = fe_sub(b, a);
  let zz = fe_sq(z);
  let f = fe_sub(g, fe_add(zz, zz));
  return Efgh(e, f, g, fe_neg(ab));
}

fn ext_dbl(p: Ext, with_t: bool) -> Ext {
  return efgh_to_ext(dbl_efgh(p.x, p.y, p.z), with_t);
}

// [8]p is the identity: p has small order (T of p is not read).
fn ext_is_small_order(p: Ext) -> bool {
  var q = p;
  for (var d = 0u; d < 3u; d++) { q = ext_dbl(q, false); }
  return ext_is_identity(q);
}

// The identity is (0 : Z : Z : 0).
fn ext_is_identity(p: Ext) -> bool {
  return fe_is_zero(p.x) && fe_eq(p.y, p.z);
}

struct Decompressed {
  // The point is on the curve (x exists).
  ok: bool,
  // The 32 bytes are the unique encoding of that point: y < p, and not the
  // sign bit set on x = 0. Only canonical bytes can equal an encode(…).
  canonical: bool,
  x: Fe,
  y: Fe,
}

// z^((p−5)/8) = z^(2^252 − 3) for z = u·v⁷ = uv3·v4 (v4 = v⁴), recomputed
// where it is the base rather than held through the chain.
// z^(2^252 − 3) = (z^(2^250 − 1))^4 · z, with z^(2^250 − 1) = w^(Σ 2^(10j),
// j < 25) for w = z^(2^10 − 1): 10-bit windows. 251 squarings + 34
// multiplies (ref10's chain: 250 + 11), written as loops so that the square
// and the multiply each appear once in the code: shader compilers inline
// every call site.
fn pow22523_uv(uv3: Fe, v4: Fe) -> Fe {
  var r = fe_mul(uv3, v4);
  var base = r;
  // Phase 0: 9 windows of 1 bit, base z: r = z^(2^10 − 1).
  // Phase 1: 24 windows of 10 bits, base w = z^(2^10 − 1): r = z^(2^250 − 1).
  // Phase 2: 1 window of 2 bits, base z: r = z^(2^252 − 4 + 1).
  for (var phase = 0u; phase < 3u; phase++) {
    let windows = select(select(1u, 24u, phase == 1u), 9u, phase == 0u);
    let width = select(select(2u, 10u, phase == 1u), 1u, phase == 0u);
    if (phase == 1u) { base = r; }
    if (phase == 2u) { base = fe_mul(uv3, v4); }
    for (var w = 0u; w < windows; w++) {
      for (var i = 0u; i < width; i++) { r = fe_sq(r); }
      r = fe_mul(r, base);
    }
  }
  return r;
}

// docs/verification.md "decompress": y = the low 255 bits, reduced mod p when ≥ p;
// x = sqrt((y² − 1)/(d·y² + 1)) with parity = bit 255; a set sign bit on
// x = 0 is accepted (x stays 0); fails only when no square root exists.
// d·y² + 1 never vanishes (−1/d is not a square), so v is invertible.
// y is cut from the words again at the end rather than held (8 words, not
// LIMBS), and the root test v·x² = ±u is made as v⁴·x² = ±u·v³ (v ≠ 0):
// only u·v³ and v⁴ live through the power.
fn decompress(w: array<u32, 8>) -> Decompressed {
  let sign = (w[7] >> 31u) == 1u;
  let y_canonical = fe_is_canonical_strict(fe_from_words(w));
  let y2 = fe_sq(fe_from_words(w));
  let u = fe_sub(y2, fe_small(1u));
  let v = fe_add(fe_mul(FE_D, y2), fe_small(1u));
  let v2 = fe_sq(v);
  // x = u·v³·(u·v⁷)^((p−5)/8): a square root of u/v, or of −u/v, or neither.
  let uv3 = fe_mul(u, fe_mul(v2, v));
  let v4 = fe_sq(v2);
  var x = fe_mul(uv3, pow22523_uv(uv3, v4));
  let vx2 = fe_mul(v4, fe_sq(x));
  let root = fe_eq(vx2, uv3);
  let flipped = fe_is_zero(fe_add(vx2, uv3));
  // Edge case v·x² = −u: x·sqrt(−1) is the root. Neither: not on the curve.
  x = fe_mul(x, fe_select(fe_small(1u), FE_SQRT_M1, !root && flipped));
  let xc = fe_canon(x);
  let x_zero = fe_limbs_zero(xc);
  // Negate when the parity differs from the sign bit: 0 − xc or xc − 0, limb
  // by limb (never both candidates). Edge case x = 0: −0 = 0.
  let flip = ((xc[0] & 1u) == 1u) != sign;
  x = fe_sub(fe_select(xc, Fe(), flip), fe_select(Fe(), xc, flip));
  return Decompressed(root || flipped, y_canonical && !(x_zero && sign), x, fe_from_words(w));
}
