// A workload as files: docs/transactions.md genesis JSON and docs/transactions.md block files.
import { toHex } from '../hex.js';
import { serializeBlock, type BlockRecords } from '../tx/v1/index.js';
import type { GenesisAccount } from './generate.js';

/** `{"accounts": [{"key": "<64 hex>", "balance": "<decimal u64>"}, ...]}` with one account per line. */
export function genesisToJson(accounts: readonly GenesisAccount[]): string {
  const lines = accounts.map((a) => `  {"key": "${toHex(a.key)}", "balance": "${a.balance.toString()}"}`);
  return `{"accounts": [\n${lines.join(',\n')}\n]}\n`;
}

/** The block file of `u32 length (LE) || bytes` records. */
export function blockToFile(block: BlockRecords): Uint8Array {
  const records: Uint8Array[] = [];
  for (let i = 0; i < block.count; i++) records.push(block.bytes.subarray(block.offsets[i], block.offsets[i + 1]));
  return serializeBlock(records);
}

/** `block-000.bin`, `block-001.bin`, …; wider when there are more than 1000 blocks, so names sort in order. */
export function blockFileName(index: number, blocks: number): string {
  const width = Math.max(3, String(blocks - 1).length);
  return `block-${String(index).padStart(width, '0')}.bin`;
}
