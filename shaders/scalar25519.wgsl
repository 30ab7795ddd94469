// Scalars mod L = 2^252 + 27742317777372353535851937790883648493, as 8
// little-endian u32 words. Verification needs only S < L and digest mod L;
// the signed digits of the scalar multiplication come from biased words
// (ed25519_verify_prepare.wgsl).

// S < L, S as given (no reduction: S ≥ L, including S = L and anything
// with the top bits set, is refused by every rule set).
fn sc_lt_l(s: array<u32, 8>) -> bool {
  // Compare from the most significant word down.
  for (var i = 7i; i >= 0i; i--) {
    let a = s[u32(i)];
    let b = SC_L[u32(i)];
    if (a < b) { return true; }
    if (a > b) { return false; }
  }
  return false; // S = L
}

// r·2 + bit, then r − L when that is ≥ 0. r < L on entry, so 2r + 1 < 2L < 2^254.
fn sc_shift_in(r: array<u32, 8>, bit: u32) -> array<u32, 8> {
  var d: array<u32, 8>;
  var carry = bit;
  for (var i = 0u; i < 8u; i++) {
    d[i] = (r[i] << 1u) | carry;
    carry = r[i] >> 31u;
  }
  var s: array<u32, 8>;
  var borrow = 0u;
  for (var i = 0u; i < 8u; i++) {
    let t = d[i] - SC_L[i];
    let b1 = select(0u, 1u, d[i] < SC_L[i]);
    s[i] = t - borrow;
    let b2 = select(0u, 1u, t < borrow);
    borrow = b1 | b2;
  }
  // No borrow: d ≥ L, keep the difference.
  if (borrow == 0u) { return s; }
  return d;
}

// A 512-bit little-endian integer (16 words) mod L, one bit at a time from
// the top: 512 constant-shape steps, no division, obviously correct.
fn sc_reduce512(h: array<u32, 16>) -> array<u32, 8> {
  var r: array<u32, 8>;
  for (var i = 16i - 1i; i >= 0i; i--) {
    let w = h[u32(i)];
    for (var b = 31i; b >= 0i; b--) {
      r = sc_shift_in(r, (w >> u32(b)) & 1u);
    }
  }
  return r;
}
