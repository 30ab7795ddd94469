// The Solana wire format (SPEC §7): parsing and sanitizing, account locks, batches.
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
