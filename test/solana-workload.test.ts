// `gen --workload solana`: deterministic per seed, the shares it promises,
// every packet readable by @solana/kit, and the stage gives each line
// exactly the reason the generator meant (valid, duplicate, bad_signature).
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { getCompiledTransactionMessageDecoder, getTransactionDecoder } from '@solana/kit';
import { afterAll, describe, expect, it } from 'vitest';
import { runArgv } from './support/cli-run.js';
import { lookupTablesToMap, packetsToBase64Lines, lookupTablesToJson } from '../src/cli/gen-solana.js';
import { toHex } from '../src/hex.js';
import { createSolanaStage } from '../src/solana/stage.js';
import { base58Encode } from '../src/tx/solana/base58.js';
import { LAYOUT_FIELDS, decodeSolanaTransaction, scanSolanaTransaction } from '../src/tx/solana/decode.js';
import { AccountLockResolver } from '../src/tx/solana/locks.js';
import { nodeSigner } from '../src/workload/signer-node.js';
import { nobleSigner } from '../src/workload/signer-noble.js';
import { SOLANA_WORKLOAD_DEFAULTS, generateSolanaWorkload, type SolanaWorkload, type SolanaWorkloadSpec } from '../src/workload/solana.js';

const spec = (over: Partial<SolanaWorkloadSpec> = {}): SolanaWorkloadSpec => ({ ...SOLANA_WORKLOAD_DEFAULTS, txs: 600, accounts: 64, seed: 5, ...over });
const digest = (w: SolanaWorkload) => toHex(sha256(new TextEncoder().encode(packetsToBase64Lines(w.packets) + lookupTablesToJson(w.lookupTables))));

const run = runArgv;

const dirs: string[] = [];
afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

describe('solana workload', () => {
  it('same seed, same bytes (node:crypto and noble alike); another seed, other bytes', async () => {
    const a = await generateSolanaWorkload(spec({ txs: 120 }), { signer: nodeSigner });
    const b = await generateSolanaWorkload(spec({ txs: 120 }), { signer: nobleSigner });
    const c = await generateSolanaWorkload(spec({ txs: 120, seed: 6 }), { signer: nodeSigner });
    expect(digest(b)).toBe(digest(a));
    expect(digest(c)).not.toBe(digest(a));
    expect(a.intended).toEqual(b.intended);
  });

  it('has the promised mix, and the stage gives every line the reason the generator meant', async () => {
    const w = await generateSolanaWorkload(spec({ txs: 1500 }), { signer: nodeSigner });
    const n = w.packets.length;
    const c = w.counts;
    const generated = n - c.duplicate;
    expect(c.legacy + c.v0).toBe(generated);
    expect(c.v0 / generated).toBeGreaterThan(0.18);
    expect(c.v0 / generated).toBeLessThan(0.32);
    expect(c.multiSigner / generated).toBeGreaterThan(0.05);
    expect(c.otherProgram / generated).toBeGreaterThan(0.1);
    expect(c.hot / generated).toBeGreaterThan(0.14);
    expect(c.duplicate).toBeGreaterThan(10);
    expect(c.badSignature).toBeGreaterThan(3);
    expect(c.signatures).toBe(w.signatureCounts.reduce((s, x) => s + x, 0));

    const txDecoder = getTransactionDecoder();
    const msgDecoder = getCompiledTransactionMessageDecoder();
    const signerCounts = new Set<number>();
    let lookups = 0;
    const programs = new Set<string>();
    for (const p of w.packets) {
      expect(p.length).toBeLessThanOrEqual(1232);
      const kit = msgDecoder.decode(txDecoder.decode(p).messageBytes);
      const ours = decodeSolanaTransaction(p);
      if (!ours.ok) throw new Error(ours.detail);
      expect(ours.tx.staticKeys.map(base58Encode)).toEqual(kit.staticAccounts);
      signerCounts.add(ours.tx.header.numRequiredSignatures);
      lookups += ours.tx.lookups.length;
      for (const ix of ours.tx.instructions) programs.add(base58Encode(ours.tx.staticKeys[ix.programIdIndex]));
    }
    expect([...signerCounts].sort()).toEqual([1, 2, 3, 4]);
    expect(lookups).toBeGreaterThan(c.v0 / 2);
    expect(programs.has('11111111111111111111111111111111')).toBe(true);
    expect(programs.has('ComputeBudget111111111111111111111111111111')).toBe(true);
    expect(programs.size).toBe(3);

    // Popular accounts make conflict chains: the busiest written account is written by many lines.
    const resolver = new AccountLockResolver(lookupTablesToMap(w.lookupTables));
    const writers = new Map<number, number>();
    resolver.reset();
    for (const p of w.packets) {
      const layout = new Int32Array(LAYOUT_FIELDS);
      expect(scanSolanaTransaction(p, layout, 0)).toBe(0);
      const start = resolver.length;
      expect(resolver.resolve(p, layout, 0)).toBe(0);
      for (let i = start; i < resolver.length; i++) {
        const lock = resolver.locks[i];
        if (lock & 1) writers.set(lock >> 1, (writers.get(lock >> 1) ?? 0) + 1);
      }
    }
    expect(Math.max(...writers.values()) / n).toBeGreaterThan(0.05);

    const stage = await createSolanaStage({ backend: 'cpu', workers: 2, lookupTables: lookupTablesToMap(w.lookupTables) });
    try {
      const r = await stage.process(w.packets);
      expect(r.reasons).toEqual(w.intended);
      expect(r.signatures).toBe(w.packets.reduce((s, p, i) => s + (w.intended[i] === 'duplicate' ? 0 : p[0]), 0));
      // Chains: more levels than the valid lines alone would need.
      expect(r.batches.length).toBeGreaterThan(Math.ceil((n - c.duplicate - c.badSignature) / 64));
    } finally {
      await stage.close();
    }
  });

  it('preexec gen --workload solana writes packets.b64 and lookup-tables.json; bad flags are usage errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'soltools-gen-'));
    dirs.push(dir);
    const out = join(dir, 'w');
    const r = await run(['gen', '--out', out, '--workload', 'solana', '--txs', '200', '--accounts', '32', '--seed', '9', '--v0', '50', '--duplicates', '0', '--bad-sigs', '0', '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    expect(summary.files).toEqual(['packets.b64', 'lookup-tables.json']);
    expect(summary.transactions).toBe(200);
    expect(summary.intended).toEqual({ valid: 200, duplicate: 0, badSignature: 0 });
    expect((await readdir(out)).sort()).toEqual(['lookup-tables.json', 'packets.b64']);
    const text = await readFile(join(out, 'packets.b64'), 'utf8');
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.length).toBe(200);
    for (const l of lines) expect(l).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    const same = await generateSolanaWorkload(spec({ txs: 200, accounts: 32, seed: 9, v0Share: 0.5, duplicateShare: 0, badSignatureShare: 0 }), { signer: nodeSigner });
    expect(text).toBe(packetsToBase64Lines(same.packets));
    const tables = JSON.parse(await readFile(join(out, 'lookup-tables.json'), 'utf8')) as Record<string, string[]>;
    expect(Object.keys(tables).length).toBe(4);
    for (const [k, v] of Object.entries(tables)) {
      expect(k).toMatch(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/);
      expect(v.length).toBeGreaterThan(0);
      expect(v.length).toBeLessThanOrEqual(256);
    }
    for (const [argv, msg] of [
      [['--v0', '101'], /--v0 must be a percentage/],
      [['--hot', 'x'], /--hot must be a percentage/],
      [['--blocks', '2'], /--blocks does not apply/],
      [['--accounts', '3'], /--accounts must be a whole number in \[4,/],
      [['--hot-accounts', '0'], /--hot-accounts/],
    ] as const) {
      const bad = await run(['gen', '--out', join(dir, 'bad'), '--workload', 'solana', ...argv]);
      expect([bad.code, bad.out]).toEqual([2, '']);
      expect(bad.err).toMatch(msg);
    }
    const wrong = await run(['gen', '--out', join(dir, 'bad'), '--workload', 'uniform', '--duplicates', '5']);
    expect([wrong.code, wrong.out]).toEqual([2, '']);
    expect(wrong.err).toMatch(/--duplicates applies only to --workload solana/);
  });
});
