// The version-1 transfer format (docs/transactions.md): layout, block file, receipts.
export * from './transaction.js';
export * from './block.js';
export * from './receipt.js';
