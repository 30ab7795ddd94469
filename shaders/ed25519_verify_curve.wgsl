// Pass 3 of batch verification: the item's table [1..K_TABLE_SIZE](−A)
// (ed25519_verify_table.wgsl), then P = [S]B − [k]A = [S]B + [k](−A), by Horner's rule
// over the signed K_WINDOW_BITS-bit digits of k (K_DIGITS positions,
// K_WINDOW_BITS doublings each), adding the S digit's [s]B at every
// S_STRIDE-th position; then P − R and [8](P − R), and all three rule sets'
// verdicts at once as a bitmask per item (bit 0 zip215, bit 1 ref10, bit 2
// solana) with the flags of pass 2.
//
// The running point is the only state a pass holds: digits are cut from the
// biased words pass 2 wrote, table entries are read coordinate by
// coordinate as the addition uses them, and a negative digit swaps Y+X and
// Y−X and the roles of D − C and D + C instead of negating anything. Every
// item runs the same sequence of operations.
// Needs: generated parameters and constants, field25519, edwards25519, ed25519_verify_table.

@group(0) @binding(0) var<storage, read> params: array<u32>;         // [n]
@group(0) @binding(1) var<storage, read> points: array<u32>;         // x, y of 2n points (A then R), stride 2n (pass 2)
@group(0) @binding(2) var<storage, read_write> table: array<u32>;    // K_TABLE_SIZE + 1 Cached per item (R's from pass 2)
@group(0) @binding(3) var<storage, read> scalars: array<u32>;        // 16 words per item, stride n (pass 2)
@group(0) @binding(4) var<storage, read> base_table: array<u32>;     // [j]B, j = 1..B_TABLE_SIZE, Niels, 3·LIMBS words each
@group(0) @binding(5) var<storage, read> flags: array<u32>;          // 2n: POINT_* bits (pass 2)
@group(0) @binding(6) var<storage, read_write> verdicts: array<u32>; // one bitmask per item

// Addends: src 0 is table entry |d| − 1 of the item, src 1 is [|d|]B.
const SRC_TABLE: u32 = 0u;
const SRC_BASE: u32 = 1u;

// Signed digit `pos` (width w) of the biased scalar starting at word `first`.
fn digit(item: u32, n: u32, first: u32, w: u32, pos: u32) -> i32 {
  let bit = pos * w;
  let word = scalars[(first + (bit >> 5u)) * n + item];
  return i32((word >> (bit & 31u)) & ((1u << w) - 1u)) - i32(1u << (w - 1u));
}

// Coordinate c (0 Y+X, 1 Y−X, 2 2Z, 3 2dT) of the addend, for d < 0 with
// Y+X and Y−X swapped (the caller swaps F and G).
fn addend(item: u32, n: u32, src: u32, d: i32, c: u32) -> Fe {
  let j = max(u32(abs(d)), 1u) - 1u;
  let cc = select(c, 1u - c, d < 0i && c < 2u);
  // The fixed table is affine (Z = 1) and holds Y+X, Y−X, 2dT. Loops of 0
  // or 1 trips, not ifs (see efgh_to_ext): src and c are uniform, so
  // SwiftShader loads from one buffer only.
  var v = fe_small(2u);
  for (var once = 0u; once < u32(src == SRC_TABLE); once++) { v = table_load(table_at(j, cc, item, n), n); }
  for (var once = 0u; once < u32(src != SRC_TABLE && c != 2u); once++) {
    v = base_table_load(j * 3u * LIMBS + select(cc, 2u, cc == 3u) * LIMBS, 1u);
  }
  // Edge case digit 0: the identity (1, 1, 2, 0), so every item adds as
  // often. A select, not a branch: lanes' digits differ, so both sides ran.
  return fe_select(v, fe_small(select(select(0u, 2u, c == 2u), 1u, c < 2u)), d == 0i);
}

// Y−X and Y+X first (X and Y die), then the products that end T and Z, so
// that at most four elements and one addend coordinate are live.
fn add_step(p: Ext, item: u32, n: u32, src: u32, d: i32, with_t: bool) -> Ext {
  let ymx = fe_sub(p.y, p.x);
  let ypx = fe_add(p.y, p.x);
  let c = fe_mul(p.t, addend(item, n, src, d, 3u));
  let z = fe_mul(p.z, addend(item, n, src, d, 2u));
  let a = fe_mul(ymx, addend(item, n, src, d, 1u));
  let b = fe_mul(ypx, addend(item, n, src, d, 0u));
  // −Q has −2dT: C changes sign, so F = D − C and G = D + C trade places.
  let neg = d < 0i;
  let zmc = fe_sub(z, c);
  let zpc = fe_add(z, c);
  return efgh_to_ext(Efgh(fe_sub(b, a), fe_select(zmc, zpc, neg), fe_select(zpc, zmc, neg), fe_add(b, a)), with_t);
}

// One loop of steps, so that the addition, the doubling and the identity
// test each appear once in the code (compile time and code size):
// steps K_DIGITS + K_TABLE_SIZE − 1 down to K_DIGITS build the item's table,
// entry j = K_DIGITS + K_TABLE_SIZE − 1 − step: −A for j = 0, entry j − 1
// plus entry 0 after; steps K_DIGITS − 1 down to 0 are Horner's rule; step −1 adds −R (R
// is the table's last entry, a negative digit subtracts it); step −2 tests
// P − R for the identity, then doubles it three times; step −3 tests
// [8](P − R).
const STEP_SUB_R: i32 = -1i;
const STEP_EQ: i32 = -2i;
const STEP_LAST: i32 = -3i;

@compute @workgroup_size(WORKGROUP_SIZE)
fn scalarmul(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let item = gid.x + gid.y * nwg.x * WORKGROUP_SIZE;
  let n = params[0];
  if (item >= n) { return; }
  var p = ext_neg(ext_from_affine(points_load(item, 2u * n), points_load(LIMBS * 2u * n + item, 2u * n)));
  var eq_pr = false;
  var small_pr = false;
  // Entry 0 is re-read as the addition uses it rather than held. Its digit 1
  // comes from n (≥ 1 here) rather than a literal: with a constant digit the
  // compiler hoists all of the entry's loads to the top of the addition, and
  // four more elements are live (measured with bench:isa).
  let one = i32(min(n, 1u));
  for (var i = i32(K_DIGITS + K_TABLE_SIZE) - 1i; i >= STEP_LAST; i--) {
    let table_step = i >= i32(K_DIGITS);
    let entry = K_DIGITS + K_TABLE_SIZE - 1u - u32(i);
    let horner = i >= 0i && !table_step;
    if (i == i32(K_DIGITS) - 1i) { p = ext_identity(); }
    // Loops of 0 or 1 trips, not ifs (see efgh_to_ext): the identity test
    // and the table store run on their steps only on SwiftShader too.
    for (var once = 0u; once < u32(i <= STEP_EQ); once++) {
      let id = ext_is_identity(p);
      if (i == STEP_EQ) { eq_pr = id; } else { small_pr = id; }
    }
    var doublings = select(0u, K_WINDOW_BITS, horner && u32(i) != K_DIGITS - 1u);
    if (i == STEP_EQ) { doublings = 3u; }
    // T only for the last doubling before an addition: the addition reads T.
    for (var dd = 0u; dd < doublings; dd++) { p = ext_dbl(p, horner && dd + 1u == doublings); }
    let with_s = horner && u32(i) % S_STRIDE == 0u;
    let addends = select(select(0u, 1u, i == STEP_SUB_R || (table_step && entry > 0u)), select(1u, 2u, with_s), horner);
    for (var src = 0u; src < addends; src++) {
      var d = select(-i32(K_TABLE_SIZE + 1u), one, table_step);
      if (horner) {
        if (src == SRC_TABLE) { d = digit(item, n, 0u, K_WINDOW_BITS, u32(i)); } else { d = digit(item, n, 8u, S_WINDOW_BITS, u32(i) / S_STRIDE); }
      }
      // T when another addition follows, and for P itself (−R is added to it).
      p = add_step(p, item, n, src, d, src + 1u < addends || i == 0i || table_step);
    }
    for (var once = 0u; once < u32(table_step); once++) { table_put(entry, item, n, p); }
  }

  // ref10/solana: encode(P) == R_bytes. encode is injective and only ever
  // yields canonical bytes, so this holds iff R_bytes is canonical, decodes
  // to R, and P == R, i.e. P − R is the identity (no inversion).
  // zip215's cofactored check: [8](P − R) == identity.
  let fa = flags[item];
  let fr = flags[n + item];
  let r_ok = (fr & POINT_OK) != 0u;
  let encodes_to_r = r_ok && (fr & POINT_CANONICAL) != 0u && eq_pr;
  let base = (fa & POINT_S_OK) != 0u && (fa & POINT_OK) != 0u;
  var mask = 0u;
  if (base && r_ok && small_pr) { mask = mask | VERDICT_ZIP215; }
  if (base && encodes_to_r) {
    mask = mask | VERDICT_REF10;
    if ((fa & POINT_SMALL) == 0u && (fr & POINT_SMALL) == 0u) { mask = mask | VERDICT_SOLANA; }
  }
  verdicts[item] = mask;
}
