// Pass 2 of batch verification, one invocation per point: invocation t < n
// decompresses A of item t, t ≥ n decompresses R of item t − n; each writes
// its affine point and flags, and tests [8]·point == identity (small order)
// here, so that the scalar multiplication holds nothing but its own state.
// The A invocations also check S < L and write the biased scalar words the
// scalar multiplication cuts its signed digits from; the R invocations write
// R as a Cached point into the item's table (entry K_TABLE_SIZE, after the
// multiples of −A that ed25519_verify_curve.wgsl adds). State lives in storage buffers,
// limb-major across items (limb i of element f of item j at
// (f·LIMBS + i)·stride + j): a wave's lanes touch consecutive words.
// Needs: generated parameters and constants, field25519, scalar25519, edwards25519.

@group(0) @binding(0) var<storage, read> public_keys: array<u32>;     // 8 words per item
@group(0) @binding(1) var<storage, read> signatures: array<u32>;      // 16 words per item: R then S
@group(0) @binding(2) var<storage, read> challenges: array<u32>;      // 8 words per item (pass 1)
@group(0) @binding(3) var<storage, read_write> points: array<u32>;    // x, y of 2n points, stride 2n
@group(0) @binding(4) var<storage, read_write> flags: array<u32>;     // 2n: POINT_* bits
@group(0) @binding(5) var<storage, read_write> scalars: array<u32>;   // 16 words per item, stride n: k + K_BIAS, S' + S_BIAS
@group(0) @binding(6) var<storage, read_write> table: array<u32>;     // K_TABLE_SIZE + 1 Cached per item, stride n
@group(0) @binding(7) var<storage, read> params: array<u32>;          // [n]

fn point_word(t: u32, n: u32, i: u32) -> u32 {
  if (t < n) { return public_keys[t * 8u + i]; }
  return signatures[(t - n) * 16u + i];
}

fn s_word(item: u32, i: u32) -> u32 {
  return signatures[item * 16u + 8u + i];
}

// Words of v + bias (or of bias alone when !keep; v < 2^253, so no carry
// leaves the top word), stride n.
fn put_biased(first: u32, item: u32, n: u32, v: array<u32, 8>, keep: bool, bias: array<u32, 8>) {
  var carry = 0u;
  for (var i = 0u; i < 8u; i++) {
    let x = select(0u, v[i], keep);
    let s = x + bias[i];
    let r = s + carry;
    carry = select(0u, 1u, s < x) + select(0u, 1u, r < s);
    scalars[(first + i) * n + item] = r;
  }
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn prepare(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = gid.x + gid.y * nwg.x * WORKGROUP_SIZE;
  let n = params[0];
  if (t >= 2u * n) { return; }
  let w = array<u32, 8>(point_word(t, n, 0u), point_word(t, n, 1u), point_word(t, n, 2u), point_word(t, n, 3u),
                        point_word(t, n, 4u), point_word(t, n, 5u), point_word(t, n, 6u), point_word(t, n, 7u));
  // A point that failed to decompress still flows through the arithmetic
  // (its verdicts are 0 already); its coordinates are just field elements.
  let d = decompress(w);
  points_store(t, 2u * n, d.x);
  points_store(LIMBS * 2u * n + t, 2u * n, d.y);
  var f = select(0u, POINT_OK, d.ok) | select(0u, POINT_CANONICAL, d.canonical);
  if (t < n) {
    let item = t;
    let s = array<u32, 8>(s_word(item, 0u), s_word(item, 1u), s_word(item, 2u), s_word(item, 3u),
                          s_word(item, 4u), s_word(item, 5u), s_word(item, 6u), s_word(item, 7u));
    let s_ok = sc_lt_l(s);
    if (s_ok) { f = f | POINT_S_OK; }
    let k = array<u32, 8>(challenges[item * 8u], challenges[item * 8u + 1u], challenges[item * 8u + 2u], challenges[item * 8u + 3u],
                          challenges[item * 8u + 4u], challenges[item * 8u + 5u], challenges[item * 8u + 6u], challenges[item * 8u + 7u]);
    put_biased(0u, item, n, k, true, K_BIAS);
    // Edge case S ≥ L: the verdict is 0 under every rule; compute with S = 0
    // so the digit bounds (which assume S < 2^253) hold.
    put_biased(8u, item, n, s, s_ok, S_BIAS);
  } else {
    // R's Cached form (Z = 1) after A's multiples in the item's table: the
    // scalar multiplication pass subtracts it from P.
    table_put(K_TABLE_SIZE, t - n, n, ext_from_affine(d.x, d.y));
  }
  // Last, so that x and y end in it.
  if (ext_is_small_order(ext_from_affine(d.x, d.y))) { f = f | POINT_SMALL; }
  flags[t] = f;
}
