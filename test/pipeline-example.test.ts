// The README's "plug the stage into a node's loop" example, run as written
// (against files `preexec gen` wrote), so the example cannot rot.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { packSignatureBatch } from '../src/ed25519/batch.js';
import { toHex } from '../src/hex.js';
import { createPipeline, type BlockResult } from '../src/pipeline/index.js';
import { parseGenesis } from '../src/state/genesis.js';
import { parseBlock, type BlockRecords } from '../src/tx/v1/index.js';
import { defaultSigner, generateWorkload } from '../src/workload/index.js';

describe('README example: the stage in a node loop', () => {
  it('runs blocks from files through process() and the signature stage alone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'example-'));
    try {
      const io = { stdout: () => {}, stderr: () => {} };
      expect(await main(['gen', '--out', join(dir, 'net'), '--workload', 'hot', '--accounts', '10', '--txs', '40', '--blocks', '4', '--seed', '2'], io)).toBe(0);

      // ---- as in the README ----
      const genesis = parseGenesis(await readFile(join(dir, 'net', 'genesis.json'), 'utf8'));
      const pipeline = await createPipeline({ genesis, rules: 'solana', backend: 'cpu', workers: 2, maxBlocksInFlight: 3 });
      async function* incomingBlocks(): AsyncGenerator<BlockRecords> {
        for (const name of (await readdir(join(dir, 'net'))).filter((f) => f.endsWith('.bin')).sort()) {
          yield parseBlock(await readFile(join(dir, 'net', name)), name);
        }
      }
      const committed: BlockResult[] = [];
      for await (const r of pipeline.process(incomingBlocks())) committed.push(r);
      const flags = await pipeline.verify(packSignatureBatch([{ publicKey: new Uint8Array(32), signature: new Uint8Array(64), message: new Uint8Array(0) }]));
      const root = await pipeline.stateRoot();
      await pipeline.close();
      // ---- end ----

      expect(committed.map((r) => r.index)).toEqual([0, 1, 2, 3]);
      expect(flags).toEqual(Uint8Array.of(0)); // the all-zero key is small order: never valid under solana
      const w = await generateWorkload({ workload: 'hot', accounts: 10, txsPerBlock: 40, blocks: 4, seed: 2 }, { signer: await defaultSigner() });
      committed.forEach((r, b) => expect(toHex(r.receipts)).toBe(toHex(w.intended[b])));
      expect(toHex(root)).toBe(toHex(committed[3].stateRoot));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
