// The version-1 transfer format (SPEC §4, §5): layout, block file, receipts.
export * from './transaction.js';
export * from './block.js';
export * from './receipt.js';
