// Genesis of docs/transactions.md: {"accounts": [{"key": "<64 hex>", "balance": "<decimal u64>"}, ...]}.
// Accounts get slots in file order with nonce 0. Every error names the account index.
import { AccountState } from './account-state.js';
import { U64_MAX } from '../tx/v1/index.js';
import { fromHex } from '../hex.js';
import { checkFields, parseStrictJson } from '../json-strict.js';
import { InvalidArgumentError, quoteForMessage } from '../errors.js';

export class GenesisFormatError extends Error {
  override name = 'GenesisFormatError';
}

export interface GenesisAccount {
  key: Uint8Array;
  balance: bigint;
}

const HEX64 = /^[0-9a-fA-F]{64}$/;
const DECIMAL = /^[0-9]+$/;
const ACCOUNT_FIELDS = new Set(['key', 'balance']);
const TOP_FIELDS = new Set(['accounts']);

/** Unknown fields (say "nonce", or "acounts") are refused: genesis must mean what the operator wrote. */
function strictFields(record: object, allowed: ReadonlySet<string>, where: string): void {
  try {
    checkFields(record, allowed, where);
  } catch (e) {
    throw new GenesisFormatError((e as Error).message);
  }
}

/** A JSON value as a message shows it: bounded, its length stated when cut. */
function describe(value: unknown): string {
  if (typeof value === 'string') return quoteForMessage(value, 80);
  return value === undefined ? 'undefined' : quoteForMessage(JSON.stringify(value) ?? String(value), 80, false);
}

/** Parses and checks a genesis document (text); `name` prefixes every error. */
export function parseGenesis(text: string, name = 'genesis'): GenesisAccount[] {
  if (typeof text !== 'string') throw new InvalidArgumentError(`parseGenesis: the genesis must be a string of JSON, got ${text === null ? 'null' : typeof text}`);
  let doc: unknown;
  try {
    // Strict: "accounts" twice, or "balance" twice, would otherwise keep the last silently.
    doc = parseStrictJson(text, { name });
  } catch (e) {
    throw new GenesisFormatError((e as Error).message);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new GenesisFormatError(`${name}: expected an object {"accounts": [...]}`);
  strictFields(doc, TOP_FIELDS, name);
  const list = (doc as { accounts?: unknown }).accounts;
  if (list === undefined) throw new GenesisFormatError(`${name}: missing "accounts"`);
  if (!Array.isArray(list)) throw new GenesisFormatError(`${name}: "accounts" must be an array`);
  const accounts: GenesisAccount[] = [];
  const seen = new Map<string, number>();
  list.forEach((entry: unknown, i) => {
    const at = `${name}: account ${i}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new GenesisFormatError(`${at}: expected an object {"key", "balance"}`);
    // An unknown field (say "nonce") would be silently ignored otherwise; a
    // node operator would rather hear that genesis does not mean what they wrote.
    strictFields(entry, ACCOUNT_FIELDS, at);
    const { key, balance } = entry as { key?: unknown; balance?: unknown };
    if (typeof key !== 'string' || !HEX64.test(key)) {
      throw new GenesisFormatError(`${at}: key must be 64 hex digits, got ${describe(key)}`);
    }
    // A balance is a decimal string: a JSON number loses precision above 2^53,
    // so it is refused rather than rounded; signs, exponents and spaces are not decimal digits.
    if (typeof balance !== 'string' || !DECIMAL.test(balance)) {
      throw new GenesisFormatError(`${at}: balance must be a decimal string, got ${describe(balance)}`);
    }
    // More than 20 digits is above u64 whatever they are: no BigInt of a 100,000-digit string.
    const digits = balance.replace(/^0+(?=.)/, '');
    if (digits.length > 20 || BigInt(digits) > U64_MAX) throw new GenesisFormatError(`${at}: balance ${quoteForMessage(balance, 40, false)} is outside u64 (max ${U64_MAX})`);
    const value = BigInt(digits);
    const norm = key.toLowerCase();
    const first = seen.get(norm);
    if (first !== undefined) throw new GenesisFormatError(`${name}: duplicate key ${norm} at accounts ${first} and ${i}`);
    seen.set(norm, i);
    accounts.push({ key: fromHex(norm, `${at}: key`), balance: value });
  });
  return accounts;
}

/** The state a genesis describes, with room for `extraCapacity` more accounts. */
export function stateFromGenesis(accounts: readonly GenesisAccount[], extraCapacity = 0): AccountState {
  const state = new AccountState(accounts.length + extraCapacity);
  for (const a of accounts) state.append(a.key, a.balance);
  return state;
}

/** parseGenesis + stateFromGenesis. */
export function loadGenesis(text: string, name = 'genesis', extraCapacity = 0): AccountState {
  return stateFromGenesis(parseGenesis(text, name), extraCapacity);
}
