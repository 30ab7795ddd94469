// The reason an error gives is the right one, on one bounded line.
import { describe, expect, it } from 'vitest';
import { fromHex } from '../src/hex.js';
import { parseVerifyInput } from '../src/cli/verify.js';
import { parseLeafFile } from '../src/cli/merkle.js';
import { decodeUtf8, firstInvalidUtf8, parseFlags } from '../src/cli/args.js';
import { PipelineClosedError } from '../src/pipeline/pipeline.js';
import { DestroyedError } from '../src/errors.js';

const enc = new TextEncoder();

describe('hex reasons', () => {
  it('whitespace, tabs, non-ASCII and U+FFFD are named, not called "odd number of hex digits"', () => {
    expect(() => fromHex('ab cd', 'k')).toThrow(/^k: not a hex digit \(a space\) at position 2$/);
    expect(() => fromHex('abcd\t', 'k')).toThrow(/^k: not a hex digit \(a tab\) at position 4$/);
    expect(() => fromHex('ab\u00e9', 'k')).toThrow(/^k: not a hex digit "é" \(U\+00E9, not ASCII\) at position 2$/);
    expect(() => fromHex('\ufffdab', 'k')).toThrow(/\(invalid UTF-8, U\+FFFD\) at position 0/);
    expect(() => fromHex('abc', 'k')).toThrow(/^k: odd number of hex digits \(3\)$/);
    expect(Array.from(fromHex('0aFf'))).toEqual([10, 255]);
  });

  it('verify lines: a tab inside a hex field is named with the line', () => {
    const good = { publicKey: '11'.repeat(32), signature: '22'.repeat(64), message: '' };
    const text = `${JSON.stringify(good)}\n${JSON.stringify({ ...good, message: 'ab\tcd' })}\n`;
    expect(() => parseVerifyInput(text, 'v.jsonl')).toThrow(/^v\.jsonl line 2: "message": not a hex digit \(a tab\) at position 2$/);
    expect(() => parseVerifyInput(`${JSON.stringify(good).slice(0, -1)}, "message": "00"}\n`, 'v.jsonl')).toThrow(/^v\.jsonl line 1: duplicate key "message" at line 1 column \d+$/);
    expect(() => parseVerifyInput(`${JSON.stringify({ ...good, note: 'x' })}\n`, 'v.jsonl')).toThrow(/^v\.jsonl line 1: unknown field "note"/);
  });

  it('leaf files: invalid UTF-8 and whitespace are named with the line', () => {
    expect(() => parseLeafFile(Uint8Array.from([0x30, 0x30, 0x0a, 0xff, 0x30, 0x0a]), 'l.txt')).toThrow(/^l\.txt line 2: not a hex digit \(byte 0xff, not ASCII: not UTF-8 either\) at position 0$/);
    expect(() => parseLeafFile(enc.encode('00\nab cd\n'), 'l.txt')).toThrow(/^l\.txt line 2: not a hex digit \(a space\) at position 2$/);
    expect(() => parseLeafFile(enc.encode('00\n\tab\n'), 'l.txt')).toThrow(/line 2: not a hex digit \(a tab\)/);
    expect(() => parseLeafFile(enc.encode('00\nabc\n'), 'l.txt')).toThrow(/line 2: odd number of hex digits \(3\)/);
  });

  it('text that is not UTF-8 names the byte and its offset', () => {
    expect(() => decodeUtf8(Uint8Array.from([0x61, 0x62, 0xc3, 0x28]), 'g.json')).toThrow(/^g\.json: not UTF-8 text \(byte 0xc3 at offset 2\)$/);
    expect(firstInvalidUtf8(enc.encode('héllo €𝄞'))).toBe(enc.encode('héllo €𝄞').length);
    expect(firstInvalidUtf8(Uint8Array.from([0xed, 0xa0, 0x80]))).toBe(0); // a surrogate
    expect(firstInvalidUtf8(Uint8Array.from([0x61, 0xf0, 0x9f]))).toBe(1); // truncated
  });
});

describe('bounded messages', () => {
  it('a flag value of 100,000 characters is quoted cut, with its length', () => {
    const flags = parseFlags(['--workers', '9'.repeat(100_000)], { values: ['workers'] });
    let message = '';
    try { flags.positiveInt('workers', 1); } catch (e) { message = (e as Error).message; }
    expect(message).toMatch(/\(100000 characters\)$/);
    expect(message.length).toBeLessThan(200);
  });

  it('null options are an InvalidArgumentError naming the argument', async () => {
    const { createVerifier } = await import('../src/ed25519/verifier.js');
    const { createMerkleHasher } = await import('../src/merkle/hasher.js');
    const { InvalidArgumentError } = await import('../src/errors.js');
    await expect(createVerifier(null as never)).rejects.toThrow(InvalidArgumentError);
    await expect(createVerifier(null as never)).rejects.toThrow(/^createVerifier\(options\): options must be an object, got null$/);
    await expect(createMerkleHasher(null as never)).rejects.toThrow(/^createMerkleHasher\(options\): options must be an object, got null$/);
  });

  it('a closed pipeline throws a DestroyedError, like every backend after destroy()', () => {
    expect(new PipelineClosedError('x')).toBeInstanceOf(DestroyedError);
  });
});
