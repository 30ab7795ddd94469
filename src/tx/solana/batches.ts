// Conflict levels and batches (docs/solana.md). Two transactions conflict when one
// writes an account the other reads or writes. A transaction's level is 0
// without an earlier conflicting one, else 1 + the highest level among them.
// One pass: per account, the level of its last writer (writers of one account
// have increasing levels, so the last is the highest) and the highest level
// of its readers.

/**
 * Levels of transactions t = 0 .. count − 1, whose locks are
 * `locks[start[lines[t]] .. start[lines[t] + 1])`, each (keyId << 1) |
 * writable with keyId < keySpace. Returns one level per transaction.
 */
export function conflictLevels(lines: Int32Array, count: number, start: Int32Array, locks: Int32Array, keySpace: number): Int32Array {
  const lastWriter = new Int32Array(keySpace).fill(-1);
  const maxReader = new Int32Array(keySpace).fill(-1);
  const levels = new Int32Array(count);
  for (let t = 0; t < count; t++) {
    const line = lines[t];
    const a = start[line];
    const b = start[line + 1];
    let level = 0;
    for (let j = a; j < b; j++) {
      const lock = locks[j];
      const id = lock >>> 1;
      let after = lastWriter[id];
      if (lock & 1 && maxReader[id] > after) after = maxReader[id];
      if (after + 1 > level) level = after + 1;
    }
    for (let j = a; j < b; j++) {
      const lock = locks[j];
      const id = lock >>> 1;
      if (lock & 1) lastWriter[id] = level;
      else if (level > maxReader[id]) maxReader[id] = level;
    }
    levels[t] = level;
  }
  return levels;
}

/**
 * Batches: levels in increasing order, each level's `lines` in input order,
 * cut into consecutive chunks of at most `batchSize`.
 */
export function cutBatches(lines: Int32Array, levels: Int32Array, count: number, batchSize: number): number[][] {
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new RangeError(`batchSize must be a whole number >= 1, got ${batchSize}`);
  let levelCount = 0;
  for (let t = 0; t < count; t++) if (levels[t] + 1 > levelCount) levelCount = levels[t] + 1;
  // Counting sort by level, stable, so each level keeps input order.
  const first = new Int32Array(levelCount + 1);
  for (let t = 0; t < count; t++) first[levels[t] + 1]++;
  for (let l = 0; l < levelCount; l++) first[l + 1] += first[l];
  const fill = first.slice(0, levelCount);
  const ordered = new Int32Array(count);
  for (let t = 0; t < count; t++) ordered[fill[levels[t]]++] = lines[t];
  const batches: number[][] = [];
  for (let l = 0; l < levelCount; l++) {
    for (let i = first[l]; i < first[l + 1]; i += batchSize) {
      const end = Math.min(i + batchSize, first[l + 1]);
      batches.push(Array.from(ordered.subarray(i, end)));
    }
  }
  return batches;
}
