// Pass 1 of batch verification: k = SHA-512(R_bytes ‖ A_bytes ‖ M) mod L per
// item, over the bytes exactly as given. Its own pass because message
// lengths differ per item and would make the curve pass diverge.
// Needs: generated parameters and constants, sha512.wgsl, scalar25519.wgsl.

@group(0) @binding(0) var<storage, read> public_keys: array<u32>;   // 8 words per item
@group(0) @binding(1) var<storage, read> signatures: array<u32>;    // 16 words per item: R then S
@group(0) @binding(2) var<storage, read> messages: array<u32>;      // bytes, little-endian in words
@group(0) @binding(3) var<storage, read> offsets: array<u32>;       // n + 1 byte offsets
@group(0) @binding(4) var<storage, read_write> challenges: array<u32>; // 8 words per item
@group(0) @binding(5) var<storage, read> params: array<u32>;        // [n]

fn bswap32(v: u32) -> u32 {
  return (v >> 24u) | ((v >> 8u) & 0xff00u) | ((v << 8u) & 0xff0000u) | (v << 24u);
}

fn message_byte(at: u32) -> u32 {
  return (messages[at >> 2u] >> ((at & 3u) * 8u)) & 0xffu;
}

struct Stream { item: u32, m0: u32, total: u32, end: u32 }

// Byte `pos` of R ‖ A ‖ M ‖ 0x80 ‖ 0… ‖ bit length (128-bit big-endian).
fn stream_byte(s: Stream, pos: u32) -> u32 {
  if (pos < 32u) { return (signatures[s.item * 16u + (pos >> 2u)] >> ((pos & 3u) * 8u)) & 0xffu; }
  if (pos < 64u) { return (public_keys[s.item * 8u + ((pos - 32u) >> 2u)] >> ((pos & 3u) * 8u)) & 0xffu; }
  if (pos < s.total) { return message_byte(s.m0 + pos - 64u); }
  if (pos == s.total) { return 0x80u; }
  if (pos + 8u < s.end) { return 0u; }
  // Last 8 bytes: total·8 as a big-endian u64 (the 8 before them are zero).
  let q = pos + 8u - s.end;
  let hi = s.total >> 29u;
  let lo = s.total << 3u;
  let word = select(lo, hi, q < 4u);
  return (word >> (24u - 8u * (q & 3u))) & 0xffu;
}

// Big-endian u32 of stream bytes [pos, pos + 4), pos a multiple of 4.
fn stream_word(s: Stream, pos: u32) -> u32 {
  if (pos < 32u) { return bswap32(signatures[s.item * 16u + (pos >> 2u)]); }
  if (pos < 64u) { return bswap32(public_keys[s.item * 8u + ((pos - 32u) >> 2u)]); }
  if (pos + 4u <= s.total) {
    // Four message bytes, possibly straddling two words of `messages`.
    let at = s.m0 + pos - 64u;
    let sh = (at & 3u) * 8u;
    var v = messages[at >> 2u];
    // Edge case aligned: no second word (it may lie past the buffer).
    if (sh != 0u) { v = (v >> sh) | (messages[(at >> 2u) + 1u] << (32u - sh)); }
    return bswap32(v);
  }
  // The message's last bytes, the 0x80 marker, zeros and the length.
  return (stream_byte(s, pos) << 24u) | (stream_byte(s, pos + 1u) << 16u)
       | (stream_byte(s, pos + 2u) << 8u) | stream_byte(s, pos + 3u);
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn hash_challenges(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let item = gid.x + gid.y * nwg.x * WORKGROUP_SIZE;
  if (item >= params[0]) { return; }
  let m0 = offsets[item];
  let total = 64u + (offsets[item + 1u] - m0);
  // 0x80 and the 16-byte length must fit after the data.
  let nblocks = (total + 16u) / 128u + 1u;
  let s = Stream(item, m0, total, nblocks * 128u);
  var state = SHA512_IV;
  for (var blk = 0u; blk < nblocks; blk++) {
    var block: array<W64, 16>;
    for (var j = 0u; j < 16u; j++) {
      let pos = blk * 128u + j * 8u;
      block[j] = W64(stream_word(s, pos), stream_word(s, pos + 4u));
    }
    state = sha512_compress(state, block);
  }
  // The digest's 64 bytes (big-endian words) read as a little-endian integer.
  var h: array<u32, 16>;
  for (var i = 0u; i < 8u; i++) {
    h[2u * i] = bswap32(state[i].x);
    h[2u * i + 1u] = bswap32(state[i].y);
  }
  let k = sc_reduce512(h);
  for (var i = 0u; i < 8u; i++) { challenges[item * 8u + i] = k[i]; }
}
