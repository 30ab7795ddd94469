// ed25519 batch verification, valid signatures over 81-byte messages (the
// signed part of a docs/transactions.md transaction): WebGPU kernel vs the CPU backend
// (worker pool) vs single-thread node:crypto vs single-thread @noble/curves,
// on the same batches; verifies/s, median of several runs. Then the cost of
// the CPU backend's exact slow path (crafted invalid signatures under zip215).
// Prints a table and writes bench/out/verify.json.
//
//   npm run bench:verify -- [--min-log 8] [--max-log 18] [--runs 3] [--budget-s 150] [--rules zip215] [--keys 1024] [--backends gpu,pool,node,noble]
//                           [--old-kernel [--old-kernel-commit C]]
//
// --old-kernel adds the WGSL verifier as it was at COMMIT (from git
// history, bench/old-kernel.ts; default c4fe5be, the two-pass kernel before
// the register redesign) as one more backend, timed interleaved with the current one.
//
// Each backend stops at the first size whose predicted time for its runs
// passes --budget-s (SwiftShader and noble get there early); what was capped
// is printed and recorded.
import { invalidBatch, MESSAGE_BYTES, signers, validBatch } from './signatures.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { ed25519 } from '@noble/curves/ed25519.js';
import { acquireGpu, type GpuContext } from '../src/gpu/device.js';
import { RULE_SETS, batchItem, type RuleSet, type SignatureBatch } from '../src/ed25519/batch.js';
import { createCpuVerifier } from '../src/ed25519/cpu/backend.js';
import { loadNodeCrypto, verifyRange } from '../src/ed25519/cpu/engine.js';
import { verifyReference } from '../src/ed25519/reference.js';
import { ESTIMATED_U32_OPS_PER_VERIFY, createGpuVerifyKernel, type GpuVerifyKernel } from '../src/ed25519/gpu/kernel.js';
import { median } from '../src/stats.js';
import { benchFlags } from './flags.js';
import { BASELINE_KERNEL_COMMIT, loadKernelAt } from './old-kernel.js';

const flags = benchFlags({
  usage: `usage: npm run bench:verify -- [--min-log N] [--max-log N] [--runs N] [--budget-s S] [--rules R] [--keys N] [--backends LIST]
                              [--old-kernel [--old-kernel-commit C]]

ed25519 verification of valid signatures over 81-byte messages: the WebGPU
kernel, the CPU backend (worker pool), node:crypto and @noble/curves on one
thread, on the same batches, at sizes 2^min-log .. 2^max-log; verifies/s,
median of --runs. Prints a table and writes bench/out/verify.json.

  --min-log N      smallest batch, 2^N items (default 8)
  --max-log N      largest batch, 2^N items (default 18)
  --runs N         runs per size; the median is reported (default 3)
  --budget-s S     a backend stops at the first size predicted to pass S seconds (default 150)
  --rules R        zip215|ref10|solana (default zip215)
  --keys N         distinct signing keys (default 1024)
  --backends LIST  any of gpu,pool,node,noble, comma-separated (default all)
  --old-kernel     also time the WGSL verifier as it was at an earlier commit (from git
                   history), interleaved with the current one
  --old-kernel-commit C  that commit (default ${BASELINE_KERNEL_COMMIT}, the two-pass kernel before the register redesign)

Example (short): npm run bench:verify -- --max-log 10 --runs 1 --budget-s 5 --backends pool,node`,
  values: ['min-log', 'max-log', 'runs', 'budget-s', 'rules', 'keys', 'backends', 'old-kernel-commit'],
  switches: ['old-kernel'],
});
const minLog = flags.int('min-log', 8);
const maxLog = flags.int('max-log', 18);
const runs = flags.int('runs', 3);
const budgetS = flags.number('budget-s', 150);
const rules = flags.choice<RuleSet>('rules', RULE_SETS, 'zip215');
const distinctKeys = flags.int('keys', 1024);
/** Which backends to time: any of gpu, pool, node, noble (default all). */
const only = new Set(flags.text('backends', 'gpu,pool,node,noble').split(','));
for (const b of only) if (!['gpu', 'pool', 'node', 'noble'].includes(b)) { process.stderr.write(`bench/verify.ts: --backends: unknown backend ${JSON.stringify(b)} (gpu, pool, node, noble)\n`); process.exit(2); }
const oldKernelCommit = flags.has('old-kernel') ? flags.text('old-kernel-commit', BASELINE_KERNEL_COMMIT) : undefined;

// ---------------------------------------------------------------- backends

type Run = (batch: SignatureBatch) => Promise<Uint8Array> | Uint8Array;
interface Backend { name: string; rules: RuleSet; run: Run; capped?: string; lastPerItemMs?: number; note?: string }

const cores = os.availableParallelism?.() ?? os.cpus().length;
const machine = { cpu: os.cpus()[0]?.model ?? 'unknown', cores, node: process.version, openssl: process.versions.openssl };
console.log(`machine: ${machine.cpu}, ${cores} cores, node ${machine.node}, OpenSSL ${machine.openssl}`);

let ctx: GpuContext | undefined;
let gpuKernel: GpuVerifyKernel | undefined;
const opsPerVerify = `${ESTIMATED_U32_OPS_PER_VERIFY.toLocaleString('en-US')} (ESTIMATED_U32_OPS_PER_VERIFY)`;
if (only.has('gpu')) try {
  ctx = await acquireGpu();
  gpuKernel = createGpuVerifyKernel(ctx);
} catch (e) {
  console.log(`GPU: unavailable (${(e as Error).message})`);
}
const adapter = ctx ? { ...ctx.report } : undefined;
if (adapter) {
  console.log(`adapter: ${adapter.description || adapter.device} (${adapter.vendor}${adapter.isSoftware ? ', SOFTWARE: a CPU running the WGSL, not GPU speed' : ''})`);
}
console.log(`GPU kernel, estimated u32 operations per verify: ${opsPerVerify}`);

const pool = await createCpuVerifier({ workers: cores });
const nodeCrypto = await loadNodeCrypto();
const backends: Backend[] = [];
if (gpuKernel) { const k = gpuKernel; backends.push({ name: 'gpu', rules, run: (b) => k.verify(b, rules) }); }
let oldKernel: GpuVerifyKernel | undefined;
if (ctx && oldKernelCommit !== undefined) {
  const k = oldKernel = (await loadKernelAt(oldKernelCommit))(ctx);
  backends.push({ name: `gpu ${oldKernelCommit}`, rules, run: (b) => k.verify(b, rules) });
}
if (only.has('pool')) backends.push({ name: `cpu pool (${pool.workers} workers)`, rules, run: (b) => pool.verify(b, rules) });
if (only.has('node')) backends.push({
  name: 'node:crypto 1 thread', rules: 'ref10',
  // The pool workers' own loop on one thread: the same key import (JWK, ~10 µs,
  // not SPKI DER's ~110 µs) and the same per-thread key cache, so the pool's
  // speedup is over the same code, not over a slower import path. With
  // --keys (default 1024) below the batch size, keys are cached after the
  // warm-up run: this is the pre-imported ceiling of one thread.
  run: (b) => { const n = b.messageOffsets.length - 1; const out = new Uint8Array(n); verifyRange('node', nodeCrypto, b, 'ref10', 0, n, out); return out; },
});
if (only.has('noble')) backends.push({
  name: 'noble 1 thread', rules: 'zip215',
  run: (b) => Uint8Array.from({ length: b.messageOffsets.length - 1 }, (_, i) => {
    const it = batchItem(b, i);
    return ed25519.verify(it.signature, it.message, it.publicKey, { zip215: true }) ? 1 : 0;
  }),
});

console.log(`valid signatures, ${MESSAGE_BYTES}-byte messages, ${distinctKeys} distinct keys; rules: gpu/cpu pool ${rules}, node:crypto ref10, noble zip215`);
console.log(`median of ${runs} runs after one warm-up; budget ${budgetS} s per backend per size; "c" = CPU cores this process used (CPU time / wall)\n`);

const keys = signers(distinctKeys);
const rows: Array<Record<string, unknown>> = [];
const header = ['items', ...backends.map((b) => b.name)];
console.log(header.map((h, i) => (i === 0 ? h.padStart(8) : h.padStart(26))).join(' |'));
for (let k = minLog; k <= maxLog; k++) {
  const n = 2 ** k;
  const batch = validBatch(n, keys);
  const row: Record<string, unknown> = { items: n };
  const cells: string[] = [String(n).padStart(8)];
  const active: Backend[] = [];
  for (const b of backends) {
    // Predict from the last size; stop a backend once its runs would pass the budget.
    if (!b.capped && b.lastPerItemMs !== undefined && b.lastPerItemMs * n * (runs + 1) > budgetS * 1e3) {
      b.capped = `capped at ${n / 2} items (predicted ${(b.lastPerItemMs * n * (runs + 1) / 1e3).toFixed(0)} s for ${runs + 1} runs of ${n})`;
    }
    if (b.capped) continue;
    const warm = await b.run(batch);
    if (warm.length !== n || warm.some((v) => v !== 1)) throw new Error(`${b.name}: a valid signature was refused at n = ${n}`);
    active.push(b);
  }
  // Runs interleave backends, so a load that comes and goes on the machine
  // falls on all of them alike.
  // Also the CPU time this process (workers included) spent per run: cores
  // used = CPU time / wall time shows when other load took the cores.
  const times = new Map<Backend, number[]>(active.map((b) => [b, []]));
  const coresUsed = new Map<Backend, number[]>(active.map((b) => [b, []]));
  for (let r = 0; r < runs; r++) {
    for (const b of active) {
      const u0 = process.cpuUsage();
      const t = performance.now();
      await b.run(batch);
      const wall = performance.now() - t;
      const u = process.cpuUsage(u0);
      times.get(b)!.push(wall);
      coresUsed.get(b)!.push((u.user + u.system) / 1e3 / wall);
    }
  }
  for (const b of backends) {
    const ts = times.get(b);
    if (!ts) { cells.push('capped'.padStart(26)); row[b.name] = null; continue; }
    const ms = median(ts);
    b.lastPerItemMs = ms / n;
    const perS = n / (ms / 1e3);
    const cores = median(coresUsed.get(b)!);
    row[b.name] = { ms, verifiesPerS: perS, runsMs: ts, coresUsed: cores };
    cells.push(`${perS.toFixed(0).padStart(7)}/s ${ms.toFixed(0).padStart(7)} ms ${cores.toFixed(1)}c`);
  }
  rows.push(row);
  console.log(cells.join(' |'));
}
for (const b of backends) if (b.capped) console.log(`${b.name}: ${b.capped}`);

// ---------------------------------------------------------------- speedup and slow path

const poolName = `cpu pool (${pool.workers} workers)`;
const speedups = rows.flatMap((r) => {
  const p = r[poolName] as { verifiesPerS: number } | null;
  const s = r['node:crypto 1 thread'] as { verifiesPerS: number } | null;
  return p && s ? [{ items: r.items as number, poolOverNodeCrypto1: p.verifiesPerS / s.verifiesPerS }] : [];
});
console.log(`\ncpu pool / node:crypto 1 thread (valid): ${speedups.map((s) => `${s.items}: ${s.poolOverNodeCrypto1.toFixed(2)}×`).join(', ')}`);

// Crafted invalid signatures (S bit flipped): ref10 rejects them at OpenSSL
// speed; zip215 must run the exact cofactored check on each.
const slowN = 2048;
const bad = invalidBatch(validBatch(slowN, keys));
const slow: Record<string, { ms: number; verifiesPerS: number }> = {};
for (const r of RULE_SETS) {
  await pool.verify(bad, r);
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) { const t = performance.now(); const out = await pool.verify(bad, r); ts.push(performance.now() - t); if (out.some((v) => v !== 0)) throw new Error('an invalid signature was accepted'); }
  slow[r] = { ms: median(ts), verifiesPerS: slowN / (median(ts) / 1e3) };
}
// Single-thread cost of the exact path itself, for the record.
const exactTs: number[] = [];
for (let i = 0; i < 200; i++) { const it = batchItem(bad, i); const t = performance.now(); verifyReference(it, 'zip215'); exactTs.push(performance.now() - t); }
console.log(`invalid signatures (${slowN}, S bit flipped), cpu pool: ${RULE_SETS.map((r) => `${r} ${slow[r].verifiesPerS.toFixed(0)}/s`).join(', ')}; exact zip215 path ${median(exactTs).toFixed(2)} ms per item on 1 thread`);

mkdirSync(new URL('./out/', import.meta.url), { recursive: true });
writeFileSync(new URL('./out/verify.json', import.meta.url), JSON.stringify({
  date: new Date().toISOString(), machine, adapter: adapter ?? null,
  gpuEstimatedU32OpsPerVerify: opsPerVerify,
  messageBytes: MESSAGE_BYTES, distinctKeys, runs, budgetS,
  rules: Object.fromEntries(backends.map((b) => [b.name, b.rules])),
  rows, capped: Object.fromEntries(backends.filter((b) => b.capped).map((b) => [b.name, b.capped])),
  speedupCpuPoolOverNodeCrypto1: speedups,
  invalidSignatures: { items: slowN, cpuPool: slow, exactZip215PathMsPerItem1Thread: median(exactTs) },
}, null, 1));
console.log('\nwrote bench/out/verify.json');

await pool.destroy();
gpuKernel?.destroy();
oldKernel?.destroy();
ctx?.destroy();
process.exit(0);
