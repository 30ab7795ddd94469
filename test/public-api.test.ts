// The package's root export is deliberate: this list changes only on purpose,
// together with docs/library.md, which documents every name.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as api from '../src/index.js';

const EXPORTS = [
  'AccountState', 'BatchFormatError', 'BlockFailedError', 'BlockFormatError', 'DEFAULT_MAX_BLOCKS_IN_FLIGHT', 'DEFAULT_RULES',
  'EMPTY_ROOT', 'GENESIS_BALANCE', 'GenesisFormatError', 'GpuDeviceLostError', 'GpuUnavailableError', 'MerkleInputError',
  'PipelineClosedError', 'RECEIPT_NAMES', 'RULE_SETS', 'Receipt', 'TX_SIZE', 'TX_VERSION', 'VerifierDestroyedError', 'WORKLOADS',
  'WorkloadSpecError', 'acquireGpu', 'batchSize', 'blockFileName', 'blockToFile', 'createExecutor', 'createIncrementalMerkleTree',
  'createMerkleHasher', 'createPipeline', 'createVerifier', 'decodeBlock', 'decodeTransaction', 'defaultSigner', 'encodeTransaction',
  'fromHex', 'generateWorkload', 'genesisToJson', 'inclusionProof', 'leafHash', 'merkleRoot', 'nodeHash', 'packSignatureBatch',
  'parseBlock', 'parseGenesis', 'serializeBlock', 'stateFromGenesis', 'toColumnar', 'toHex', 'validateBatch', 'validityFromVerdicts',
  'verifyInclusion', 'verifyReference',
  'DestroyedError', 'InvalidArgumentError', 'LIMITS', 'PipelineBusyError', 'ResourceLimitError',
  'createSolanaStage', 'SOLANA_REASONS', 'DEFAULT_SOLANA_BATCH_SIZE', 'parseSolanaPacketLines', 'SolanaInputFormatError',
];

describe('public API', () => {
  it('the root export is exactly the pinned list', () => {
    expect(Object.keys(api).sort()).toEqual([...EXPORTS].sort());
  });

  it('docs/library.md names every export', () => {
    const docs = join(import.meta.dirname, '..', 'docs');
    // The Solana stage is documented on its own page, when it has one.
    const doc = ['library.md', 'solana.md'].map((f) => { try { return readFileSync(join(docs, f), 'utf8'); } catch { return ''; } }).join('\n');
    const missing = EXPORTS.filter((name) => !doc.includes(`\`${name}\``) && !doc.includes(`${name}(`));
    expect(missing).toEqual([]);
  });

  it('package.json: ESM entry with types, a require() stub that explains, a prepack build, the license file', () => {
    const root = join(import.meta.dirname, '..');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', import: './dist/index.js', require: './cjs/require-error.cjs' });
    expect(pkg.scripts.prepack).toMatch(/npm run build/);
    expect(pkg.dependencies['@webgpu/types']).toBeDefined();
    expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0/);
    expect(() => require(join(root, 'cjs', 'require-error.cjs'))).toThrow(/webgpu-preexec is an ES module; use import\(\)/);
  });
});
