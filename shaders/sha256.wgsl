// SHA-256 (FIPS 180-4) compression over big-endian u32 message words.
// Digests leave kernels as bytes in memory order: word j of a stored digest
// holds bytes 4j..4j+3 little-endian, i.e. bswap32 of the FIPS state word,
// so a readback is the digest byte string with no host-side shuffling.

const SHA256_K = array<u32, 64>(
  0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
  0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
  0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
  0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
  0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
  0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
  0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
  0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
);

fn sha256_initial_state() -> array<u32, 8> {
  return array<u32, 8>(0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au, 0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u);
}

fn rotr32(x: u32, n: u32) -> u32 { return (x >> n) | (x << (32u - n)); }

fn bswap32(x: u32) -> u32 {
  return (x << 24u) | ((x & 0xff00u) << 8u) | ((x >> 8u) & 0xff00u) | (x >> 24u);
}

/** One compression of a 64-byte block (16 big-endian words) into `state`. */
fn sha256_compress(state: array<u32, 8>, block: array<u32, 16>) -> array<u32, 8> {
  // A 16-word ring instead of the 64-word schedule keeps private memory small.
  var w = block;
  var a = state[0]; var b = state[1]; var c = state[2]; var d = state[3];
  var e = state[4]; var f = state[5]; var g = state[6]; var h = state[7];
  for (var t = 0u; t < 64u; t++) {
    var wt: u32;
    if (t < 16u) {
      wt = w[t];
    } else {
      let w15 = w[(t - 15u) & 15u];
      let w2 = w[(t - 2u) & 15u];
      let s0 = rotr32(w15, 7u) ^ rotr32(w15, 18u) ^ (w15 >> 3u);
      let s1 = rotr32(w2, 17u) ^ rotr32(w2, 19u) ^ (w2 >> 10u);
      wt = w[t & 15u] + s0 + w[(t - 7u) & 15u] + s1;
      w[t & 15u] = wt;
    }
    let S1 = rotr32(e, 6u) ^ rotr32(e, 11u) ^ rotr32(e, 25u);
    let ch = (e & f) ^ (~e & g);
    let t1 = h + S1 + ch + SHA256_K[t] + wt;
    let S0 = rotr32(a, 2u) ^ rotr32(a, 13u) ^ rotr32(a, 22u);
    let maj = (a & b) ^ (a & c) ^ (b & c);
    let t2 = S0 + maj;
    h = g; g = f; f = e; e = d + t1;
    d = c; c = b; b = a; a = t1 + t2;
  }
  return array<u32, 8>(state[0] + a, state[1] + b, state[2] + c, state[3] + d,
                       state[4] + e, state[5] + f, state[6] + g, state[7] + h);
}

/** Item index for a kernel dispatched over a 2-D grid (see staging.ts workgroupGrid). */
fn grid_index(gid: vec3u, nwg: vec3u, workgroup_size: u32) -> u32 {
  return gid.x + gid.y * nwg.x * workgroup_size;
}
