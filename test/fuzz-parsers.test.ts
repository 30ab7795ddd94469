// Every parser of an untrusted input, fuzzed with seeded mutations
// (test/support/fuzz.ts), at least 5,000 inputs each per run. Each input
// either fails with the parser's own error class and a one-line reason, or
// parses to what an independent reference reads from the same bytes. A crash
// (TypeError, RangeError from V8), a hang (the test's timeout) or a wrong
// parse fails the run, naming the seed and the case.
import { describe, expect, it } from 'vitest';
import { expectCleanOutcome, mutate } from './support/fuzz.js';
import { BlockFormatError, parseBlock, serializeBlock, TX_SIZE } from '../src/tx/v1/index.js';
import { decodeBlock } from '../src/exec/decode.js';
import { GenesisFormatError, parseGenesis } from '../src/state/genesis.js';
import { parseVerifyInput, VerifyInputFormatError } from '../src/cli/verify.js';
import { LeafFileFormatError, parseLeafFile } from '../src/cli/merkle.js';
import { decodeUtf8, InputEncodingError } from '../src/cli/args.js';
import { ResourceLimitError } from '../src/errors.js';
import { fromHex, toHex } from '../src/hex.js';
import { genesisToJson } from '../src/workload/files.js';
import { generateWorkload } from '../src/workload/generate.js';
import { nodeSigner } from '../src/workload/signer-node.js';
import { blockToFile } from '../src/workload/files.js';
import { validCases } from './support/ed25519-cases.js';

const COUNT = 5000;
const enc = new TextEncoder();
const latin1 = new TextDecoder('latin1');

describe('parser fuzzing (5,000 seeded mutations per parser)', () => {
  it('block files (parseBlock + decodeBlock): clean BlockFormatError, or records that re-serialise to the same bytes', async () => {
    const w = await generateWorkload({ workload: 'uniform', accounts: 8, txsPerBlock: 6, blocks: 2, seed: 3 }, { signer: nodeSigner });
    const tx = w.blocks[0].bytes.subarray(0, TX_SIZE);
    const corpus = [
      ...w.blocks.map(blockToFile),
      serializeBlock([tx, new Uint8Array(0), tx.subarray(0, 100), Uint8Array.from(tx, (b, i) => (i === 64 ? 2 : b))]),
      new Uint8Array(0),
    ];
    let parsed = 0;
    for (const c of mutate({ seed: 'block', corpus, count: COUNT, maxLength: 2048 })) {
      const r = expectCleanOutcome(() => parseBlock(c.input, 'b.bin'), (e) => e instanceof BlockFormatError || e instanceof ResourceLimitError, c, 'block');
      if (!r.ok) { expect(r.error.message.startsWith('b.bin: ')).toBe(true); continue; }
      parsed++;
      const records = Array.from({ length: r.value.count }, (_, i) => r.value.bytes.subarray(r.value.offsets[i], r.value.offsets[i + 1]));
      expect(toHex(serializeBlock(records)), `case ${c.index}`).toBe(toHex(c.input));
      const d = decodeBlock(r.value); // never throws on a parsed block
      const wellFormed = records.filter((rec) => rec.length === TX_SIZE && rec[64] === 1).length;
      expect(d.batch.messageOffsets.length - 1).toBe(wellFormed);
    }
    expect(parsed).toBeGreaterThan(100); // the run reached both outcomes
  }, 60_000);

  it('genesis (UTF-8 decode + strict JSON + accounts): clean error, or the accounts JSON.parse reads', () => {
    const key = (b: number) => toHex(new Uint8Array(32).fill(b));
    const corpus = [
      genesisToJson([{ key: new Uint8Array(32).fill(1), balance: 5n }, { key: new Uint8Array(32).fill(0xab), balance: 18446744073709551615n }]),
      '{"accounts": []}',
      `{"accounts": [{"key": "${key(2)}", "balance": "0"}, {"balance": "7", "key": "${key(3).toUpperCase()}"}]}`,
    ].map((s) => enc.encode(s));
    let parsed = 0;
    for (const c of mutate({ seed: 'genesis', corpus, count: COUNT, alphabet: enc.encode('{}[]",:0123456789abcdefABCDEF \\u') })) {
      const r = expectCleanOutcome(() => parseGenesis(decodeUtf8(c.input, 'g.json'), 'g.json'),
        (e) => e instanceof GenesisFormatError || e instanceof InputEncodingError, c, 'genesis');
      if (!r.ok) { expect(r.error.message.startsWith('g.json: ')).toBe(true); continue; }
      parsed++;
      const doc = JSON.parse(new TextDecoder().decode(c.input)) as { accounts: Array<{ key: string; balance: string }> };
      expect(Object.keys(doc)).toEqual(['accounts']);
      expect(r.value.map((a) => [toHex(a.key), a.balance])).toEqual(doc.accounts.map((a) => [a.key.toLowerCase(), BigInt(a.balance)]));
      expect(new Set(r.value.map((a) => toHex(a.key))).size).toBe(r.value.length);
    }
    expect(parsed).toBeGreaterThan(50);
  }, 60_000);

  it('verify JSON lines: clean VerifyInputFormatError, or the fields JSON.parse reads, line by line', () => {
    const line = (c: { publicKey: Uint8Array; signature: Uint8Array; message: Uint8Array }) => JSON.stringify({ publicKey: toHex(c.publicKey), signature: toHex(c.signature), message: toHex(c.message) });
    const cases = validCases(3, 5, { messageLengths: [0, 3, 17] });
    const corpus = [
      cases.map(line).join('\n') + '\n',
      `${line(cases[0])}\r\n${line(cases[1])}`,
      '',
    ].map((s) => enc.encode(s));
    let parsed = 0;
    for (const c of mutate({ seed: 'verify-jsonl', corpus, count: COUNT, alphabet: enc.encode('{}",:\n\r 0123456789abcdef') })) {
      const r = expectCleanOutcome(() => parseVerifyInput(decodeUtf8(c.input, 'v.jsonl'), 'v.jsonl'),
        (e) => e instanceof VerifyInputFormatError || e instanceof InputEncodingError, c, 'verify-jsonl');
      if (!r.ok) { expect(r.error.message.startsWith('v.jsonl')).toBe(true); continue; }
      parsed++;
      const lines = new TextDecoder().decode(c.input).split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      expect(r.value.length).toBe(lines.length);
      r.value.forEach((item, i) => {
        const o = JSON.parse(lines[i]) as Record<string, string>;
        expect(Object.keys(o).sort()).toEqual(['message', 'publicKey', 'signature']);
        expect(toHex(item.publicKey)).toBe(toHex(fromHex(o.publicKey)));
        expect(toHex(item.signature)).toBe(toHex(fromHex(o.signature)));
        expect(toHex(item.message)).toBe(toHex(fromHex(o.message)));
      });
    }
    expect(parsed).toBeGreaterThan(50);
  }, 60_000);

  it('merkle leaf files: clean LeafFileFormatError, or the leaves a line-by-line regex reference reads', () => {
    const corpus = ['00\n0102\nabcdef\n', 'FF\r\n\r\n00\n', '\n', '', '0a0b0c0d0e0f\n10'].map((s) => enc.encode(s));
    let parsed = 0;
    for (const c of mutate({ seed: 'merkle-lines', corpus, count: COUNT, alphabet: enc.encode('0123456789abcdefABCDEF\n\r \tg') })) {
      const r = expectCleanOutcome(() => parseLeafFile(c.input, 'l.txt'), (e) => e instanceof LeafFileFormatError || e instanceof ResourceLimitError, c, 'merkle-lines');
      // The reference: the file as one byte per character, split on LF, one optional CR stripped, an even run of hex digits per line.
      const lines = latin1.decode(c.input).split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      const stripped = lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
      const ok = stripped.every((l) => /^(?:[0-9a-fA-F]{2})*$/.test(l));
      expect(r.ok, `case ${c.index}: ${r.ok ? 'parsed' : r.error.message}`).toBe(ok);
      if (!r.ok) { expect(r.error.message).toMatch(/^l\.txt line \d+: /); continue; }
      parsed++;
      const { data, offsets } = r.value;
      expect(offsets.length - 1).toBe(stripped.length);
      stripped.forEach((l, i) => expect(toHex(data.subarray(offsets[i], offsets[i + 1]))).toBe(l.toLowerCase()));
    }
    expect(parsed).toBeGreaterThan(100);
  }, 60_000);
});
