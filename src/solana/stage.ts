// The Solana pre-execution stage (docs/solana.md): parse and sanitize each packet,
// drop duplicates, verify every signature in one batch, resolve account
// locks, and group the valid transactions into conflict-free batches.
//
// The CPU parts are plain functions so a benchmark can time them alone:
// prepareSolanaPackets (decode, dedup, locks), packSolanaSignatures (the one
// signature batch), finishSolanaPackets (fold verdicts, batches).
import { type RuleSet, type SignatureBatch } from '../ed25519/batch.js';
import type { GpuContext } from '../gpu/device.js';
import { backendFor, createVerifier, type BackendChoice, type Verifier, type VerifierOptions } from '../ed25519/verifier.js';
import { DestroyedError, requireObject } from '../errors.js';
import { conflictLevels, cutBatches } from '../tx/solana/batches.js';
import {
  decodeDetail, DECODE_OK, E_NOT_BASE64, F_KEY_COUNT, F_KEYS_OFF, F_MSG_OFF, F_SIG_COUNT, F_SIG_OFF, FIRST_SANITIZE_CODE,
  LAYOUT_FIELDS, scanSolanaTransaction,
} from '../tx/solana/decode.js';
import { markDuplicatePackets } from '../tx/solana/dedup.js';
import { hashPacketHead, randomSeed } from '../tx/solana/key-table.js';
import { AccountLockResolver, LOCKS_ACCOUNT_LOCKS, LOCKS_OK, type LookupTablesInput } from '../tx/solana/locks.js';

// Module-level copies of imports used per packet (see src/tx/solana/locks.ts).
const scan = scanSolanaTransaction;
const hashHead = hashPacketHead;
const KEY_COUNT = F_KEY_COUNT;
const KEYS_OFF = F_KEYS_OFF;
const MSG_OFF = F_MSG_OFF;
const SIG_COUNT = F_SIG_COUNT;
const SIG_OFF = F_SIG_OFF;
const FIELDS = LAYOUT_FIELDS;

export type SolanaReason = 'malformed' | 'sanitize' | 'duplicate' | 'bad_signature' | 'address_lookup' | 'account_locks';

/** Reason codes per line: 0 = valid (or not yet rejected), else SOLANA_REASONS[code]. */
export const REASON_NONE = 0;
export const REASON_MALFORMED = 1;
export const REASON_SANITIZE = 2;
export const REASON_DUPLICATE = 3;
export const REASON_BAD_SIGNATURE = 4;
export const REASON_ADDRESS_LOOKUP = 5;
export const REASON_ACCOUNT_LOCKS = 6;
export const SOLANA_REASONS: readonly (SolanaReason | '')[] = ['', 'malformed', 'sanitize', 'duplicate', 'bad_signature', 'address_lookup', 'account_locks'];

export const DEFAULT_SOLANA_BATCH_SIZE = 64;

export interface SolanaStageOptions {
  /** Default 'solana' (Agave's rule). */
  rules?: RuleSet;
  /** Default 'auto' (see createVerifier). */
  backend?: BackendChoice;
  /** Address lookup tables by base58 table address. */
  lookupTables?: LookupTablesInput;
  /** Most transactions per batch; default 64, a whole number ≥ 1. */
  batchSize?: number;
  /** CPU verification threads; default every core. */
  workers?: number;
  /** A GPU to verify on instead of acquiring one; the caller keeps ownership. */
  device?: GpuContext;
  /** Called while the GPU kernels compile (see createVerifier). */
  onCompileProgress?: VerifierOptions['onCompileProgress'];
}

export interface SolanaStageTimings {
  decodeMs: number;
  dedupMs: number;
  /** Packing the signature batch and verifying it. */
  verifyMs: number;
  locksMs: number;
  batchMs: number;
  totalMs: number;
}

export interface SolanaStageResult {
  transactions: number;
  /** One byte per line: 1 = valid. */
  valid: Uint8Array;
  /** One per line: the first failed check, or '' for a valid line. */
  reasons: (SolanaReason | '')[];
  /** One per line: a short description of the failure, '' for a valid line. */
  details: string[];
  /** 0-based line indexes, batch after batch. */
  batches: number[][];
  /** Signatures checked: every signature of every line that reached the bad_signature check. */
  signatures: number;
  timings: SolanaStageTimings;
  /** What verified the signatures. */
  backend: string;
}

export interface SolanaStage {
  readonly rules: RuleSet;
  readonly batchSize: number;
  /** The verifier's GPU adapter, when one was considered (benchmarks report it). */
  readonly adapter?: Verifier['adapter'];
  /** With backend 'auto' on the CPU: why the GPU is not used. */
  readonly fallbackReason?: string;
  /** One packet per line; null stands for a line that could not be read (not base64): it is `malformed`. */
  process(packets: readonly (Uint8Array | null)[]): Promise<SolanaStageResult>;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Everything but signature verification, ready for packSolanaSignatures and finishSolanaPackets. */
export interface PreparedSolanaPackets {
  packets: readonly (Uint8Array | null)[];
  /** LAYOUT_FIELDS Int32 per line (see scanSolanaTransaction). */
  layout: Int32Array;
  /** Per line: REASON_* so far (0 = reached the bad_signature check). */
  reasons: Uint8Array;
  /** Per line: the decode failure code (malformed/sanitize lines). */
  decodeCodes: Int32Array;
  /** Per line: the reason the locks gave (checked after the signatures): 0, REASON_ADDRESS_LOOKUP or REASON_ACCOUNT_LOCKS. */
  lockReasons: Uint8Array;
  /** Per line: its locks are locks[lockStart[line] .. lockStart[line + 1]), each (keyId << 1) | writable. */
  lockStart: Int32Array;
  locks: Int32Array;
  /** Key ids are below this. */
  keySpace: number;
  /** Signatures of the lines that reached bad_signature, in line order. */
  signatures: number;
  timings: { decodeMs: number; dedupMs: number; locksMs: number };
}

/**
 * Decode + sanitize, dedup, and account locks of every line. `context` is a
 * lock resolver reused across calls (it holds the lookup tables), or the
 * lookup tables themselves.
 */
export function prepareSolanaPackets(packets: readonly (Uint8Array | null)[], context?: AccountLockResolver | LookupTablesInput): PreparedSolanaPackets {
  const resolver = context instanceof AccountLockResolver ? context : new AccountLockResolver(context);
  const n = packets.length;
  const layout = new Int32Array(n * FIELDS);
  const reasons = new Uint8Array(n);
  const decodeCodes = new Int32Array(n);

  // Dedup's hash of each packet's head is taken here, while the decoder has the packet in cache.
  const seed = randomSeed();
  const heads = new Int32Array(n);
  let t = performance.now();
  for (let line = 0; line < n; line++) {
    const p = packets[line];
    const code = p ? scan(p, layout, line * FIELDS) : E_NOT_BASE64;
    if (code !== DECODE_OK) {
      decodeCodes[line] = code;
      reasons[line] = code >= FIRST_SANITIZE_CODE ? REASON_SANITIZE : REASON_MALFORMED;
    } else {
      heads[line] = hashHead(p!, seed);
    }
  }
  const decodeMs = performance.now() - t;

  t = performance.now();
  markDuplicatePackets(packets, reasons, REASON_DUPLICATE, seed, heads);
  const dedupMs = performance.now() - t;

  t = performance.now();
  resolver.reset();
  const lockReasons = new Uint8Array(n);
  const lockStart = new Int32Array(n + 1);
  let signatures = 0;
  for (let line = 0; line < n; line++) {
    lockStart[line] = resolver.length;
    if (reasons[line] !== REASON_NONE) continue;
    const base = line * FIELDS;
    signatures += layout[base + SIG_COUNT];
    const r = resolver.resolve(packets[line]!, layout, base);
    if (r !== LOCKS_OK) lockReasons[line] = r === LOCKS_ACCOUNT_LOCKS ? REASON_ACCOUNT_LOCKS : REASON_ADDRESS_LOOKUP;
  }
  lockStart[n] = resolver.length;
  // A copy: the resolver's buffer is reused by the next call.
  const locks = resolver.locks.slice(0, resolver.length);
  const locksMs = performance.now() - t;

  return { packets, layout, reasons, decodeCodes, lockReasons, lockStart, locks, keySpace: resolver.keys.count, signatures, timings: { decodeMs, dedupMs, locksMs } };
}

/**
 * The one signature batch of a prepared call: signature i of each line that
 * reached bad_signature, with static key i, over the line's signed message.
 * Items are in line order, a line's signatures in wire order.
 */
export function packSolanaSignatures(prepared: PreparedSolanaPackets): SignatureBatch {
  const { packets, layout, reasons, signatures: count } = prepared;
  let total = 0;
  for (let line = 0; line < packets.length; line++) {
    if (reasons[line] !== REASON_NONE) continue;
    const base = line * FIELDS;
    total += layout[base + SIG_COUNT] * (packets[line]!.length - layout[base + MSG_OFF]);
  }
  const publicKeys = new Uint8Array(32 * count);
  const signatures = new Uint8Array(64 * count);
  const messages = new Uint8Array(total);
  const messageOffsets = new Uint32Array(count + 1);
  let item = 0;
  let at = 0;
  for (let line = 0; line < packets.length; line++) {
    if (reasons[line] !== REASON_NONE) continue;
    const p = packets[line]!;
    const base = line * FIELDS;
    const sigOff = layout[base + SIG_OFF];
    const keysOff = layout[base + KEYS_OFF];
    const msgOff = layout[base + MSG_OFF];
    const msgLen = p.length - msgOff;
    const first = at;
    for (let s = 0; s < layout[base + SIG_COUNT]; s++, item++) {
      copy(p, sigOff + 64 * s, signatures, 64 * item, 64);
      copy(p, keysOff + 32 * s, publicKeys, 32 * item, 32);
      if (s === 0) messages.set(p.subarray(msgOff), at);
      else messages.copyWithin(at, first, first + msgLen);
      at += msgLen;
      messageOffsets[item + 1] = at;
    }
  }
  return { publicKeys, signatures, messages, messageOffsets };
}

function copy(from: Uint8Array, fromAt: number, to: Uint8Array, toAt: number, n: number): void {
  for (let i = 0; i < n; i++) to[toAt + i] = from[fromAt + i];
}

/**
 * Folds the per-signature verdicts (one byte per item of packSolanaSignatures)
 * into per-line validity, applies the lock reasons, and cuts the batches.
 */
export function finishSolanaPackets(prepared: PreparedSolanaPackets, signatureValid: Uint8Array, batchSize = DEFAULT_SOLANA_BATCH_SIZE): {
  valid: Uint8Array; reasons: (SolanaReason | '')[]; details: string[]; batches: number[][]; batchMs: number;
} {
  const { packets, layout, reasons: codes, lockReasons, decodeCodes } = prepared;
  if (signatureValid.length !== prepared.signatures) throw new RangeError(`expected ${prepared.signatures} signature verdicts, got ${signatureValid.length}`);
  const n = packets.length;
  const valid = new Uint8Array(n);
  const validLines = new Int32Array(n);
  let validCount = 0;
  let item = 0;
  const final = new Uint8Array(codes);
  for (let line = 0; line < n; line++) {
    if (final[line] !== REASON_NONE) continue;
    let ok = true;
    for (let s = layout[line * FIELDS + SIG_COUNT]; s > 0; s--) if (signatureValid[item++] !== 1) ok = false;
    if (!ok) final[line] = REASON_BAD_SIGNATURE;
    else if (lockReasons[line] !== REASON_NONE) final[line] = lockReasons[line];
    else {
      valid[line] = 1;
      validLines[validCount++] = line;
    }
  }
  const t = performance.now();
  const levels = conflictLevels(validLines, validCount, prepared.lockStart, prepared.locks, prepared.keySpace);
  const batches = cutBatches(validLines, levels, validCount, batchSize);
  const batchMs = performance.now() - t;
  // Plain loops into preallocated arrays: Array.from with a callback costs a call per line.
  const reasons = new Array<SolanaReason | ''>(n);
  const details = new Array<string>(n);
  for (let line = 0; line < n; line++) {
    const c = final[line];
    reasons[line] = SOLANA_REASONS[c];
    details[line] = c === REASON_MALFORMED || c === REASON_SANITIZE ? decodeDetail(decodeCodes[line]) : LINE_DETAILS[c];
  }
  return { valid, reasons, details, batches, batchMs };
}

/** By reason code; malformed and sanitize lines take their decode detail instead. */
const LINE_DETAILS: readonly string[] = Object.assign(new Array<string>(SOLANA_REASONS.length).fill(''), {
  [REASON_DUPLICATE]: 'the same bytes as an earlier line',
  [REASON_BAD_SIGNATURE]: 'a signature does not verify',
  [REASON_ADDRESS_LOOKUP]: 'a lookup names an unknown table or an index past its end',
  [REASON_ACCOUNT_LOCKS]: 'an account twice, or more than 64 accounts',
});

export async function createSolanaStage(options: SolanaStageOptions = {}): Promise<SolanaStage> {
  requireObject(options, 'createSolanaStage(options): options');
  const rules = options.rules ?? 'solana';
  const batchSize = options.batchSize ?? DEFAULT_SOLANA_BATCH_SIZE;
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new RangeError(`batchSize must be a whole number >= 1, got ${batchSize}`);
  // Tables first: a bad table fails before any worker or GPU is started.
  const resolver = new AccountLockResolver(options.lookupTables);
  const verifier = await createVerifier({ rules, backend: options.backend ?? 'auto', workers: options.workers, device: options.device, onCompileProgress: options.onCompileProgress });
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  const run = async (packets: readonly (Uint8Array | null)[]): Promise<SolanaStageResult> => {
    const start = performance.now();
    const prepared = prepareSolanaPackets(packets, resolver);
    let t = performance.now();
    let signatureValid: Uint8Array = new Uint8Array(0);
    if (prepared.signatures > 0) signatureValid = await verifier.verify(packSolanaSignatures(prepared));
    const verifyMs = performance.now() - t;
    const finished = finishSolanaPackets(prepared, signatureValid, batchSize);
    return {
      transactions: packets.length,
      valid: finished.valid,
      reasons: finished.reasons,
      details: finished.details,
      batches: finished.batches,
      signatures: prepared.signatures,
      timings: { ...prepared.timings, verifyMs, batchMs: finished.batchMs, totalMs: performance.now() - start },
      backend: backendFor(verifier, prepared.signatures),
    };
  };

  const stage: SolanaStage = {
    rules,
    batchSize,
    ...(verifier.adapter ? { adapter: verifier.adapter } : {}),
    ...(verifier.fallbackReason ? { fallbackReason: verifier.fallbackReason } : {}),
    process(packets) {
      if (closed) return Promise.reject(new DestroyedError('the Solana stage: used after close()'));
      // One call at a time: the lock resolver's key table is shared between calls.
      const result = queue.then(() => run(packets));
      queue = result.catch(() => undefined);
      return result;
    },
    async close() {
      if (closed) return;
      closed = true;
      await queue;
      await verifier.close();
    },
    [Symbol.asyncDispose]() { return stage.close(); },
  };
  return stage;
}
