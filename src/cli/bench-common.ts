// What every `preexec bench` format shares: the machine
// description, the single-thread node:crypto verify baselines over a sample
// of the run's own signatures, and table formatting.
import * as nodeCrypto from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import os from 'node:os';
import { batchItem, packSignatureBatch, type SignatureBatch } from '../ed25519/batch.js';
import { importEd25519PublicKey } from '../ed25519/cpu/engine.js';
import { median } from '../stats.js';
import type { Progress } from './progress.js';

/**
 * Signatures in each verify-baseline run: ~2.5 s at ~7k/s, long enough that
 * timer and GC noise stay well under 1%; three runs of each baseline.
 */
export const BASELINE_SAMPLE = 16_384;

/**
 * One thread of node:crypto verify over `batch`. `preimported`: every key is
 * imported before the clock starts (the ceiling: verify alone); otherwise each
 * signature imports its key inside the timed loop, through the engine's import
 * (JWK, ~10 µs; SPKI DER costs ~110 µs on OpenSSL 3, as much as a verify, and
 * would make a weak baseline).
 */
export function verifyOneThread(batch: SignatureBatch, preimported: boolean): { tps: number; valid: number } {
  const n = batch.messageOffsets.length - 1;
  const keys: KeyObject[] = preimported ? Array.from({ length: n }, (_, i) => importEd25519PublicKey(nodeCrypto, batch.publicKeys, 32 * i)) : [];
  // An empty sample (no well-formed transaction in the run) has no rate.
  if (n === 0) return { tps: 0, valid: 0 };
  let valid = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const { signature, message } = batchItem(batch, i);
    const key = preimported ? keys[i] : importEd25519PublicKey(nodeCrypto, batch.publicKeys, 32 * i);
    if (nodeCrypto.verify(null, message, key, signature)) valid++;
  }
  return { tps: Math.round((n * 1000) / (performance.now() - t0)), valid };
}

/**
 * Up to `max` of the run's signatures, evenly strided over every block (same
 * keys, messages and bad signatures, in the run's proportions), as one batch.
 */
export function sampleBatch(batches: readonly SignatureBatch[], max: number): { batch: SignatureBatch; n: number } {
  const total = batches.reduce((s, b) => s + b.messageOffsets.length - 1, 0);
  const n = Math.min(max, total);
  const items = [];
  // Item k of the sample is item floor(k·total/n) of the run: every item when n = total.
  let b = 0;
  let before = 0;
  for (let k = 0; k < n; k++) {
    const g = Math.floor((k * total) / n);
    while (g - before >= batches[b].messageOffsets.length - 1) before += batches[b++].messageOffsets.length - 1;
    items.push(batchItem(batches[b], g - before));
  }
  return { batch: packSignatureBatch(items), n: items.length };
}

export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
export const pad = (s: string, w: number): string => s.padEnd(w);
export const lpad = (s: string, w: number): string => s.padStart(w);


export interface MachineInfo { cpu: string; cores: number; memoryGiB: number; platform: string; node: string }

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.arch()}`,
    node: process.version,
  };
}

export interface VerifyBaselines {
  /** node:crypto verify, one thread, each signature's key imported in the loop (JWK, the fastest import). */
  verifyNodeCryptoOneThread: number;
  /** node:crypto verify, one thread, keys imported before the timed loop: verify alone, the ceiling. */
  verifyNodeCryptoOneThreadPreimportedKeys: number;
  verifySampleSize: number;
}

/**
 * Both single-thread baselines over `sample`, `runs` times each, interleaved
 * so load that comes and goes falls on both alike; medians. Signatures per second.
 */
export function measureVerifyBaselines(sample: { batch: SignatureBatch; n: number }, progress: Progress, runs = 3): VerifyBaselines {
  const importRuns: number[] = [];
  const preimportedRuns: number[] = [];
  for (let r = 0; r < runs; r++) {
    progress.update(`baseline: node:crypto verify on one thread (run ${r + 1}/${runs})`);
    const perSignature = verifyOneThread(sample.batch, false);
    const preimported = verifyOneThread(sample.batch, true);
    // Same signatures, same keys: the two baselines must agree on every verdict count.
    if (perSignature.valid !== preimported.valid) throw new Error(`verify baselines disagree: ${perSignature.valid} vs ${preimported.valid} valid`);
    importRuns.push(perSignature.tps);
    preimportedRuns.push(preimported.tps);
  }
  return { verifyNodeCryptoOneThread: median(importRuns), verifyNodeCryptoOneThreadPreimportedKeys: median(preimportedRuns), verifySampleSize: sample.n };
}

/** The faster of the two baselines in this run (normally the pre-imported ceiling): what speedups divide by. */
export function bestVerifyBaseline(b: VerifyBaselines): { name: keyof VerifyBaselines; label: string; tps: number } {
  return b.verifyNodeCryptoOneThreadPreimportedKeys >= b.verifyNodeCryptoOneThread
    ? { name: 'verifyNodeCryptoOneThreadPreimportedKeys', label: 'node:crypto verify, 1 thread, keys pre-imported', tps: b.verifyNodeCryptoOneThreadPreimportedKeys }
    : { name: 'verifyNodeCryptoOneThread', label: 'node:crypto verify, 1 thread, fastest key import', tps: b.verifyNodeCryptoOneThread };
}

export function adapterLine(a: { vendor?: string; architecture?: string; device?: string; description?: string; isSoftware?: boolean } | undefined): string {
  return a ? `${[a.vendor, a.architecture, a.device, a.description].filter(Boolean).join(' / ') || 'unnamed'}${a.isSoftware ? ' (software: correctness only, not GPU speed)' : ''}` : 'none (no GPU stage in use)';
}
