// The Solana wire format: parse and sanitize one packet.
//
// Two entry points over one parser. `scanSolanaTransaction` is the hot path:
// it writes the message's layout (offsets and counts) into a caller's
// Int32Array and allocates nothing. `decodeSolanaTransaction` runs the same
// scan and then builds a readable object of views into the packet.
//
// Neither ever throws on packet bytes: every failure is a code, and the first
// failing check in the contract's order decides it. Parsing runs to the end of
// the packet before any sanitize check, so a packet that is both truncated and
// inconsistent is `malformed`.
import { COMPACT_U16_NON_CANONICAL, COMPACT_U16_TRUNCATED, readCompactU16 } from './compact-u16.js';

// A module-level copy: a loader that compiles imports to getters (tsx's
// CommonJS path) would otherwise call one per compact-u16.
const readU16 = readCompactU16;

/** The largest transaction a packet holds (IPv6 MTU minus headers). */
export const PACKET_DATA_SIZE = 1232;
/** Most account keys a message may name, static and looked up together. */
export const MAX_ACCOUNT_KEYS = 256;

/** Fields of one scanned packet, at `base + F_*` in the layout array. */
export const F_SIG_COUNT = 0;
/** Offset of the first signature. */
export const F_SIG_OFF = 1;
/** Offset of the signed message (the version prefix included). */
export const F_MSG_OFF = 2;
/** -1 for a legacy message, else the version (only 0). */
export const F_VERSION = 3;
export const F_NUM_REQUIRED = 4;
export const F_NUM_READONLY_SIGNED = 5;
export const F_NUM_READONLY_UNSIGNED = 6;
export const F_KEY_COUNT = 7;
export const F_KEYS_OFF = 8;
export const F_BLOCKHASH_OFF = 9;
export const F_IX_COUNT = 10;
export const F_IX_OFF = 11;
export const F_LOOKUP_COUNT = 12;
export const F_LOOKUP_OFF = 13;
/** Writable plus read-only indexes over every lookup. */
export const F_LOOKUP_INDEXES = 14;
/** Bit i set: static key i (i < 32) is some instruction's program. */
export const F_PROGRAM_MASK_LO = 15;
/** Bit i set: static key 32 + i is some instruction's program. */
export const F_PROGRAM_MASK_HI = 16;
/** Packet length. */
export const F_LENGTH = 17;
/** Int32 slots per scanned packet. */
export const LAYOUT_FIELDS = 18;

export type SolanaDecodeReason = 'malformed' | 'sanitize';

// Failure codes: malformed ones below FIRST_SANITIZE_CODE, sanitize ones from it.
export const DECODE_OK = 0;
export const E_OVERSIZE = 1;
export const E_TRUNCATED_SIGNATURE_COUNT = 2;
export const E_TRUNCATED_SIGNATURES = 3;
export const E_TRUNCATED_HEADER = 4;
export const E_TRUNCATED_KEY_COUNT = 5;
export const E_TRUNCATED_KEYS = 6;
export const E_TRUNCATED_BLOCKHASH = 7;
export const E_TRUNCATED_INSTRUCTION_COUNT = 8;
export const E_TRUNCATED_INSTRUCTION = 9;
export const E_TRUNCATED_LOOKUP_COUNT = 10;
export const E_TRUNCATED_LOOKUP = 11;
export const E_NON_CANONICAL_U16 = 12;
export const E_U16_OVERFLOW = 13;
export const E_BAD_VERSION = 14;
export const E_TRAILING_BYTES = 15;
export const E_NOT_BASE64 = 16;
export const FIRST_SANITIZE_CODE = 32;
export const E_SIGNATURE_COUNT = 32;
export const E_SIGNATURES_EXCEED_KEYS = 33;
export const E_NO_WRITABLE_SIGNER = 34;
export const E_HEADER_EXCEEDS_KEYS = 35;
export const E_TOO_MANY_KEYS = 36;
export const E_PROGRAM_INDEX = 37;
export const E_ACCOUNT_INDEX = 38;
export const E_EMPTY_LOOKUP = 39;

const DETAILS: Record<number, string> = {
  [E_OVERSIZE]: `longer than ${PACKET_DATA_SIZE} bytes (a packet)`,
  [E_TRUNCATED_SIGNATURE_COUNT]: 'truncated in the signature count',
  [E_TRUNCATED_SIGNATURES]: 'truncated in the signatures',
  [E_TRUNCATED_HEADER]: 'truncated in the message header',
  [E_TRUNCATED_KEY_COUNT]: 'truncated in the account key count',
  [E_TRUNCATED_KEYS]: 'truncated in the account keys',
  [E_TRUNCATED_BLOCKHASH]: 'truncated in the recent blockhash',
  [E_TRUNCATED_INSTRUCTION_COUNT]: 'truncated in the instruction count',
  [E_TRUNCATED_INSTRUCTION]: 'truncated in an instruction',
  [E_TRUNCATED_LOOKUP_COUNT]: 'truncated in the address table lookup count',
  [E_TRUNCATED_LOOKUP]: 'truncated in an address table lookup',
  [E_NON_CANONICAL_U16]: 'non-canonical compact-u16',
  [E_U16_OVERFLOW]: 'compact-u16 above 65535',
  [E_BAD_VERSION]: 'message version other than 0',
  [E_TRAILING_BYTES]: 'bytes left over after the message',
  [E_NOT_BASE64]: 'not base64',
  [E_SIGNATURE_COUNT]: 'signature count differs from numRequiredSignatures',
  [E_SIGNATURES_EXCEED_KEYS]: 'more signatures than static account keys',
  [E_NO_WRITABLE_SIGNER]: 'numReadonlySigned >= numRequiredSignatures (no writable fee payer)',
  [E_HEADER_EXCEEDS_KEYS]: 'numRequiredSignatures + numReadonlyUnsigned > static account keys',
  [E_TOO_MANY_KEYS]: `static keys + lookup indexes > ${MAX_ACCOUNT_KEYS}`,
  [E_PROGRAM_INDEX]: 'a program id index is 0 or not a static account key',
  [E_ACCOUNT_INDEX]: 'an instruction account index is past the account keys',
  [E_EMPTY_LOOKUP]: 'an address table lookup with no indexes',
};

/** The contract's reason for a failure code. */
export function decodeReason(code: number): SolanaDecodeReason {
  return code >= FIRST_SANITIZE_CODE ? 'sanitize' : 'malformed';
}

/** A short human description of a failure code. */
export function decodeDetail(code: number): string {
  return DETAILS[code] ?? `unknown code ${code}`;
}

/** A compact-u16 failure as a decode code; `truncated` names where. */
function u16Failure(r: number, truncated: number): number {
  return r === COMPACT_U16_TRUNCATED ? truncated : r === COMPACT_U16_NON_CANONICAL ? E_NON_CANONICAL_U16 : E_U16_OVERFLOW;
}

/**
 * Parses and sanitizes `bytes` (one packet) and writes its layout at
 * `out[base .. base + LAYOUT_FIELDS)`. Returns DECODE_OK or a failure code
 * (see decodeReason/decodeDetail); on failure the layout is partial.
 */
export function scanSolanaTransaction(bytes: Uint8Array, out: Int32Array, base = 0): number {
  const len = bytes.length;
  out[base + F_LENGTH] = len;
  if (len > PACKET_DATA_SIZE) return E_OVERSIZE;
  let at = 0;

  let r = readU16(bytes, at, len);
  if (r < 0) return u16Failure(r, E_TRUNCATED_SIGNATURE_COUNT);
  const sigCount = r & 0xffff;
  at += r >>> 16;
  out[base + F_SIG_COUNT] = sigCount;
  out[base + F_SIG_OFF] = at;
  at += 64 * sigCount;
  if (at > len) return E_TRUNCATED_SIGNATURES;
  out[base + F_MSG_OFF] = at;

  if (at >= len) return E_TRUNCATED_HEADER;
  let version = -1;
  if (bytes[at] & 0x80) {
    version = bytes[at] & 0x7f;
    if (version !== 0) return E_BAD_VERSION;
    at++;
  }
  out[base + F_VERSION] = version;
  if (at + 3 > len) return E_TRUNCATED_HEADER;
  const numRequired = bytes[at];
  const numReadonlySigned = bytes[at + 1];
  const numReadonlyUnsigned = bytes[at + 2];
  at += 3;
  out[base + F_NUM_REQUIRED] = numRequired;
  out[base + F_NUM_READONLY_SIGNED] = numReadonlySigned;
  out[base + F_NUM_READONLY_UNSIGNED] = numReadonlyUnsigned;

  r = readU16(bytes, at, len);
  if (r < 0) return u16Failure(r, E_TRUNCATED_KEY_COUNT);
  const keyCount = r & 0xffff;
  at += r >>> 16;
  out[base + F_KEY_COUNT] = keyCount;
  out[base + F_KEYS_OFF] = at;
  at += 32 * keyCount;
  if (at > len) return E_TRUNCATED_KEYS;

  out[base + F_BLOCKHASH_OFF] = at;
  at += 32;
  if (at > len) return E_TRUNCATED_BLOCKHASH;

  r = readU16(bytes, at, len);
  if (r < 0) return u16Failure(r, E_TRUNCATED_INSTRUCTION_COUNT);
  const ixCount = r & 0xffff;
  at += r >>> 16;
  out[base + F_IX_COUNT] = ixCount;
  out[base + F_IX_OFF] = at;
  let programZero = false;
  let maxProgram = -1;
  let maxAccount = -1;
  let maskLo = 0;
  let maskHi = 0;
  for (let i = 0; i < ixCount; i++) {
    if (at >= len) return E_TRUNCATED_INSTRUCTION;
    const program = bytes[at++];
    if (program === 0) programZero = true;
    if (program > maxProgram) maxProgram = program;
    if (program < 32) maskLo |= 1 << program;
    else if (program < 64) maskHi |= 1 << (program - 32);
    r = readU16(bytes, at, len);
    if (r < 0) return u16Failure(r, E_TRUNCATED_INSTRUCTION);
    const accounts = r & 0xffff;
    at += r >>> 16;
    if (at + accounts > len) return E_TRUNCATED_INSTRUCTION;
    for (let end = at + accounts; at < end; at++) if (bytes[at] > maxAccount) maxAccount = bytes[at];
    r = readU16(bytes, at, len);
    if (r < 0) return u16Failure(r, E_TRUNCATED_INSTRUCTION);
    at += (r >>> 16) + (r & 0xffff);
    if (at > len) return E_TRUNCATED_INSTRUCTION;
  }
  out[base + F_PROGRAM_MASK_LO] = maskLo;
  out[base + F_PROGRAM_MASK_HI] = maskHi;

  let lookupCount = 0;
  let lookupIndexes = 0;
  let emptyLookup = false;
  if (version === 0) {
    r = readU16(bytes, at, len);
    if (r < 0) return u16Failure(r, E_TRUNCATED_LOOKUP_COUNT);
    lookupCount = r & 0xffff;
    at += r >>> 16;
    out[base + F_LOOKUP_OFF] = at;
    for (let i = 0; i < lookupCount; i++) {
      at += 32;
      if (at > len) return E_TRUNCATED_LOOKUP;
      r = readU16(bytes, at, len);
      if (r < 0) return u16Failure(r, E_TRUNCATED_LOOKUP);
      const writable = r & 0xffff;
      at += (r >>> 16) + writable;
      if (at > len) return E_TRUNCATED_LOOKUP;
      r = readU16(bytes, at, len);
      if (r < 0) return u16Failure(r, E_TRUNCATED_LOOKUP);
      const readonly = r & 0xffff;
      at += (r >>> 16) + readonly;
      if (at > len) return E_TRUNCATED_LOOKUP;
      if (writable + readonly === 0) emptyLookup = true;
      lookupIndexes += writable + readonly;
    }
  } else {
    out[base + F_LOOKUP_OFF] = at;
  }
  out[base + F_LOOKUP_COUNT] = lookupCount;
  out[base + F_LOOKUP_INDEXES] = lookupIndexes;
  if (at !== len) return E_TRAILING_BYTES;

  // Sanitize, in the contract's order.
  if (sigCount !== numRequired) return E_SIGNATURE_COUNT;
  if (sigCount > keyCount) return E_SIGNATURES_EXCEED_KEYS;
  if (numReadonlySigned >= numRequired) return E_NO_WRITABLE_SIGNER;
  if (numRequired + numReadonlyUnsigned > keyCount) return E_HEADER_EXCEEDS_KEYS;
  const totalKeys = keyCount + lookupIndexes;
  if (totalKeys > MAX_ACCOUNT_KEYS) return E_TOO_MANY_KEYS;
  if (programZero || maxProgram >= keyCount) return E_PROGRAM_INDEX;
  if (maxAccount >= totalKeys) return E_ACCOUNT_INDEX;
  if (emptyLookup) return E_EMPTY_LOOKUP;
  return DECODE_OK;
}

export interface SolanaMessageHeader {
  numRequiredSignatures: number;
  numReadonlySigned: number;
  numReadonlyUnsigned: number;
}

export interface SolanaInstruction {
  programIdIndex: number;
  accountIndexes: Uint8Array;
  data: Uint8Array;
}

export interface SolanaAddressTableLookup {
  tableAddress: Uint8Array;
  writableIndexes: Uint8Array;
  readonlyIndexes: Uint8Array;
}

/** A parsed, sanitized transaction; every byte array is a view into the packet. */
export interface SolanaTransaction {
  /** 64-byte views, in wire order. */
  signatures: Uint8Array[];
  /** The signed bytes: everything after the signatures, version prefix included. */
  message: Uint8Array;
  version: 'legacy' | 0;
  header: SolanaMessageHeader;
  /** 32-byte views. */
  staticKeys: Uint8Array[];
  recentBlockhash: Uint8Array;
  instructions: SolanaInstruction[];
  /** Empty for a legacy message. */
  lookups: SolanaAddressTableLookup[];
}

export type DecodeResult =
  | { ok: true; tx: SolanaTransaction }
  | { ok: false; reason: SolanaDecodeReason; detail: string; code: number };

/** Parses and sanitizes one packet. Never throws for any bytes. */
export function decodeSolanaTransaction(bytes: Uint8Array): DecodeResult {
  const layout = new Int32Array(LAYOUT_FIELDS);
  const code = scanSolanaTransaction(bytes, layout, 0);
  if (code !== DECODE_OK) return { ok: false, reason: decodeReason(code), detail: decodeDetail(code), code };
  return { ok: true, tx: transactionFromLayout(bytes, layout, 0) };
}

/** Builds the object view of a packet that scanned clean (the walk trusts the layout). */
export function transactionFromLayout(bytes: Uint8Array, layout: Int32Array, base: number): SolanaTransaction {
  const signatures: Uint8Array[] = [];
  const sigOff = layout[base + F_SIG_OFF];
  for (let i = 0; i < layout[base + F_SIG_COUNT]; i++) signatures.push(bytes.subarray(sigOff + 64 * i, sigOff + 64 * i + 64));
  const staticKeys: Uint8Array[] = [];
  const keysOff = layout[base + F_KEYS_OFF];
  for (let i = 0; i < layout[base + F_KEY_COUNT]; i++) staticKeys.push(bytes.subarray(keysOff + 32 * i, keysOff + 32 * i + 32));
  const blockhashOff = layout[base + F_BLOCKHASH_OFF];

  const instructions: SolanaInstruction[] = [];
  let at = layout[base + F_IX_OFF];
  const vector = (): Uint8Array => {
    const r = readU16(bytes, at);
    at += r >>> 16;
    const v = bytes.subarray(at, at + (r & 0xffff));
    at += r & 0xffff;
    return v;
  };
  for (let i = 0; i < layout[base + F_IX_COUNT]; i++) {
    const programIdIndex = bytes[at++];
    const accountIndexes = vector();
    const data = vector();
    instructions.push({ programIdIndex, accountIndexes, data });
  }
  const lookups: SolanaAddressTableLookup[] = [];
  at = layout[base + F_LOOKUP_OFF];
  for (let i = 0; i < layout[base + F_LOOKUP_COUNT]; i++) {
    const tableAddress = bytes.subarray(at, at + 32);
    at += 32;
    const writableIndexes = vector();
    const readonlyIndexes = vector();
    lookups.push({ tableAddress, writableIndexes, readonlyIndexes });
  }
  return {
    signatures,
    message: bytes.subarray(layout[base + F_MSG_OFF]),
    version: layout[base + F_VERSION] === 0 ? 0 : 'legacy',
    header: {
      numRequiredSignatures: layout[base + F_NUM_REQUIRED],
      numReadonlySigned: layout[base + F_NUM_READONLY_SIGNED],
      numReadonlyUnsigned: layout[base + F_NUM_READONLY_UNSIGNED],
    },
    staticKeys,
    recentBlockhash: bytes.subarray(blockhashOff, blockhashOff + 32),
    instructions,
    lookups,
  };
}
