// Transaction formats: one module per format, each owning its byte layout,
// and this table, the one place a format is registered by name.
import type { TransactionFormat } from './format.js';
import { transferV1Format } from './v1/format.js';
import { solanaFormat } from './solana/format.js';

export type { TransactionFormat, FormatDecodeResult } from './format.js';
export * from './v1/index.js';
export { transferV1Format } from './v1/format.js';
export * from './solana/index.js';

export const TRANSACTION_FORMATS = {
  v1: transferV1Format,
  solana: solanaFormat,
} as const satisfies Record<string, TransactionFormat>;

export type TransactionFormatName = keyof typeof TRANSACTION_FORMATS;

export function transactionFormat(name: string): TransactionFormat | undefined {
  return Object.hasOwn(TRANSACTION_FORMATS, name) ? (TRANSACTION_FORMATS as Record<string, TransactionFormat>)[name] : undefined;
}
