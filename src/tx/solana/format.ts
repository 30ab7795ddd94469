// The Solana wire format as an entry of the format table (src/tx/index.ts).
import type { TransactionFormat } from '../format.js';
import { PACKET_DATA_SIZE, decodeSolanaTransaction, type SolanaDecodeReason, type SolanaTransaction } from './decode.js';

export const solanaFormat: TransactionFormat<SolanaTransaction, SolanaDecodeReason> = {
  name: 'solana',
  summary: 'Solana wire transactions (legacy and v0 messages, docs/solana.md), one packet each',
  maxSize: PACKET_DATA_SIZE,
  decode: decodeSolanaTransaction,
};
