// `preexec run` (docs/cli.md) end to end on signed blocks: output == the docs/transactions.md
// model with node:crypto as the signature oracle, and bad input refused.
import { createPrivateKey, createPublicKey, sign, verify, createPublicKey as pub } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from './support/cli-run.js';
import { encodeSignedPart, serializeBlock } from '../src/tx/v1/index.js';
import { toHex } from '../src/hex.js';
import { Model, U64_MAX, oracleRoot } from './support/exec-model.js';
import { seededRandom } from '../src/exec/synthetic.js';

const PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI = Buffer.from('302a300506032b6570032100', 'hex');

function keyPair(i: number) {
  const seed = Buffer.alloc(32, i + 1);
  const priv = createPrivateKey({ key: Buffer.concat([PKCS8, seed]), format: 'der', type: 'pkcs8' });
  const publicKey = new Uint8Array(Buffer.from(createPublicKey(priv).export({ format: 'jwk' }).x as string, 'base64url'));
  return { priv, publicKey };
}

function signedTx(from: ReturnType<typeof keyPair>, to: Uint8Array, amount: bigint, nonce: bigint): Uint8Array {
  const msg = encodeSignedPart({ from: from.publicKey, to, amount, nonce });
  const out = new Uint8Array(145);
  out.set(new Uint8Array(sign(null, msg, from.priv)), 0);
  out.set(msg, 64);
  return out;
}

/** ref10 oracle (node's OpenSSL); these random signatures are judged alike by every rule set. */
function sigValid(rec: Uint8Array): boolean {
  const key = pub({ key: Buffer.concat([SPKI, rec.subarray(65, 97)]), format: 'der', type: 'spki' });
  return verify(null, rec.subarray(64), key, rec.subarray(0, 64));
}

const dir = mkdtempSync(join(tmpdir(), 'preexec-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Two blocks reaching every receipt code, including spending from an account created in the same block. */
function makeFixture() {
  const keys = Array.from({ length: 7 }, (_, i) => keyPair(i));
  const genesis = [
    { key: keys[0].publicKey, balance: 1_000_000n },
    { key: keys[1].publicKey, balance: U64_MAX - 10n },
    { key: keys[2].publicKey, balance: 500n },
    { key: keys[3].publicKey, balance: 0n },
  ];
  const model = new Model(genesis);
  const rnd = seededRandom(42);
  const blocks: Uint8Array[][] = [];
  const nonceOf = (k: Uint8Array) => model.find(k)?.nonce ?? 0n;
  for (let b = 0; b < 2; b++) {
    const recs: Uint8Array[] = [];
    const push = (r: Uint8Array) => { recs.push(r); model.apply(r, r.length === 145 && r[64] === 1 && sigValid(r)); };
    push(signedTx(keys[0], keys[4 + b].publicKey, 300n, nonceOf(keys[0].publicKey))); // creates key 4 / 5
    push(signedTx(keys[4 + b], keys[2].publicKey, 100n, 0n)); // spends from it at once
    push(signedTx(keys[6], keys[0].publicKey, 1n, 0n)); // unknown sender
    push(signedTx(keys[0], keys[1].publicKey, 11n, nonceOf(keys[0].publicKey))); // overflow at 2^64
    push(signedTx(keys[0], keys[1].publicKey, 10n, nonceOf(keys[0].publicKey))); // exactly 2^64 − 1
    push(signedTx(keys[3], keys[0].publicKey, 1n, 0n)); // insufficient funds
    push(signedTx(keys[2], keys[2].publicKey, 400n, nonceOf(keys[2].publicKey))); // self-transfer
    push(signedTx(keys[2], keys[0].publicKey, 5n, 99n)); // bad nonce
    const bad = signedTx(keys[0], keys[3].publicKey, 7n, nonceOf(keys[0].publicKey));
    bad[10] ^= 0x40; // bad signature
    push(bad);
    push(new Uint8Array(144)); // malformed: length
    const v2 = signedTx(keys[0], keys[3].publicKey, 7n, nonceOf(keys[0].publicKey));
    v2[64] = 2; // malformed: version
    push(v2);
    for (let i = 0; i < 30; i++) {
      const f = Math.floor(rnd() * 6), t = Math.floor(rnd() * 7);
      push(signedTx(keys[f], keys[t].publicKey, BigInt(Math.floor(rnd() * 200)), nonceOf(keys[f].publicKey)));
    }
    blocks.push(recs);
  }
  return { genesis, blocks, model };
}

const fx = makeFixture();
const genesisPath = join(dir, 'genesis.json');
writeFileSync(genesisPath, JSON.stringify({ accounts: fx.genesis.map((a) => ({ key: toHex(a.key), balance: a.balance.toString() })) }));
const blockPaths = fx.blocks.map((recs, b) => {
  const p = join(dir, `block-${b}.bin`);
  writeFileSync(p, serializeBlock(recs));
  return p;
});

const run = (argv: string[]) => runCommand('run', ...argv);

describe('preexec run', () => {
  const expectedRoot = toHex(oracleRoot(fx.model.leaves(), 48));
  const replay = new Model(fx.genesis);
  const expectedReceipts = fx.blocks.map((recs) => toHex(Uint8Array.from(recs.map((r) => replay.apply(r, r.length === 145 && r[64] === 1 && sigValid(r))))));

  it('the fixture reaches every receipt code', () => {
    const codes = new Set(expectedReceipts.join('').match(/../g));
    expect([...codes].sort()).toEqual(['00', '01', '02', '03', '04', '05', '06']);
  });

  it('--json: root and receipts equal the model, on the cpu backend with 1 and 2 workers', async () => {
    for (const workers of ['1', '2']) {
      const r = await run(['--genesis', genesisPath, ...blockPaths.flatMap((p) => ['--block', p]), '--backend', 'cpu', '--workers', workers, '--json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.stateRoot).toBe(expectedRoot);
      expect(out.receipts).toEqual(expectedReceipts);
      expect(out.backend).toBe('cpu');
      expect(out.accounts).toBe(fx.model.accounts.length);
      expect(out.transactions).toBe(fx.blocks[0].length + fx.blocks[1].length);
      expect(out.rules).toBe('zip215');
    }
  });

  it('human output names every block and the root; --rules is honoured', async () => {
    const r = await run(['--genesis', genesisPath, '--block', blockPaths[0], '--block', blockPaths[1], '--backend', 'cpu', '--rules', 'ref10']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`state root ${expectedRoot}`);
    expect(r.stdout).toMatch(/block 0 .*41 transactions: .*OK.*MALFORMED/);
    expect(r.stdout).toMatch(/block 1 /);
    expect(r.stdout).toContain('ref10');
  });

  it('the same blocks one at a time give the intermediate state; an empty block file is a block of 0', async () => {
    const empty = join(dir, 'empty.bin');
    writeFileSync(empty, new Uint8Array(0));
    const r = await run(['--genesis', genesisPath, '--block', empty, '--block', blockPaths[0], '--block', blockPaths[1], '--backend', 'cpu', '--json']);
    const out = JSON.parse(r.stdout);
    expect(out.receipts).toEqual(['', ...expectedReceipts]);
    expect(out.stateRoot).toBe(expectedRoot);
  });

  const bad: Array<[string, () => string[], RegExp]> = [
    ['a missing genesis file', () => ['--genesis', join(dir, 'nope.json'), '--block', blockPaths[0]], /--genesis .*nope\.json: no such file/],
    ['a missing block file', () => ['--genesis', genesisPath, '--block', join(dir, 'nope.bin')], /--block .*nope\.bin: no such file/],
    ['a truncated block', () => {
      const p = join(dir, 'truncated.bin');
      const whole = serializeBlock(fx.blocks[0]);
      writeFileSync(p, whole.subarray(0, whole.length - 3));
      return ['--genesis', genesisPath, '--block', blockPaths[0], '--block', p];
    }, /truncated\.bin: record 40 at byte \d+ declares 145 bytes but the file ends after 142/],
    ['a genesis with a duplicate key', () => {
      const p = join(dir, 'dup.json');
      const k = toHex(fx.genesis[1].key);
      writeFileSync(p, JSON.stringify({ accounts: [{ key: toHex(fx.genesis[0].key), balance: '1' }, { key: k, balance: '2' }, { key: k.toUpperCase(), balance: '3' }] }));
      return ['--genesis', p, '--block', blockPaths[0]];
    }, /duplicate key [0-9a-f]{64} at accounts 1 and 2/],
    ['a balance above u64', () => {
      const p = join(dir, 'big.json');
      writeFileSync(p, JSON.stringify({ accounts: [{ key: toHex(fx.genesis[0].key), balance: (U64_MAX + 1n).toString() }] }));
      return ['--genesis', p, '--block', blockPaths[0]];
    }, /account 0: balance 18446744073709551616 is outside u64/],
    ['no --block', () => ['--genesis', genesisPath], /missing --block/],
    ['an unknown rule set', () => ['--genesis', genesisPath, '--block', blockPaths[0], '--rules', 'lax'], /--rules must be one of/],
    ['a bad worker count', () => ['--genesis', genesisPath, '--block', blockPaths[0], '--workers', '0'], /--workers must be a positive integer/],
  ];
  for (const [what, args, message] of bad) {
    it(`refuses ${what}: one line on stderr, exit 2, nothing on stdout`, async () => {
      const r = await run([...args(), '--json']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    });
  }

  it('runs as a real process (node --import tsx src/cli.ts)', async () => {
    const args = ['--import', 'tsx', 'src/cli.ts', 'run', '--genesis', genesisPath, '--block', blockPaths[0], '--block', blockPaths[1], '--backend', 'cpu', '--workers', '2', '--json'];
    const { stdout, code } = await new Promise<{ stdout: string; code: number }>((resolve) => {
      execFile(process.execPath, args, { cwd: join(import.meta.dirname, '..') }, (err, out) => resolve({ stdout: out, code: err ? (err.code as number) ?? 1 : 0 }));
    });
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.stateRoot).toBe(expectedRoot);
    expect(out.receipts).toEqual(expectedReceipts);
    const failed = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'run', '--genesis', join(dir, 'nope.json'), '--block', blockPaths[0]], { cwd: join(import.meta.dirname, '..') },
        (err, o, e) => resolve({ code: (err?.code as number) ?? 0, stdout: o, stderr: e }));
    });
    expect(failed.code).toBe(2);
    expect(failed.stdout).toBe('');
    expect(failed.stderr.trim().split('\n')).toHaveLength(1);
  });
});
