// The Solana wire format (docs/solana.md): parsing and sanitizing, account locks, batches.
export {
  readCompactU16, writeCompactU16, encodeCompactU16, compactU16Length,
  COMPACT_U16_TRUNCATED, COMPACT_U16_NON_CANONICAL, COMPACT_U16_OVERFLOW,
} from './compact-u16.js';
export { base58Encode, base58Decode, base58DecodeAddress } from './base58.js';
export {
  decodeSolanaTransaction, scanSolanaTransaction, transactionFromLayout, decodeReason, decodeDetail,
  PACKET_DATA_SIZE, MAX_ACCOUNT_KEYS, LAYOUT_FIELDS,
} from './decode.js';
export type {
  SolanaTransaction, SolanaMessageHeader, SolanaInstruction, SolanaAddressTableLookup, DecodeResult, SolanaDecodeReason,
} from './decode.js';
export { KeyTable, hashBytes } from './key-table.js';
export { RESERVED_ACCOUNT_KEYS, BPF_LOADER_UPGRADEABLE } from './reserved-keys.js';
export {
  AccountLockResolver, normalizeLookupTables, LookupTableFormatError, MAX_TX_ACCOUNT_LOCKS, LOOKUP_TABLE_MAX_ADDRESSES,
  LOCKS_OK, LOCKS_ADDRESS_LOOKUP, LOCKS_ACCOUNT_LOCKS,
} from './locks.js';
export type { LookupTablesInput } from './locks.js';
export { markDuplicatePackets } from './dedup.js';
export { conflictLevels, cutBatches } from './batches.js';
export { parseSolanaPacketLines, SolanaInputFormatError } from './base64-lines.js';
export {
  encodeSolanaMessage, encodeSolanaTransaction, signSolanaTransaction, compileSolanaMessage, VERSION_PREFIX,
} from './encode.js';
export type {
  SolanaMessageSpec, SolanaCompiledInstructionSpec, SolanaLookupSpec, SolanaAccountMeta, SolanaInstructionSpec, SolanaLookupTable,
  CompileSolanaMessageOptions,
} from './encode.js';
export { solanaFormat } from './format.js';
