// One level of an RFC 6962 tree: parent p = SHA-256(0x01 || left || right)
// of children 2p and 2p+1 one level down; a last odd child (2p+1 past the
// level) is promoted unchanged, which is exactly RFC 6962's split at the
// largest power of two below n. Needs the generated WORKGROUP_SIZE and sha256.wgsl
// before it.
//
// Every level lives in one buffer of 32-byte digests (stored as bytes, see
// sha256.wgsl); a level is a range of slots starting at a base. With
// use_list, only the parents named in list[list_base ..] are recomputed
// (incremental updates); otherwise parents 0..count-1.

struct LevelParams {
  count: u32,
  src_base: u32,
  dst_base: u32,
  // Number of nodes in the child level.
  src_count: u32,
  list_base: u32,
  use_list: u32,
  _pad0: u32,
  _pad1: u32,
};


@group(0) @binding(0) var<storage, read_write> nodes: array<u32>;
@group(0) @binding(1) var<storage, read> list: array<u32>;
@group(0) @binding(2) var<uniform> mp: LevelParams;

@compute @workgroup_size(WORKGROUP_SIZE)
fn hash_level(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let k = grid_index(gid, nwg, WORKGROUP_SIZE);
  if (k >= mp.count) { return; }
  let p = select(k, list[mp.list_base + k], mp.use_list != 0u);
  let l = (mp.src_base + 2u * p) * 8u;
  let dst = (mp.dst_base + p) * 8u;
  if (2u * p + 1u >= mp.src_count) {
    for (var j = 0u; j < 8u; j++) { nodes[dst + j] = nodes[l + j]; }
    return;
  }
  let r = l + 8u;
  var L: array<u32, 8>;
  var R: array<u32, 8>;
  for (var j = 0u; j < 8u; j++) { L[j] = bswap32(nodes[l + j]); R[j] = bswap32(nodes[r + j]); }
  // The 65-byte message 0x01 || L || R, as big-endian words shifted by one byte.
  var m: array<u32, 16>;
  m[0] = 0x01000000u | (L[0] >> 8u);
  for (var j = 1u; j < 8u; j++) { m[j] = (L[j - 1u] << 24u) | (L[j] >> 8u); }
  m[8] = (L[7] << 24u) | (R[0] >> 8u);
  for (var j = 9u; j < 16u; j++) { m[j] = (R[j - 9u] << 24u) | (R[j - 8u] >> 8u); }
  var state = sha256_compress(sha256_initial_state(), m);
  var m2: array<u32, 16>;
  m2[0] = (R[7] << 24u) | 0x00800000u;
  m2[15] = 65u * 8u;
  state = sha256_compress(state, m2);
  for (var j = 0u; j < 8u; j++) { nodes[dst + j] = bswap32(state[j]); }
}
