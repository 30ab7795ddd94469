// The version-1 transfer as an entry of the format table (src/tx/index.ts).
import type { TransactionFormat } from '../format.js';
import { TX_SIZE, TX_VERSION, TX_VERSION_OFFSET, decodeTransaction, type Transaction } from './transaction.js';

export const transferV1Format: TransactionFormat<Transaction, 'malformed'> = {
  name: 'v1',
  summary: 'the 145-byte version-1 transfer (docs/transactions.md) in length-prefixed block files',
  maxSize: TX_SIZE,
  decode(bytes) {
    const tx = decodeTransaction(bytes);
    if (tx) return { ok: true, tx };
    const detail = bytes.length !== TX_SIZE ? `${bytes.length} bytes, expected ${TX_SIZE}` : `version ${bytes[TX_VERSION_OFFSET]}, expected ${TX_VERSION}`;
    return { ok: false, reason: 'malformed', detail };
  },
};
