// Pass 2 of batch verification: the curve work, and all three rule sets'
// verdicts at once as a bitmask per item (bit 0 zip215, bit 1 ref10,
// bit 2 solana). Every item runs the same sequence of operations whatever
// its content, so a workgroup does not diverge on bad inputs.
// Needs: generated constants, field25519, scalar25519, edwards25519.

@group(0) @binding(0) var<storage, read> public_keys: array<u32>;   // 8 words per item
@group(0) @binding(1) var<storage, read> signatures: array<u32>;    // 16 words per item: R then S
@group(0) @binding(2) var<storage, read> challenges: array<u32>;    // 8 words per item (pass 1)
@group(0) @binding(3) var<storage, read> base_table: array<u32>;    // [j]B, j = 1..128, Niels, 60 words each
@group(0) @binding(4) var<storage, read_write> verdicts: array<u32>; // one bitmask per item
@group(0) @binding(5) var<storage, read> params: array<u32>;        // [n]

const VERDICT_ZIP215: u32 = 1u;
const VERDICT_REF10: u32 = 2u;
const VERDICT_SOLANA: u32 = 4u;

// [|digit|]B from the table as a Cached point with Z = 1 (so 2Z = 2).
fn base_cached(digit: i32) -> Cached {
  // Edge case digit 0: the identity, so that every item adds the same number of times.
  if (digit == 0i) { return cached_identity(); }
  let at = (u32(abs(digit)) - 1u) * 60u;
  var q = Cached(Fe(), Fe(), fe_small(2u), Fe());
  for (var i = 0u; i < 20u; i++) {
    q.ypx[i] = base_table[at + i];
    q.ymx[i] = base_table[at + 20u + i];
    q.t2d[i] = base_table[at + 40u + i];
  }
  if (digit < 0i) { return cached_neg(q); }
  return q;
}

fn table_cached(table: ptr<function, array<Cached, 8>>, digit: i32) -> Cached {
  if (digit == 0i) { return cached_identity(); }
  let q = (*table)[u32(abs(digit)) - 1u];
  if (digit < 0i) { return cached_neg(q); }
  return q;
}

// Shader compilers inline every call (SwiftShader, which CI runs on, does),
// so each point operation appears at as few call sites as possible: loops
// over the operands instead of repeated calls.
@compute @workgroup_size(64)
fn verify_curve(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let item = gid.x + gid.y * nwg.x * 64u;
  if (item >= params[0]) { return; }

  // words[0] = A, words[1] = R.
  var words: array<array<u32, 8>, 2>;
  var s_words: array<u32, 8>;
  var k_words: array<u32, 8>;
  for (var i = 0u; i < 8u; i++) {
    words[0][i] = public_keys[item * 8u + i];
    words[1][i] = signatures[item * 16u + i];
    s_words[i] = signatures[item * 16u + 8u + i];
    k_words[i] = challenges[item * 8u + i];
  }

  let s_ok = sc_lt_l(s_words);
  // Edge case S ≥ L: the verdict is 0 under every rule; compute with S = 0 so
  // the recoding's digit bounds (which assume S < 2^253) hold.
  if (!s_ok) { s_words = array<u32, 8>(); }

  // A point that failed to decompress still flows through the arithmetic
  // (its verdicts are 0 already); its coordinates are just field elements.
  var dec: array<Decompressed, 2>;
  for (var j = 0u; j < 2u; j++) { dec[j] = decompress(words[j]); }
  let a = dec[0];
  let r = dec[1];
  let a_pt = ext_from_affine(a.x, a.y);
  let r_pt = ext_from_affine(r.x, r.y);

  // [1..8](−A), cached: P = [S]B + [k](−A) = [S]B − [k]A.
  let neg_a = ext_neg(a_pt);
  let neg_a_cached = ext_to_cached(neg_a);
  var table: array<Cached, 8>;
  var acc = neg_a;
  table[0] = neg_a_cached;
  for (var j = 1u; j < 8u; j++) {
    acc = ext_add_cached(acc, neg_a_cached);
    table[j] = ext_to_cached(acc);
  }

  let kd = sc_recode16(k_words);
  let sd = sc_recode256(s_words);
  // Horner over radix-16 positions 63..0: P = 16·P + k_i·(−A), plus s_m·B at
  // even positions i = 2m (radix-256 digits of S line up with them).
  var p = ext_identity();
  for (var i = 63i; i >= 0i; i--) {
    let doublings = select(4u, 0u, i == 63i);
    for (var d = 0u; d < doublings; d++) { p = ext_dbl(p); }
    let addends = select(1u, 2u, (i & 1i) == 0i);
    for (var j = 0u; j < addends; j++) {
      var q: Cached;
      if (j == 0u) { q = table_cached(&table, kd[u32(i)]); } else { q = base_cached(sd[u32(i >> 1u)]); }
      p = ext_add_cached(p, q);
    }
  }

  // ref10/solana: encode(P) == R_bytes. encode is injective and only ever
  // yields canonical bytes, so this holds iff R_bytes is canonical, decodes
  // to R, and P == R — compared projectively (R has Z = 1), no inversion.
  var same = true;
  for (var c = 0u; c < 2u; c++) {
    let pc = fe_select(p.x, p.y, c == 1u);
    let rc = fe_select(r.x, r.y, c == 1u);
    same = same && fe_eq(pc, fe_mul(rc, p.z));
  }
  let encodes_to_r = r.ok && r.canonical && same;

  // Small order of A, of R, and of P − R (zip215's cofactored check), in one loop.
  var pts: array<Ext, 3>;
  pts[0] = a_pt;
  pts[1] = r_pt;
  pts[2] = ext_add_cached(p, cached_neg(ext_to_cached(r_pt)));
  var small: array<bool, 3>;
  for (var j = 0u; j < 3u; j++) {
    var q = pts[j];
    for (var d = 0u; d < 3u; d++) { q = ext_dbl(q); }
    small[j] = ext_is_identity(q);
  }

  var mask = 0u;
  if (s_ok && a.ok && r.ok && small[2]) { mask = mask | VERDICT_ZIP215; }
  if (s_ok && a.ok && encodes_to_r) {
    mask = mask | VERDICT_REF10;
    if (!small[0] && !small[1]) { mask = mask | VERDICT_SOLANA; }
  }
  verdicts[item] = mask;
}
