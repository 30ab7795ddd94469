// One way to release resources across the API: close(), idempotent, also
// [Symbol.asyncDispose] (so `await using` works), destroy() as its deprecated
// alias; and GPU handles that do not keep a forgetful program alive (worker
// threads: test/worker-unref.test.ts).
import { describe, expect, it } from 'vitest';
import { createVerifier } from '../src/ed25519/verifier.js';
import { packSignatureBatch } from '../src/ed25519/batch.js';
import { createMerkleHasher } from '../src/merkle/hasher.js';
import { createIncrementalMerkleTree } from '../src/merkle/incremental.js';
import { createExecutor } from '../src/exec/executor.js';
import { DestroyedError } from '../src/errors.js';
import { createPipeline } from '../src/pipeline/pipeline.js';
import { stateFromGenesis } from '../src/state/genesis.js';
import { runFixture } from './support/fixture-run.js';

const item = { publicKey: new Uint8Array(32), signature: new Uint8Array(64), message: new Uint8Array(0) };

describe('close() and await using', () => {
  it('every resource-holding object has close() = [Symbol.asyncDispose], idempotent, and destroy() still works', async () => {
    const verifier = await createVerifier({ rules: 'ref10', backend: 'cpu', workers: 1 });
    const hasher = await createMerkleHasher({ backend: 'cpu', workers: 1 });
    const tree = await createIncrementalMerkleTree({ backend: 'cpu', leafSize: 4 });
    const executor = await createExecutor(stateFromGenesis([]), { workers: 2 });
    const pipeline = await createPipeline({ genesis: [], backend: 'cpu', workers: 1 });
    for (const [name, o] of Object.entries({ verifier, hasher, tree, executor, pipeline })) {
      expect(typeof o.close, name).toBe('function');
      expect(o[Symbol.asyncDispose], name).toBe(o.close);
      const first = o.close();
      expect(o.close(), `${name}: a second close() returns the first one's promise`).toBe(first);
      await first;
    }
    await expect(verifier.verify(packSignatureBatch([item]))).rejects.toThrow(/destroyed|closed/);
    await expect(tree.root()).rejects.toThrow(/after destroy|closed/);
    // The executor fails like every other backend after close(): a DestroyedError.
    await expect(executor.execute({} as never, new Uint8Array(0))).rejects.toBeInstanceOf(DestroyedError);
    // The deprecated name is the same operation.
    const v2 = await createVerifier({ rules: 'ref10', backend: 'cpu', workers: 1 });
    expect(v2.destroy).toBe(v2.close);
    await v2.destroy();
  });

  it('await using closes at the end of the block, also when it throws', async () => {
    let outside: Awaited<ReturnType<typeof createVerifier>> | undefined;
    await expect((async () => {
      await using verifier = await createVerifier({ rules: 'ref10', backend: 'cpu', workers: 1 });
      outside = verifier;
      expect(await verifier.verify(packSignatureBatch([item]))).toEqual(new Uint8Array([0]));
      throw new Error('inside');
    })()).rejects.toThrow('inside');
    await expect(outside!.verify(packSignatureBatch([item]))).rejects.toThrow(/destroyed|closed/);
  });
});

describe('GPU handles and process exit', () => {
  it('a program that forgets to close a WebGPU hasher and tree exits by itself', async () => {
    const { code, stdout, stderr } = await runFixture('forget-to-close-gpu.ts');
    expect(code, stderr).toBe(0);
    expect(stdout).toBe('done 32 32\n');
  });
});
