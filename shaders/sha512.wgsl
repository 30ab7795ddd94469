// SHA-512 (FIPS 180-4) on 64-bit words held as vec2<u32>(high, low).
// The caller supplies the message schedule's input one 16-word block at a
// time; padding is the caller's (it knows where the bytes live).

alias W64 = vec2<u32>;

fn w64_add(a: W64, b: W64) -> W64 {
  let lo = a.y + b.y;
  let carry = select(0u, 1u, lo < a.y);
  return W64(a.x + b.x + carry, lo);
}

// Rotate right by 0 < n < 32.
fn w64_rotr_lo(a: W64, n: u32) -> W64 {
  return W64((a.x >> n) | (a.y << (32u - n)), (a.y >> n) | (a.x << (32u - n)));
}

// Rotate right by 32 < n < 64: swap halves, then rotate by n − 32.
fn w64_rotr_hi(a: W64, n: u32) -> W64 {
  return w64_rotr_lo(W64(a.y, a.x), n - 32u);
}

// Shift right by 0 < n < 32.
fn w64_shr(a: W64, n: u32) -> W64 {
  return W64(a.x >> n, (a.y >> n) | (a.x << (32u - n)));
}

fn sha512_big_sigma0(a: W64) -> W64 { return w64_rotr_lo(a, 28u) ^ w64_rotr_hi(a, 34u) ^ w64_rotr_hi(a, 39u); }
fn sha512_big_sigma1(a: W64) -> W64 { return w64_rotr_lo(a, 14u) ^ w64_rotr_lo(a, 18u) ^ w64_rotr_hi(a, 41u); }
fn sha512_small_sigma0(a: W64) -> W64 { return w64_rotr_lo(a, 1u) ^ w64_rotr_lo(a, 8u) ^ w64_shr(a, 7u); }
fn sha512_small_sigma1(a: W64) -> W64 { return w64_rotr_lo(a, 19u) ^ w64_rotr_hi(a, 61u) ^ w64_shr(a, 6u); }

fn sha512_compress(state: array<W64, 8>, block: array<W64, 16>) -> array<W64, 8> {
  var w = block;
  var a = state[0]; var b = state[1]; var c = state[2]; var d = state[3];
  var e = state[4]; var f = state[5]; var g = state[6]; var h = state[7];
  for (var t = 0u; t < 80u; t++) {
    // Rolling 16-word schedule: slot t & 15 holds W[t].
    if (t >= 16u) {
      let s = t & 15u;
      w[s] = w64_add(w64_add(sha512_small_sigma1(w[(t - 2u) & 15u]), w[(t - 7u) & 15u]),
                     w64_add(sha512_small_sigma0(w[(t - 15u) & 15u]), w[s]));
    }
    let ch = (e & f) ^ (~e & g);
    let maj = (a & b) ^ (a & c) ^ (b & c);
    let t1 = w64_add(w64_add(w64_add(h, sha512_big_sigma1(e)), w64_add(ch, SHA512_K[t])), w[t & 15u]);
    let t2 = w64_add(sha512_big_sigma0(a), maj);
    h = g; g = f; f = e;
    e = w64_add(d, t1);
    d = c; c = b; b = a;
    a = w64_add(t1, t2);
  }
  var out = state;
  out[0] = w64_add(out[0], a); out[1] = w64_add(out[1], b);
  out[2] = w64_add(out[2], c); out[3] = w64_add(out[3], d);
  out[4] = w64_add(out[4], e); out[5] = w64_add(out[5], f);
  out[6] = w64_add(out[6], g); out[7] = w64_add(out[7], h);
  return out;
}
