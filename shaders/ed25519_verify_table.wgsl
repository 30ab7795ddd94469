// The per-item table of Cached points in storage, limb-major across items:
// entries 0..K_TABLE_SIZE − 1 are [1..K_TABLE_SIZE](−A), entry
// K_TABLE_SIZE is R. Coordinate c (0 Y+X, 1 Y−X, 2 2Z, 3 2dT) of entry j
// starts at ((j·4 + c)·LIMBS)·n + item, its limbs n words apart. The module
// including this file declares the `table` buffer.

fn table_at(j: u32, c: u32, item: u32, n: u32) -> u32 {
  return ((j * 4u + c) * LIMBS) * n + item;
}

// Entry j := p as a Cached point (ext_to_cached), each coordinate stored as
// soon as it is computed.
fn table_put(j: u32, item: u32, n: u32, p: Ext) {
  table_store(table_at(j, 0u, item, n), n, fe_add(p.y, p.x));
  table_store(table_at(j, 1u, item, n), n, fe_sub(p.y, p.x));
  table_store(table_at(j, 2u, item, n), n, fe_add(p.z, p.z));
  table_store(table_at(j, 3u, item, n), n, fe_mul(p.t, FE_D2));
}
