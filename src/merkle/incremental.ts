// An RFC 6962 tree over fixed-size leaves that is updated in place: the
// executor's state root (docs/transactions.md). Only touched leaves and the nodes above
// them are re-hashed. Node p of level j covers leaves [p·2^j, (p+1)·2^j) ∩
// [0, size) and its hash depends on nothing else, so after an update (or an
// append, whose new leaves are all touched) the changed nodes are exactly the
// ancestors of touched leaves.
import { DestroyedError } from '../errors.js';
import { acquireGpu, type GpuContext } from '../gpu/device.js';
import { planChunks } from '../gpu/staging.js';
import { DIGEST_BYTES, LEAF_PREFIX_BYTE, createMerkleKernels, encodeHashItems, encodeLevelSteps, type MerkleKernels } from './gpu.js';
import { EMPTY_ROOT, MerkleInputError } from './reference.js';
import { closableFromDestroy } from '../lifecycle.js';
import { leafHash48Words, nodeHashWords, paddedScratch, prefixedHashWords, wordsToBytes } from './sha256-words.js';

export interface IncrementalMerkleTree {
  readonly size: number;
  readonly backend: 'webgpu' | 'cpu';
  /**
   * Sets leaf i to leaves[k*leafSize .. (k+1)*leafSize) for i = indices[k].
   * Indices may be < size (update) or extend the tree: after the call,
   * size = max(size, max(indices)+1), and every index in [old size, new size)
   * must be given. An index given twice takes its last leaf.
   */
  setLeaves(indices: Uint32Array, leaves: Uint8Array): Promise<void>;
  /** Equals merkleRoot() of all leaves, recomputed from scratch. */
  root(): Promise<Uint8Array>;
  /** Releases the levels (GPU buffers, and a device the tree acquired). Idempotent. */
  close(): Promise<void>;
  /** `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
  /** @deprecated Use `close()`; the same, synchronously. */
  destroy(): void;
}

export interface IncrementalTreeOptions {
  backend: 'webgpu' | 'cpu';
  leafSize: number;
  /** The GPU for 'webgpu'; without one the tree acquires (and later destroys) its own. */
  device?: GpuContext;
}

/** A checked update: distinct indices ascending, and where each one's leaf is in the caller's array. */
interface Update {
  newSize: number;
  indices: Uint32Array;
  source: Uint32Array;
}

/**
 * The tree's size after setting the distinct ascending indices `list`. A tree
 * grows only contiguously: every index in [size, new size) must be given, and
 * the first one missing is named.
 */
function grownSize(size: number, list: Uint32Array): number {
  const u = list.length;
  const newSize = Math.max(size, u > 0 ? list[u - 1] + 1 : 0);
  let fresh = 0;
  for (let r = u - 1; r >= 0 && list[r] >= size; r--) fresh++;
  if (fresh !== newSize - size) {
    let missing = size;
    for (let r = u - fresh; r < u && list[r] === missing; r++) missing++;
    throw new MerkleInputError(`setLeaves: growing the tree from ${size} to ${newSize} leaves needs every index in between, index ${missing} is missing`);
  }
  return newSize;
}

/** setLeaves' argument checks, shared by both trees: typed arrays, one leaf of `leafSize` bytes per index. */
function checkUpdateInput(leafSize: number, indices: Uint32Array, leaves: Uint8Array): void {
  if (!(indices instanceof Uint32Array)) throw new MerkleInputError('setLeaves: indices must be a Uint32Array');
  if (!(leaves instanceof Uint8Array)) throw new MerkleInputError('setLeaves: leaves must be a Uint8Array');
  if (leaves.length !== indices.length * leafSize) {
    throw new MerkleInputError(`setLeaves: leaves has ${leaves.length} bytes, expected ${indices.length} × ${leafSize} = ${indices.length * leafSize}`);
  }
}

/**
 * An update's distinct indices ascending, each with the position of its last
 * leaf (a repeated index: the last one wins), and the tree's new size.
 * Indices already ascending (a first load) need no sort; otherwise the
 * positions are radix-sorted by index (stable, so equal indices keep their
 * order and the last overwrites). For 181k positions a comparator sort
 * measured 60–90 ms and a native sort of packed doubles 22 ms, against a GPU
 * budget of 50 ms for the whole update.
 */
function prepareUpdate(size: number, leafSize: number, indices: Uint32Array, leaves: Uint8Array): Update {
  checkUpdateInput(leafSize, indices, leaves);
  const m = indices.length;
  let sorted = true;
  for (let k = 1; k < m && sorted; k++) sorted = indices[k] > indices[k - 1];
  const order = sorted ? null : positionsByIndex(indices);
  const out = new Uint32Array(m);
  const source = new Uint32Array(m);
  let u = 0;
  for (let r = 0; r < m; r++) {
    const k = order === null ? r : order[r];
    if (u > 0 && out[u - 1] === indices[k]) source[u - 1] = k;
    else { out[u] = indices[k]; source[u] = k; u++; }
  }
  const newSize = grownSize(size, out.subarray(0, u));
  return { newSize, indices: out.subarray(0, u), source: source.subarray(0, u) };
}

/** Positions 0..m−1 ordered by indices[position], stably: an LSD radix sort, three 11-bit digits. */
export function positionsByIndex(indices: Uint32Array): Uint32Array {
  const m = indices.length;
  let from = new Uint32Array(m), to = new Uint32Array(m);
  for (let k = 0; k < m; k++) from[k] = k;
  const counts = new Uint32Array(2048);
  for (let shift = 0; shift < 33; shift += 11) {
    counts.fill(0);
    for (let k = 0; k < m; k++) counts[(indices[k] >>> shift) & 2047]++;
    let sum = 0;
    for (let d = 0; d < 2048; d++) { const c = counts[d]; counts[d] = sum; sum += c; }
    for (let r = 0; r < m; r++) { const k = from[r]; to[counts[(indices[k] >>> shift) & 2047]++] = k; }
    [from, to] = [to, from];
  }
  return from;
}

/**
 * leaves[source[r]] for r = 0.., into a new array. Whole words when the
 * layout allows: a subarray per leaf cost about 100 ns, a third of the
 * host's share of a 181k-leaf update.
 */
function gatherLeaves(leaves: Uint8Array, source: Uint32Array, leafSize: number): Uint8Array {
  const u = source.length;
  const data = new Uint8Array(u * leafSize);
  if (leafSize % 4 === 0 && leaves.byteOffset % 4 === 0) {
    const w = leafSize / 4;
    const from = new Uint32Array(leaves.buffer, leaves.byteOffset, leaves.length / 4);
    const to = new Uint32Array(data.buffer);
    for (let r = 0; r < u; r++) {
      const f = source[r] * w, t = r * w;
      for (let j = 0; j < w; j++) to[t + j] = from[f + j];
    }
  } else {
    for (let r = 0; r < u; r++) {
      const f = source[r] * leafSize, t = r * leafSize;
      for (let j = 0; j < leafSize; j++) data[t + j] = leaves[f + j];
    }
  }
  return data;
}

/** Node counts per level for `size` leaves, leaves first (empty for 0). */
function levelCounts(size: number): number[] {
  if (size === 0) return [];
  const counts = [size];
  while (counts[counts.length - 1] > 1) counts.push(Math.ceil(counts[counts.length - 1] / 2));
  return counts;
}

/** Parents to recompute per level 1..L: distinct ascending ancestors of the touched leaves. */
function dirtyParents(touched: Uint32Array, levels: number): Uint32Array[] {
  const lists: Uint32Array[] = [];
  let cur = touched;
  for (let j = 1; j < levels; j++) {
    const up = new Uint32Array(cur.length);
    let u = 0;
    for (let r = 0; r < cur.length; r++) {
      const p = cur[r] >>> 1;
      if (u === 0 || up[u - 1] !== p) up[u++] = p;
    }
    cur = up.subarray(0, u);
    lists.push(cur);
  }
  return lists;
}

export async function createIncrementalMerkleTree(opts: IncrementalTreeOptions): Promise<IncrementalMerkleTree> {
  const { leafSize } = opts;
  if (!Number.isInteger(leafSize) || leafSize < 0) throw new MerkleInputError(`leafSize must be a non-negative integer, got ${leafSize}`);
  if (opts.backend === 'cpu') return closableFromDestroy(createCpuTree(leafSize));
  if (opts.backend === 'webgpu') return closableFromDestroy(await createGpuTree(leafSize, opts.device));
  throw new MerkleInputError(`backend must be 'webgpu' or 'cpu', got ${JSON.stringify(opts.backend)}`);
}

/** Words per digest in the CPU tree's levels (8 big-endian u32 values). */
const DIGEST_WORDS = DIGEST_BYTES / 4;

/**
 * The CPU tree. levels[j] holds level j's digests as 8 words each (see
 * sha256-words.ts), with spare capacity; hashes are written in place.
 *
 * An update: hash the given leaves in the caller's order (a repeated index is
 * hashed again, so its last leaf wins), then walk up the distinct ancestors
 * level by level from a sorted list of the touched indices. The executor
 * hands its touches in first-write order, so the list is sorted here (native
 * numeric sort; skipped when already ascending). Once a level's dirty list
 * covers the whole level (a block touching most accounts, a first load), that
 * level and every one above it is hashed by a plain loop over all nodes. A
 * lower share would not pay: walking the list costs a few ns per node, a
 * node hash ~0.7 µs, so recomputing clean nodes only adds work.
 *
 * One thread on purpose. A prototype splitting a 181k-leaf update of a 1M
 * tree into two aligned halves (worker + this thread, SharedArrayBuffer
 * levels) measured 526–541 ms against 528–601 ms alone on the 2-core
 * machine, and 668–702 against 701–724 ms beside one busy thread standing in
 * for the next block's execution (which the pipeline overlaps with this
 * root): ≤ 11%, for a worker per tree, async teardown behind a sync
 * destroy(), and cross-origin isolation in a browser.
 */
function createCpuTree(leafSize: number): Omit<IncrementalMerkleTree, 'close' | typeof Symbol.asyncDispose> {
  let levels: Int32Array[] = [];
  let size = 0;
  let destroyed = false;
  // Leaves of any other size go through a padded scratch message.
  const pad = leafSize === 48 ? undefined : paddedScratch(leafSize + 1);
  const grow = (counts: number[]) => {
    for (let j = 0; j < counts.length; j++) {
      const need = counts[j] * DIGEST_WORDS;
      const have = levels[j];
      if (have && have.length >= need) continue;
      const next = new Int32Array(Math.max(need, (have?.length ?? 0) * 2));
      if (have) next.set(have);
      levels[j] = next;
    }
  };
  return {
    get size() { return size; },
    backend: 'cpu',
    async setLeaves(indices, leaves) {
      if (destroyed) throw new DestroyedError('incremental tree: used after destroy()');
      const { newSize, list } = checkCpuUpdate(size, leafSize, indices, leaves);
      const counts = levelCounts(newSize);
      grow(counts);
      const l0 = levels[0];
      if (pad) {
        for (let k = 0; k < indices.length; k++) prefixedHashWords(LEAF_PREFIX_BYTE, leaves, k * leafSize, leafSize, pad, l0, indices[k] * DIGEST_WORDS);
      } else {
        for (let k = 0; k < indices.length; k++) leafHash48Words(leaves, k * 48, l0, indices[k] * DIGEST_WORDS);
      }
      // list: distinct touched indices of the level below, ascending; turned
      // into the parents' list in place (a parent index ≤ its child's).
      let u = list.length;
      for (let j = 1; j < counts.length; j++) {
        const below = levels[j - 1];
        const lv = levels[j];
        const nBelow = counts[j - 1];
        if (u === counts[j - 1]) {
          // Every node below changed: so does every node here and above.
          for (; j < counts.length; j++) hashLevel(levels[j - 1], levels[j], counts[j - 1]);
          break;
        }
        let w = 0;
        for (let r = 0; r < u; r++) {
          const p = list[r] >>> 1;
          if (w > 0 && list[w - 1] === p) continue;
          list[w++] = p;
          if (2 * p + 1 < nBelow) nodeHashWords(below, 2 * p * DIGEST_WORDS, (2 * p + 1) * DIGEST_WORDS, lv, p * DIGEST_WORDS);
          // A last odd node is promoted unchanged.
          else lv.set(below.subarray(2 * p * DIGEST_WORDS, (2 * p + 1) * DIGEST_WORDS), p * DIGEST_WORDS);
        }
        u = w;
      }
      size = newSize;
    },
    async root() {
      if (destroyed) throw new DestroyedError('incremental tree: used after destroy()');
      if (size === 0) return EMPTY_ROOT.slice();
      return wordsToBytes(levels[levelCounts(size).length - 1], 0);
    },
    destroy() { destroyed = true; levels = []; },
  };
}

/** Level j+1 from all `n` nodes of level j: pairs hashed, a last odd node promoted. */
function hashLevel(below: Int32Array, lv: Int32Array, n: number): void {
  const pairs = n >>> 1;
  for (let p = 0; p < pairs; p++) nodeHashWords(below, 2 * p * DIGEST_WORDS, (2 * p + 1) * DIGEST_WORDS, lv, p * DIGEST_WORDS);
  if (n & 1) lv.set(below.subarray((n - 1) * DIGEST_WORDS, n * DIGEST_WORDS), pairs * DIGEST_WORDS);
}

/** The mark scan replaces the sort when indices × this ≥ the largest index. */
const MARK_SCAN_SHARE = 32;

/**
 * prepareUpdate's checks without its gather order: the new size and the
 * distinct indices ascending (a fresh array the caller may overwrite). The
 * tree is untouched when this throws.
 */
function checkCpuUpdate(size: number, leafSize: number, indices: Uint32Array, leaves: Uint8Array): { newSize: number; list: Uint32Array } {
  checkUpdateInput(leafSize, indices, leaves);
  const m = indices.length;
  let ascending = true;
  let max = 0;
  for (let k = 0; k < m; k++) {
    const i = indices[k];
    if (i > max) max = i;
    if (k > 0 && i <= indices[k - 1]) ascending = false;
  }
  let sorted: Uint32Array;
  let u = 0;
  if (ascending) {
    sorted = indices.slice();
    u = m;
  } else if (m * MARK_SCAN_SHARE > max) {
    // Dense (a big block over few accounts): one byte per slot up to the
    // largest index and one scan, ~10× cheaper than sorting (bench/merkle-incremental.ts).
    const mark = new Uint8Array(max + 1);
    for (let k = 0; k < m; k++) mark[indices[k]] = 1;
    sorted = new Uint32Array(m);
    for (let i = 0; i <= max; i++) if (mark[i]) sorted[u++] = i;
  } else {
    // Sparse: without a comparator a Uint32Array sorts numerically, natively;
    // repeated indices are dropped after.
    sorted = indices.slice().sort();
    for (let r = 0; r < m; r++) if (u === 0 || sorted[u - 1] !== sorted[r]) sorted[u++] = sorted[r];
  }
  return { newSize: grownSize(size, sorted.subarray(0, u)), list: sorted.subarray(0, u) };
}

async function createGpuTree(leafSize: number, device?: GpuContext): Promise<Omit<IncrementalMerkleTree, 'close' | typeof Symbol.asyncDispose>> {
  const ctx = device ?? await acquireGpu();
  const owned = !device;
  let k: MerkleKernels;
  try {
    k = await createMerkleKernels(ctx);
  } catch (e) {
    if (owned) ctx.destroy();
    throw e;
  }
  const binding = Math.min(k.staging.limits.maxStorageBufferBindingSize, k.staging.limits.maxBufferSize);
  // Levels laid out for a leaf capacity `cap` (a power of two): level j at
  // slot base(j) = Σ_{i<j} cap >> i, 2·cap − 1 slots in all.
  let cap = 0;
  let nodes: GPUBuffer | undefined;
  const base = (c: number, j: number) => { let b = 0; for (let i = 0; i < j; i++) b += c >>> i; return b; };
  let size = 0;          // leaves after every setLeaves so far
  let deviceSize = 0;    // leaves the device's levels describe
  /** Prepared updates not on the device yet: distinct indices ascending, their leaves gathered in that order. */
  let pending: Array<{ indices: Uint32Array; data: Uint8Array }> = [];
  let lastRoot: Promise<Uint8Array> = Promise.resolve(EMPTY_ROOT.slice());
  let broken: Error | undefined;
  let destroyed = false;

  function flush(): Promise<Uint8Array> {
    const all = pending;
    pending = [];
    // One call since the last root (the usual case) is flushed as prepared;
    // several are merged in order (later wins) into one update.
    const { indices: updated, data } = all.length === 1 ? all[0] : prepared(deviceSize, mergePending(all));
    const n = Math.max(deviceSize, updated.length > 0 ? updated[updated.length - 1] + 1 : 0);
    if (n === 0) return Promise.resolve(EMPTY_ROOT.slice());
    const { device: gpu } = ctx;
    const enc = gpu.createCommandEncoder({ label: 'incremental merkle' });
    let retired: GPUBuffer | undefined;
    if (n > cap) {
      let next = Math.max(1, cap);
      while (next < n) next *= 2;
      const bytes = (2 * next - 1) * DIGEST_BYTES;
      if (bytes > binding) throw new MerkleInputError(`incremental tree of ${n} leaves needs ${bytes} bytes of levels, more than one device binding (${binding})`);
      const grown = gpu.createBuffer({ label: 'incremental merkle levels', size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
      levelCounts(deviceSize).forEach((c, j) => {
        enc.copyBufferToBuffer(nodes!, base(cap, j) * DIGEST_BYTES, grown, base(next, j) * DIGEST_BYTES, c * DIGEST_BYTES);
      });
      retired = nodes;
      nodes = grown;
      cap = next;
    }
    const nodesBuf = nodes!;
    const nodesSize = (2 * cap - 1) * DIGEST_BYTES;
    // The distinct leaves, in index order, hashed into their slots.
    const u = updated.length;
    const offsets = new Uint32Array(u + 1);
    for (let r = 0; r <= u; r++) offsets[r] = r * leafSize;
    const chunks = planChunks({ count: u, variableOffsets: offsets, fixedBytesPerItem: [4], workgroupSize: 64, grid2d: true }, k.staging.limits);
    let cur = enc;
    chunks.forEach((c, i) => {
      if (i > 0) { gpu.queue.submit([cur.finish()]); cur = gpu.createCommandEncoder({ label: 'incremental merkle' }); }
      encodeHashItems(k, cur, { data: data.subarray(c.dataStart, c.dataEnd), offsets: offsets.subarray(c.start, c.end + 1).map((o) => o - c.dataStart) },
        nodesBuf, 0, LEAF_PREFIX_BYTE, updated.subarray(c.start, c.end));
    });
    const counts = levelCounts(n);
    const lists = dirtyParents(updated, counts.length);
    let listTotal = 0;
    for (const l of lists) listTotal += l.length;
    const list = new Uint32Array(Math.max(1, listTotal));
    let listAt = 0;
    const steps = lists.map((l, i) => {
      const j = i + 1;
      const listBase = listAt;
      list.set(l, listAt);
      listAt += l.length;
      return { count: l.length, srcBase: base(cap, j - 1), dstBase: base(cap, j), srcCount: counts[j - 1], listBase };
    });
    encodeLevelSteps(k, cur, nodesBuf, nodesSize, steps, { paramsRole: 'incremental-level-params', list });
    deviceSize = n;
    const rootSlot = base(cap, counts.length - 1);
    const read = k.staging.submitAndRead(cur, [{ buffer: nodesBuf, offset: rootSlot * DIGEST_BYTES, size: DIGEST_BYTES }]);
    // Submitted by now (submitAndRead submits before its first await): the
    // old levels can go, work already queued that reads them completes first.
    retired?.destroy();
    return read.then(([r]) => r);
  }

  /** An update against a tree of `from` leaves, checked, with its distinct leaves gathered in index order. */
  function prepared(from: number, update: { indices: Uint32Array; leaves: Uint8Array }): { indices: Uint32Array; data: Uint8Array; newSize: number } {
    const up = prepareUpdate(from, leafSize, update.indices, update.leaves);
    return { indices: up.indices, data: gatherLeaves(update.leaves, up.source, leafSize), newSize: up.newSize };
  }

  /** Several prepared updates as one, in order: a later leaf for the same index wins in the next prepare. */
  function mergePending(all: Array<{ indices: Uint32Array; data: Uint8Array }>): { indices: Uint32Array; leaves: Uint8Array } {
    let total = 0;
    for (const p of all) total += p.indices.length;
    const indices = new Uint32Array(total);
    const leaves = new Uint8Array(total * leafSize);
    let at = 0;
    for (const p of all) { indices.set(p.indices, at); leaves.set(p.data, at * leafSize); at += p.indices.length; }
    return { indices, leaves };
  }

  const check = () => {
    if (destroyed) throw new DestroyedError('incremental tree: used after destroy()');
    if (broken) throw broken;
  };

  return {
    get size() { return size; },
    backend: 'webgpu',
    async setLeaves(indices, leaves) {
      check();
      // Checked and gathered now: the gathered copy also frees the caller's arrays for reuse.
      const up = prepared(size, { indices, leaves });
      pending.push(up);
      size = up.newSize;
    },
    root() {
      try { check(); } catch (e) { return Promise.reject(e); }
      if (pending.length > 0) {
        let flushed: Promise<Uint8Array>;
        try {
          flushed = flush();
        } catch (e) {
          broken = e as Error;
          return Promise.reject(e);
        }
        lastRoot = flushed.catch((e) => { broken = e as Error; throw e; });
      }
      return lastRoot.then((r) => r.slice());
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      nodes?.destroy();
      k.staging.destroy();
      if (owned) ctx.destroy();
    },
  };
}
