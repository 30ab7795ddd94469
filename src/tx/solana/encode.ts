// Solana wire encoding (docs/solana.md): messages (legacy and v0) and whole
// transactions, plus a compiler from instructions with account metas to a
// message, the way a wallet lays one out. The generator and the tests use it;
// the stage itself only decodes.
import { compactU16Length, writeCompactU16 } from './compact-u16.js';
import type { SolanaMessageHeader } from './decode.js';

/** The high bit of a message's first byte marks a versioned message. */
export const VERSION_PREFIX = 0x80;

export interface SolanaCompiledInstructionSpec {
  programIdIndex: number;
  accountIndexes: ArrayLike<number>;
  data: Uint8Array;
}

export interface SolanaLookupSpec {
  tableAddress: Uint8Array;
  writableIndexes: ArrayLike<number>;
  readonlyIndexes: ArrayLike<number>;
}

/** A message as laid out on the wire, field by field. */
export interface SolanaMessageSpec {
  version: 'legacy' | 0;
  header: SolanaMessageHeader;
  staticKeys: readonly Uint8Array[];
  recentBlockhash: Uint8Array;
  instructions: readonly SolanaCompiledInstructionSpec[];
  /** v0 only (a legacy message has none). */
  lookups?: readonly SolanaLookupSpec[];
}

/** Grows as it is written; the encoder's only buffer. */
class Writer {
  private buf = new Uint8Array(256);
  length = 0;
  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  u8(v: number, what: string): void {
    if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new RangeError(`${what} must be a byte 0..255, got ${v}`);
    this.room(1);
    this.buf[this.length++] = v;
  }
  u16(v: number): void {
    this.room(3);
    this.length = writeCompactU16(v, this.buf, this.length);
  }
  bytes(b: Uint8Array, size?: number, what = 'field'): void {
    if (size !== undefined && b.length !== size) throw new RangeError(`${what} must be ${size} bytes, got ${b.length}`);
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  indexes(list: ArrayLike<number>, what: string): void {
    this.u16(list.length);
    for (let i = 0; i < list.length; i++) this.u8(list[i], what);
  }
  done(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/**
 * The message bytes (what the signers sign). Writes what it is given, even
 * where docs/solana.md's sanitize would reject it (tests build bad messages this way);
 * only what the wire cannot carry throws (a count above 65535, a key not 32 bytes).
 */
export function encodeSolanaMessage(m: SolanaMessageSpec): Uint8Array {
  const w = new Writer();
  if (m.version === 0) w.u8(VERSION_PREFIX | 0, 'version');
  else if (m.version !== 'legacy') throw new RangeError(`message version must be 'legacy' or 0, got ${String(m.version)}`);
  else if (m.lookups && m.lookups.length > 0) throw new RangeError('a legacy message has no address table lookups');
  w.u8(m.header.numRequiredSignatures, 'numRequiredSignatures');
  w.u8(m.header.numReadonlySigned, 'numReadonlySigned');
  w.u8(m.header.numReadonlyUnsigned, 'numReadonlyUnsigned');
  w.u16(m.staticKeys.length);
  for (const k of m.staticKeys) w.bytes(k, 32, 'account key');
  w.bytes(m.recentBlockhash, 32, 'recent blockhash');
  w.u16(m.instructions.length);
  for (const ix of m.instructions) {
    w.u8(ix.programIdIndex, 'program id index');
    w.indexes(ix.accountIndexes, 'account index');
    w.u16(ix.data.length);
    w.bytes(ix.data);
  }
  if (m.version === 0) {
    const lookups = m.lookups ?? [];
    w.u16(lookups.length);
    for (const l of lookups) {
      w.bytes(l.tableAddress, 32, 'lookup table address');
      w.indexes(l.writableIndexes, 'writable lookup index');
      w.indexes(l.readonlyIndexes, 'readonly lookup index');
    }
  }
  return w.done();
}

/** Wire bytes: compact-u16 signature count, the signatures, the message bytes. */
export function encodeSolanaTransaction(tx: { signatures: readonly Uint8Array[]; message: Uint8Array }): Uint8Array {
  const head = compactU16Length(tx.signatures.length);
  const out = new Uint8Array(head + 64 * tx.signatures.length + tx.message.length);
  let at = writeCompactU16(tx.signatures.length, out, 0);
  for (const s of tx.signatures) {
    if (s.length !== 64) throw new RangeError(`signature must be 64 bytes, got ${s.length}`);
    out.set(s, at);
    at += 64;
  }
  out.set(tx.message, at);
  return out;
}

/** Signs the message with each key in order (key i must be static key i) and encodes the transaction. */
export function signSolanaTransaction(message: Uint8Array, signers: readonly { sign(message: Uint8Array): Uint8Array }[]): Uint8Array {
  return encodeSolanaTransaction({ message, signatures: signers.map((k) => k.sign(message)) });
}

// ---- compiling instructions into a message ----

export interface SolanaAccountMeta {
  address: Uint8Array;
  signer: boolean;
  writable: boolean;
}

export interface SolanaInstructionSpec {
  programId: Uint8Array;
  accounts: readonly SolanaAccountMeta[];
  data: Uint8Array;
}

/** An address lookup table as the caller knows it (its address and its addresses, in order). */
export interface SolanaLookupTable {
  address: Uint8Array;
  addresses: readonly Uint8Array[];
}

export interface CompileSolanaMessageOptions {
  /** The first signer and first static key; writable. */
  feePayer: Uint8Array;
  instructions: readonly SolanaInstructionSpec[];
  recentBlockhash: Uint8Array;
  version: 'legacy' | 0;
  /**
   * v0 only: an account that is neither a signer nor called as a program and
   * appears in one of these tables is loaded through it (the first table
   * holding it) instead of being a static key.
   */
  lookupTables?: readonly SolanaLookupTable[];
}

/** Keys as map keys: latin1 of the 32 bytes (cheaper than hex, exact). */
function keyId(k: Uint8Array): string {
  if (k.length !== 32) throw new RangeError(`account address must be 32 bytes, got ${k.length}`);
  return String.fromCharCode.apply(null, k as unknown as number[]);
}

/**
 * Lays out a message as Solana's compilers do: static keys ordered writable
 * signers (fee payer first), read-only signers, writable non-signers,
 * read-only non-signers, each group in first-seen order; an account's flags
 * are the union over every mention; program ids are read-only non-signers
 * unless mentioned otherwise and always static.
 */
export function compileSolanaMessage(o: CompileSolanaMessageOptions): SolanaMessageSpec {
  if (o.version === 'legacy' && o.lookupTables && o.lookupTables.length > 0) throw new RangeError('lookup tables need a v0 message');
  interface Entry { address: Uint8Array; signer: boolean; writable: boolean; program: boolean; order: number }
  const entries = new Map<string, Entry>();
  const note = (address: Uint8Array, signer: boolean, writable: boolean, program: boolean): void => {
    const id = keyId(address);
    const e = entries.get(id);
    if (e) { e.signer ||= signer; e.writable ||= writable; e.program ||= program; }
    else entries.set(id, { address, signer, writable, program, order: entries.size });
  };
  note(o.feePayer, true, true, false);
  for (const ix of o.instructions) {
    for (const a of ix.accounts) note(a.address, a.signer, a.writable, false);
    note(ix.programId, false, false, true);
  }

  // Accounts a table may carry: not signers, not programs.
  const tableOf = new Map<string, { table: number; index: number }>();
  if (o.version === 0 && o.lookupTables) {
    o.lookupTables.forEach((t, ti) => t.addresses.forEach((a, ai) => {
      const id = keyId(a);
      if (!tableOf.has(id) && ai <= 0xff) tableOf.set(id, { table: ti, index: ai });
    }));
  }
  const statics: Entry[] = [];
  const looked: { entry: Entry; table: number; index: number }[] = [];
  for (const [id, e] of entries) {
    const at = !e.signer && !e.program ? tableOf.get(id) : undefined;
    if (at) looked.push({ entry: e, ...at });
    else statics.push(e);
  }
  const rank = (e: Entry) => (e.signer ? (e.writable ? 0 : 1) : e.writable ? 2 : 3);
  // Stable: the fee payer (order 0) stays first among writable signers.
  statics.sort((a, b) => rank(a) - rank(b) || a.order - b.order);

  const index = new Map<string, number>();
  statics.forEach((e, i) => index.set(keyId(e.address), i));
  const lookups: { tableAddress: Uint8Array; writableIndexes: number[]; readonlyIndexes: number[] }[] = [];
  const usedTables = [...new Set(looked.map((l) => l.table))].sort((a, b) => a - b);
  for (const t of usedTables) {
    const mine = looked.filter((l) => l.table === t).sort((a, b) => a.entry.order - b.entry.order);
    lookups.push({
      tableAddress: o.lookupTables![t].address,
      writableIndexes: mine.filter((l) => l.entry.writable).map((l) => l.index),
      readonlyIndexes: mine.filter((l) => !l.entry.writable).map((l) => l.index),
    });
  }
  // Resolved order: static keys, then every lookup's writable, then every lookup's read-only addresses.
  let next = statics.length;
  for (const writable of [true, false]) {
    for (const t of usedTables) {
      const mine = looked.filter((l) => l.table === t && l.entry.writable === writable).sort((a, b) => a.entry.order - b.entry.order);
      for (const l of mine) index.set(keyId(l.entry.address), next++);
    }
  }
  if (next > 256) throw new RangeError(`a message addresses at most 256 accounts, this one ${next}`);

  const signers = statics.filter((e) => e.signer);
  const header: SolanaMessageHeader = {
    numRequiredSignatures: signers.length,
    numReadonlySigned: signers.filter((e) => !e.writable).length,
    numReadonlyUnsigned: statics.filter((e) => !e.signer && !e.writable).length,
  };
  const instructions = o.instructions.map((ix) => ({
    programIdIndex: index.get(keyId(ix.programId))!,
    accountIndexes: ix.accounts.map((a) => index.get(keyId(a.address))!),
    data: ix.data,
  }));
  return {
    version: o.version,
    header,
    staticKeys: statics.map((e) => e.address),
    recentBlockhash: o.recentBlockhash,
    instructions,
    ...(o.version === 0 ? { lookups } : {}),
  };
}
