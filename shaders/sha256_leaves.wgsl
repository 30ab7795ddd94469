// SHA-256 of many variable-length inputs in one dispatch, one invocation per
// input, each optionally prefixed by one domain byte (RFC 6962 leaf hashing:
// SHA-256(0x00 || d)). Needs the generated WORKGROUP_SIZE and sha256.wgsl before it.
//
// Input i is bytes [offsets[i], offsets[i+1]) of `data`, a byte string packed
// little-endian into u32 words. Its digest goes to digest slot
// out_base + (use_dest ? dest[i] : i) of `out` (8 words per slot).

struct LeafParams {
  count: u32,
  // 0..255: the prefix byte; NO_PREFIX: none.
  prefix: u32,
  use_dest: u32,
  out_base: u32,
};

const NO_PREFIX = 0xffffffffu;

@group(0) @binding(0) var<storage, read> data: array<u32>;
@group(0) @binding(1) var<storage, read> offsets: array<u32>;
@group(0) @binding(2) var<storage, read> dest: array<u32>;
@group(0) @binding(3) var<storage, read_write> out: array<u32>;
@group(0) @binding(4) var<uniform> lp: LeafParams;

fn data_word(i: i32) -> u32 {
  // Reads just outside the input (before byte 0, past the end) are zeros; the
  // caller masks them anyway, this keeps them in bounds.
  if (i < 0 || u32(i) >= arrayLength(&data)) { return 0u; }
  return data[u32(i)];
}

/** Four data bytes starting at byte q (any alignment, may be -1), first byte lowest. */
fn data_bytes_le(q: i32) -> u32 {
  let w = q >> 2u;  // arithmetic shift: q = -1 gives word -1
  let sh = u32(q & 3) * 8u;
  let lo = data_word(w);
  if (sh == 0u) { return lo; }
  return (lo >> sh) | (data_word(w + 1) << (32u - sh));
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn hash_leaves(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = grid_index(gid, nwg, WORKGROUP_SIZE);
  if (i >= lp.count) { return; }
  let start = offsets[i];
  let n = offsets[i + 1u] - start;
  let p = select(1u, 0u, lp.prefix == NO_PREFIX);
  let len = n + p;  // message bytes
  // Padding: 0x80, zeros, then the 64-bit bit length; always at least 9 bytes.
  let blocks = (len + 9u + 63u) / 64u;
  var state = sha256_initial_state();
  for (var b = 0u; b < blocks; b++) {
    var m: array<u32, 16>;
    for (var j = 0u; j < 16u; j++) {
      let s = b * 64u + j * 4u;  // stream position of this word
      if (b + 1u == blocks && j >= 14u) {
        // Bit length of a u32 byte count needs 35 bits.
        m[j] = select(len << 3u, len >> 29u, j == 14u);
        continue;
      }
      var x = 0u;
      if (s < len) {
        x = data_bytes_le(i32(start) + i32(s) - i32(p));
        if (s == 0u && p == 1u) { x = (x & 0xffffff00u) | (lp.prefix & 0xffu); }
        if (s + 4u > len) {
          // Bytes at and past the end of the message: keep the first len - s.
          x = x & ((1u << ((len - s) * 8u)) - 1u);
        }
      }
      if (s <= len && len < s + 4u) { x = x | (0x80u << ((len - s) * 8u)); }
      m[j] = bswap32(x);
    }
    state = sha256_compress(state, m);
  }
  let slot = lp.out_base + select(i, dest[i], lp.use_dest != 0u);
  for (var j = 0u; j < 8u; j++) { out[slot * 8u + j] = bswap32(state[j]); }
}
