// Account locks of a sanitized packet (docs/solana.md): resolve its address table
// lookups against the caller's tables (`address_lookup`), then the resolved
// keys (static, every lookup's writable, every lookup's read-only) and their
// writability, refusing a key twice or more than 64 keys (`account_locks`).
//
// Keys become ids of a KeyTable; a packet's locks are appended to a flat
// Int32Array as (id << 1) | writable. Nothing is allocated per packet.
import { quoteForMessage } from '../../errors.js';
import { base58DecodeAddress } from './base58.js';
import { readCompactU16 } from './compact-u16.js';
import {
  F_KEY_COUNT, F_KEYS_OFF, F_LOOKUP_COUNT, F_LOOKUP_INDEXES, F_LOOKUP_OFF, F_NUM_READONLY_SIGNED, F_NUM_READONLY_UNSIGNED,
  F_NUM_REQUIRED, F_PROGRAM_MASK_HI, F_PROGRAM_MASK_LO,
} from './decode.js';
import { KeyTable } from './key-table.js';
import { BPF_LOADER_UPGRADEABLE, reservedKeyBytes } from './reserved-keys.js';

// Module-level copies of imports used per packet: a loader that compiles
// imports to getters (tsx's CommonJS path) would otherwise call one per use.
const readU16 = readCompactU16;
const KEY_COUNT = F_KEY_COUNT;
const KEYS_OFF = F_KEYS_OFF;
const LOOKUP_COUNT = F_LOOKUP_COUNT;
const LOOKUP_INDEXES = F_LOOKUP_INDEXES;
const LOOKUP_OFF = F_LOOKUP_OFF;
const NUM_READONLY_SIGNED = F_NUM_READONLY_SIGNED;
const NUM_READONLY_UNSIGNED = F_NUM_READONLY_UNSIGNED;
const NUM_REQUIRED = F_NUM_REQUIRED;
const PROGRAM_MASK_HI = F_PROGRAM_MASK_HI;
const PROGRAM_MASK_LO = F_PROGRAM_MASK_LO;

/** Most accounts one transaction may lock (Agave's MAX_TX_ACCOUNT_LOCKS). */
export const MAX_TX_ACCOUNT_LOCKS = 64;
/** Most addresses an on-chain lookup table holds. */
export const LOOKUP_TABLE_MAX_ADDRESSES = 256;

export const LOCKS_OK = 0;
export const LOCKS_ADDRESS_LOOKUP = 1;
export const LOCKS_ACCOUNT_LOCKS = 2;

/**
 * Address lookup tables by base58 table address: either addresses as bytes
 * (a Map) or as base58 strings (a plain object, the CLI's JSON file).
 */
export type LookupTablesInput = ReadonlyMap<string, readonly Uint8Array[]> | Readonly<Record<string, readonly string[]>>;

export class LookupTableFormatError extends Error {
  override name = 'LookupTableFormatError';
}

/** The tables as bytes, each address checked (32 bytes, at most 256 per table). */
export function normalizeLookupTables(input: LookupTablesInput | undefined): Map<string, Uint8Array[]> {
  const out = new Map<string, Uint8Array[]>();
  if (input === undefined) return out;
  const entries: [string, readonly (Uint8Array | string)[]][] = input instanceof Map ? [...input.entries()] : Object.entries(input);
  for (const [address, list] of entries) {
    const where = `lookup table ${quoteForMessage(address)}`;
    try {
      base58DecodeAddress(address, where);
    } catch (e) {
      throw new LookupTableFormatError((e as Error).message);
    }
    if (!Array.isArray(list)) throw new LookupTableFormatError(`${where}: expected an array of addresses`);
    if (list.length > LOOKUP_TABLE_MAX_ADDRESSES) throw new LookupTableFormatError(`${where}: ${list.length} addresses, a table holds at most ${LOOKUP_TABLE_MAX_ADDRESSES}`);
    out.set(address, list.map((a, i) => {
      if (a instanceof Uint8Array) {
        if (a.length !== 32) throw new LookupTableFormatError(`${where} entry ${i}: ${a.length} bytes, expected 32`);
        return a;
      }
      if (typeof a !== 'string') throw new LookupTableFormatError(`${where} entry ${i}: expected a base58 string`);
      try {
        return base58DecodeAddress(a, `${where} entry ${i}`);
      } catch (e) {
        throw new LookupTableFormatError((e as Error).message);
      }
    }));
  }
  return out;
}

export class AccountLockResolver {
  readonly keys: KeyTable;
  /** Ids below this are the reserved keys. */
  readonly reservedCount: number;
  /** Ids below this (reserved keys, tables and their addresses) survive reset(). */
  readonly baseCount: number;
  private readonly upgradeableId: number;
  /** Table contents (as key ids) by the table address's key id. */
  private readonly tables: (Int32Array | undefined)[] = [];
  /** Per key id: the stamp of the last packet that locked it. */
  private stamp = new Int32Array(1024);
  private stampValue = 0;
  /** Table contents of the current packet's lookups, in order. */
  private lookupScratch: (Int32Array | undefined)[] = [];
  /** Locks appended so far: (id << 1) | writable. */
  locks = new Int32Array(4096);
  length = 0;

  constructor(lookupTables?: LookupTablesInput) {
    this.keys = new KeyTable(1024);
    for (const key of reservedKeyBytes()) this.keys.intern(key, 0);
    this.reservedCount = this.keys.count;
    this.upgradeableId = this.keys.find(base58DecodeAddress(BPF_LOADER_UPGRADEABLE), 0);
    for (const [address, list] of normalizeLookupTables(lookupTables)) {
      const tableId = this.keys.intern(base58DecodeAddress(address), 0);
      this.tables[tableId] = Int32Array.from(list, (a) => this.keys.intern(a, 0));
    }
    this.baseCount = this.keys.count;
  }

  /** Forgets the keys and locks of earlier packets (tables and reserved keys stay). */
  reset(): void {
    this.keys.truncate(this.baseCount);
    this.length = 0;
  }

  /**
   * Resolves one sanitized packet's locks (its layout at `layout[base..]`)
   * and appends them; returns LOCKS_OK, or LOCKS_ADDRESS_LOOKUP /
   * LOCKS_ACCOUNT_LOCKS with nothing appended.
   */
  resolve(bytes: Uint8Array, layout: Int32Array, base: number): number {
    const keyCount = layout[base + KEY_COUNT];
    const lookupCount = layout[base + LOOKUP_COUNT];
    const scratch = this.lookupScratch;
    // Every lookup names a known table and stays inside it.
    let at = layout[base + LOOKUP_OFF];
    for (let l = 0; l < lookupCount; l++) {
      const id = this.keys.find(bytes, at);
      const table = id >= 0 ? this.tables[id] : undefined;
      if (table === undefined) return LOCKS_ADDRESS_LOOKUP;
      scratch[l] = table;
      at += 32;
      for (let v = 0; v < 2; v++) {
        const r = readU16(bytes, at);
        at += r >>> 16;
        for (const end = at + (r & 0xffff); at < end; at++) if (bytes[at] >= table.length) return LOCKS_ADDRESS_LOOKUP;
      }
    }
    if (keyCount + layout[base + LOOKUP_INDEXES] > MAX_TX_ACCOUNT_LOCKS) return LOCKS_ACCOUNT_LOCKS;

    if (this.locks.length < this.length + MAX_TX_ACCOUNT_LOCKS) {
      const grown = new Int32Array(2 * this.locks.length + MAX_TX_ACCOUNT_LOCKS);
      grown.set(this.locks.subarray(0, this.length));
      this.locks = grown;
    }
    if (this.stampValue === 0x7fffffff) { this.stamp.fill(0); this.stampValue = 0; }
    const stampValue = ++this.stampValue;
    const start = this.length;
    const locks = this.locks;
    let n = start;

    const numRequired = layout[base + NUM_REQUIRED];
    const writableSigned = numRequired - layout[base + NUM_READONLY_SIGNED];
    const writableEnd = keyCount - layout[base + NUM_READONLY_UNSIGNED];
    const keysOff = layout[base + KEYS_OFF];
    const reservedCount = this.reservedCount;
    for (let i = 0; i < keyCount; i++) {
      const id = this.keys.intern(bytes, keysOff + 32 * i);
      if (id >= this.stamp.length) this.growStamp(id);
      if (this.stamp[id] === stampValue) return LOCKS_ACCOUNT_LOCKS;
      this.stamp[id] = stampValue;
      const writable = (i < writableSigned || (i >= numRequired && i < writableEnd)) && id >= reservedCount ? 1 : 0;
      locks[n++] = (id << 1) | writable;
    }
    // Looked-up addresses: every lookup's writable ones, then every lookup's read-only ones.
    const stamp = this.stamp;
    for (let pass = 0; pass < 2; pass++) {
      at = layout[base + LOOKUP_OFF];
      for (let l = 0; l < lookupCount; l++) {
        const table = scratch[l]!;
        at += 32;
        let r = readU16(bytes, at);
        at += r >>> 16;
        if (pass === 1) {
          at += r & 0xffff;
          r = readU16(bytes, at);
          at += r >>> 16;
        }
        for (const end = at + (r & 0xffff); at < end; at++) {
          const id = table[bytes[at]];
          if (stamp[id] === stampValue) return LOCKS_ACCOUNT_LOCKS;
          stamp[id] = stampValue;
          locks[n++] = (id << 1) | (pass === 0 && id >= reservedCount ? 1 : 0);
        }
        if (pass === 0) {
          r = readU16(bytes, at);
          at += (r >>> 16) + (r & 0xffff);
        }
      }
    }
    // A program keeps a writable lock only while the upgradeable loader is among the keys.
    if (this.upgradeableId < 0 || stamp[this.upgradeableId] !== stampValue) {
      let mask = layout[base + PROGRAM_MASK_LO];
      for (let i = 0; mask !== 0 && i < 32; i++, mask >>>= 1) if (mask & 1) locks[start + i] &= ~1;
      mask = layout[base + PROGRAM_MASK_HI];
      for (let i = 32; mask !== 0 && i < 64; i++, mask >>>= 1) if (mask & 1) locks[start + i] &= ~1;
    }
    this.length = n;
    return LOCKS_OK;
  }

  private growStamp(id: number): void {
    const grown = new Int32Array(Math.max(2 * this.stamp.length, id + 1));
    grown.set(this.stamp);
    this.stamp = grown;
  }
}
