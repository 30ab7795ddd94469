// Genesis of SPEC §5: {"accounts": [{"key": "<64 hex>", "balance": "<decimal u64>"}, ...]}.
// Accounts get slots in file order with nonce 0. Every error names the account index.
import { AccountState } from './account-state.js';
import { U64_MAX } from '../tx/v1/index.js';
import { fromHex } from '../hex.js';

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

/** Parses and checks a genesis document (text); `name` prefixes every error. */
export function parseGenesis(text: string, name = 'genesis'): GenesisAccount[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new GenesisFormatError(`${name}: not JSON (${(e as Error).message})`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new GenesisFormatError(`${name}: expected an object {"accounts": [...]}`);
  const list = (doc as { accounts?: unknown }).accounts;
  if (!Array.isArray(list)) throw new GenesisFormatError(`${name}: "accounts" must be an array`);
  const accounts: GenesisAccount[] = [];
  const seen = new Map<string, number>();
  list.forEach((entry: unknown, i) => {
    const at = `${name}: account ${i}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new GenesisFormatError(`${at}: expected an object {"key", "balance"}`);
    // An unknown field (say "nonce") would be silently ignored otherwise; a
    // node operator would rather hear that genesis does not mean what they wrote.
    for (const field of Object.keys(entry)) {
      if (!ACCOUNT_FIELDS.has(field)) throw new GenesisFormatError(`${at}: unknown field ${JSON.stringify(field)}`);
    }
    const { key, balance } = entry as { key?: unknown; balance?: unknown };
    if (typeof key !== 'string' || !HEX64.test(key)) {
      throw new GenesisFormatError(`${at}: key must be 64 hex digits, got ${JSON.stringify(key)?.slice(0, 80)}`);
    }
    // A balance is a decimal string: a JSON number loses precision above 2^53,
    // so it is refused rather than rounded; signs, exponents and spaces are not decimal digits.
    if (typeof balance !== 'string' || !DECIMAL.test(balance)) {
      throw new GenesisFormatError(`${at}: balance must be a decimal string, got ${JSON.stringify(balance)?.slice(0, 80)}`);
    }
    const value = BigInt(balance);
    if (value > U64_MAX) throw new GenesisFormatError(`${at}: balance ${balance} is outside u64 (max ${U64_MAX})`);
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
