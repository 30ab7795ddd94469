// A block's records (docs/transactions.md) in columnar form: what the executor reads
// (aligned key words and u64 halves, in SharedArrayBuffers so workers read
// them in place) and the signature batch (docs/verification.md) for the verifier.
import type { SignatureBatch } from '../ed25519/batch.js';
import { InvalidArgumentError, ResourceLimitError } from '../errors.js';
import { LIMITS } from '../limits.js';
import type { BlockRecords } from '../tx/v1/index.js';
import { TX_SIGNED_OFFSET, TX_SIGNED_LENGTH, TX_FROM_OFFSET, TX_TO_OFFSET, TX_AMOUNT_OFFSET, isWellFormed } from '../tx/v1/transaction.js';

/** Per transaction in `keys`: from = words [16i, 16i+8), to = [16i+8, 16i+16). */
export const KEY_STRIDE = 16;
/** Per transaction in `values`: amount lo, hi, nonce lo, hi. */
export const VALUE_STRIDE = 4;

export interface DecodedBlock {
  /** Records in the block, malformed ones included. */
  readonly count: number;
  /** 1 where the record is a version-1, 145-byte transaction; 0 = MALFORMED. SharedArrayBuffer-backed. */
  wellFormed: Uint8Array;
  /** 16 int32 words per record (from key, to key); zero for malformed records. */
  keys: Int32Array;
  /** 4 uint32 words per record (amount lo, hi, nonce lo, hi); zero for malformed records. */
  values: Uint32Array;
  /** One item per well-formed record, in block order; malformed records are not in it. */
  batch: SignatureBatch;
  /** Record index of each batch item. */
  batchRecords: Uint32Array;
}

/**
 * Throws InvalidArgumentError unless `records` is a BlockRecords (bytes,
 * count + 1 offsets), and ResourceLimitError above LIMITS.recordsPerBlock:
 * blocks built by hand (not by parseBlock) meet the same cap before ~300
 * bytes of columns per record are allocated. `what` names the caller.
 */
export function assertBlockRecords(records: BlockRecords, what: string): void {
  const r = records as Partial<BlockRecords> | null;
  if (typeof r !== 'object' || r === null || !(r.bytes instanceof Uint8Array) || !(r.offsets instanceof Uint32Array)) {
    throw new InvalidArgumentError(`${what}: a block must be {bytes: Uint8Array, offsets: Uint32Array, count} (parseBlock of a block file), got ${r === null ? 'null' : typeof r}`);
  }
  const n = r.count;
  if (!(Number.isInteger(n) && n! >= 0 && r.offsets.length === n! + 1)) throw new InvalidArgumentError(`${what}: a block needs count + 1 offsets (count ${n}, ${r.offsets.length} offsets)`);
  if (n! > LIMITS.recordsPerBlock) throw new ResourceLimitError(`${what}: a block of ${n} records, more than ${LIMITS.recordsPerBlock} (the cap on records per block)`);
}

/**
 * Splits records into columns. Never throws for a malformed record (wrong
 * length or version): it is marked and gets receipt MALFORMED later.
 */
export function decodeBlock(records: BlockRecords): DecodedBlock {
  assertBlockRecords(records, 'decodeBlock');
  const n = records.count;
  const src = records.bytes;
  const offs = records.offsets;
  const wellFormed = new Uint8Array(new SharedArrayBuffer(Math.max(1, n))).subarray(0, n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (isWellFormed(src, offs[i], offs[i + 1])) {
      wellFormed[i] = 1;
      m++;
    }
  }
  const keys = new Int32Array(new SharedArrayBuffer(Math.max(1, n) * KEY_STRIDE * 4));
  const keyBytes = new Uint8Array(keys.buffer);
  const values = new Uint32Array(new SharedArrayBuffer(Math.max(1, n) * VALUE_STRIDE * 4));
  const valueBytes = new Uint8Array(values.buffer);
  const publicKeys = new Uint8Array(32 * m);
  const signatures = new Uint8Array(64 * m);
  const messages = new Uint8Array(TX_SIGNED_LENGTH * m);
  const messageOffsets = new Uint32Array(m + 1);
  const batchRecords = new Uint32Array(m);
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (!wellFormed[i]) continue;
    const s = offs[i];
    // Byte loops: for 16..81-byte copies they beat creating subarrays.
    const sig = 64 * k;
    for (let j = 0; j < 64; j++) signatures[sig + j] = src[s + j];
    const msg = TX_SIGNED_LENGTH * k;
    for (let j = 0; j < TX_SIGNED_LENGTH; j++) messages[msg + j] = src[s + TX_SIGNED_OFFSET + j];
    const pk = 32 * k;
    const kb = 64 * i;
    for (let j = 0; j < 32; j++) {
      const from = src[s + TX_FROM_OFFSET + j];
      publicKeys[pk + j] = from;
      keyBytes[kb + j] = from;
      keyBytes[kb + 32 + j] = src[s + TX_TO_OFFSET + j];
    }
    const vb = 16 * i;
    for (let j = 0; j < 16; j++) valueBytes[vb + j] = src[s + TX_AMOUNT_OFFSET + j];
    messageOffsets[k + 1] = msg + TX_SIGNED_LENGTH;
    batchRecords[k] = i;
    k++;
  }
  return { count: n, wellFormed, keys, values, batch: { publicKeys, signatures, messages, messageOffsets }, batchRecords };
}

/** One validity byte per record from the verifier's one byte per batch item (malformed records: 0). */
export function validityFromVerdicts(block: DecodedBlock, verdicts: Uint8Array): Uint8Array {
  if (verdicts.length !== block.batchRecords.length) {
    throw new RangeError(`verifier returned ${verdicts.length} verdicts for ${block.batchRecords.length} signatures`);
  }
  const validity = new Uint8Array(block.count);
  for (let k = 0; k < verdicts.length; k++) validity[block.batchRecords[k]] = verdicts[k] === 1 ? 1 : 0;
  return validity;
}
