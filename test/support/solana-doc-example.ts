// Generates docs/examples/solana.b64 and docs/examples/solana-tables.json,
// the inputs of the examples in docs/solana.md: one line for each reason of
// docs/solana.md plus valid transactions that conflict. Deterministic (ed25519
// signatures are), so test/solana-cli.test.ts checks the committed files
// against a fresh run.
//
//   npx tsx test/support/solana-doc-example.ts    (rewrites both files)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { base58Encode } from '../../src/tx/solana/base58.js';
import { encodeRawMessage, encodeRawTransaction, signedTransaction, testAddress, testSigner } from './solana-packets.js';

const SYSTEM = new Uint8Array(32);
const transferData = (lamports: number) => Uint8Array.of(2, 0, 0, 0, lamports & 0xff, (lamports >> 8) & 0xff, 0, 0, 0, 0, 0, 0);

export function solanaDocExample(): { packets: string; tables: string } {
  const table = testAddress(7000);
  const tableEntries = [testAddress(7001), testAddress(7002), testAddress(7003)];
  const alice = 1;
  const bob = 2;
  const carol = 3;
  const shop = testAddress(10);
  const transfer = (from: number, to: Uint8Array, lamports: number) => signedTransaction({
    signers: [from], others: [to, SYSTEM], readonlyUnsigned: 1,
    instructions: [{ programIdIndex: 2, accounts: [0, 1], data: transferData(lamports) }],
  });
  const aliceToShop = transfer(alice, shop, 500);
  const badSignature = transfer(carol, testAddress(11), 7);
  badSignature[10] ^= 0x01;
  const zeroProgram = encodeRawMessage({ header: [1, 0, 1], keys: [testSigner(carol).publicKey, SYSTEM], instructions: [{ programIdIndex: 0, accounts: [] }] });
  const lines: (Uint8Array | string)[] = [
    aliceToShop, // valid, level 0
    transfer(bob, testAddress(12), 900), // valid, level 0
    aliceToShop, // duplicate
    transfer(carol, shop, 300), // valid: writes `shop` after line 1, level 1
    badSignature, // bad_signature
    signedTransaction({ // valid v0: pays from alice, writes a table address, level 1 (alice)
      signers: [alice], others: [SYSTEM], readonlyUnsigned: 1, version: 0,
      instructions: [{ programIdIndex: 1, accounts: [0, 2], data: transferData(1) }],
      lookups: [{ table, writable: [2], readonly: [0] }],
    }),
    signedTransaction({ // address_lookup: a table not supplied
      signers: [bob], others: [SYSTEM], readonlyUnsigned: 1, version: 0,
      instructions: [{ programIdIndex: 1, accounts: [0, 2] }], lookups: [{ table: testAddress(7999), writable: [0], readonly: [] }],
    }),
    signedTransaction({ signers: [carol], others: [shop, shop, SYSTEM], readonlyUnsigned: 1, instructions: [{ programIdIndex: 3, accounts: [0, 1] }] }), // account_locks
    encodeRawTransaction([new Uint8Array(64)], zeroProgram), // sanitize: program id index 0
    aliceToShop.subarray(0, 100), // malformed: truncated
    'this is not base64', // malformed
  ];
  const packets = lines.map((l) => (typeof l === 'string' ? l : Buffer.from(l).toString('base64'))).join('\n') + '\n';
  const tables = `${JSON.stringify({ [base58Encode(table)]: tableEntries.map(base58Encode) }, null, 2)}\n`;
  return { packets, tables };
}

export const SOLANA_DOC_FILES = { packets: 'solana.b64', tables: 'solana-tables.json' } as const;

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const dir = join(import.meta.dirname, '..', '..', 'docs', 'examples');
  const { packets, tables } = solanaDocExample();
  writeFileSync(join(dir, SOLANA_DOC_FILES.packets), packets);
  writeFileSync(join(dir, SOLANA_DOC_FILES.tables), tables);
  console.log(`wrote ${join(dir, SOLANA_DOC_FILES.packets)} and ${SOLANA_DOC_FILES.tables}`);
}
