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

// 8 multiplies.
fn ext_add_cached(p: Ext, q: Cached) -> Ext {
  let a = fe_mul(fe_sub(p.y, p.x), q.ymx);
  let b = fe_mul(fe_add(p.y, p.x), q.ypx);
  let c = fe_mul(p.t, q.t2d);
  let d = fe_mul(p.z, q.z2);
  let e = fe_sub(b, a);
  let f = fe_sub(d, c);
  let g = fe_add(d, c);
  let h = fe_add(b, a);
  return Ext(fe_mul(e, f), fe_mul(g, h), fe_mul(f, g), fe_mul(e, h));
}

// dbl-2008-hwcd with a = −1: A = X², B = Y², C = 2Z², E = (X+Y)² − A − B,
// G = B − A, F = G − C, H = −A − B; X3 = E·F, Y3 = G·H, Z3 = F·G, T3 = E·H.
// Reads only X, Y, Z. 4 squarings + 4 multiplies.
fn ext_dbl(p: Ext) -> Ext {
  let a = fe_sq(p.x);
  let b = fe_sq(p.y);
  let zz = fe_sq(p.z);
  let c = fe_add(zz, zz);
  let ab = fe_add(a, b);
  let e = fe_sub(fe_sq(fe_add(p.x, p.y)), ab);
  let g = fe_sub(b, a);
  let f = fe_sub(g, c);
  let h = fe_neg(ab);
  return Ext(fe_mul(e, f), fe_mul(g, h), fe_mul(f, g), fe_mul(e, h));
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

// SPEC §1 "decompress": y = the low 255 bits, reduced mod p when ≥ p;
// x = sqrt((y² − 1)/(d·y² + 1)) with parity = bit 255; a set sign bit on
// x = 0 is accepted (x stays 0); fails only when no square root exists.
// d·y² + 1 never vanishes (−1/d is not a square), so v is invertible.
fn decompress(w: array<u32, 8>) -> Decompressed {
  let y = fe_from_words(w);
  let sign = (w[7] >> 31u) == 1u;
  let y2 = fe_sq(y);
  let u = fe_sub(y2, fe_small(1u));
  let v = fe_add(fe_mul(FE_D, y2), fe_small(1u));
  // x = u·v³·(u·v⁷)^((p−5)/8): a square root of u/v, or of −u/v, or neither.
  let v3 = fe_mul(fe_sq(v), v);
  let v7 = fe_mul(fe_sq(v3), v);
  var x = fe_mul(fe_mul(u, v3), fe_pow22523(fe_mul(u, v7)));
  let vx2 = fe_mul(v, fe_sq(x));
  let root = fe_eq(vx2, u);
  let flipped = fe_eq(vx2, fe_neg(u));
  // Edge case v·x² = −u: x·sqrt(−1) is the root. Neither: not on the curve.
  x = fe_select(x, fe_mul(x, FE_SQRT_M1), !root && flipped);
  let xc = fe_canon(x);
  let x_zero = fe_is_zero(xc);
  // Edge case sign bit on x = 0: −0 = 0, so negating changes nothing.
  x = fe_select(xc, fe_neg(xc), ((xc[0] & 1u) == 1u) != sign);
  let canonical = fe_is_canonical_strict(y) && !(x_zero && sign);
  return Decompressed(root || flipped, canonical, x, y);
}
