import { describe, expect, it } from 'vitest';
import { checkFields, parseStrictJson, StrictJsonError } from '../src/json-strict.js';
import { mutate } from './support/fuzz.js';
import { oneLine, quoteForMessage } from '../src/errors.js';

describe('parseStrictJson', () => {
  it('parses what JSON.parse parses when no key repeats', () => {
    const text = '{"a": [1, {"b": "x\\"y", "c": {}}], "d": "{\\"a\\": 1, \\"a\\": 2}", "e": []}';
    expect(parseStrictJson(text)).toEqual(JSON.parse(text));
    expect(parseStrictJson('[{"a":1},{"a":2}]')).toEqual([{ a: 1 }, { a: 2 }]);
    expect(parseStrictJson('"text"')).toBe('text');
  });

  it('refuses a duplicate key, naming the key, line and input', () => {
    const text = '{"accounts": [\n  {"key": "aa", "balance": "1", "balance": "2"}\n]}';
    expect(() => parseStrictJson(text, { name: 'g.json' })).toThrow(StrictJsonError);
    expect(() => parseStrictJson(text, { name: 'g.json' })).toThrow(/^g\.json: duplicate key "balance" at line 2 column 33$/);
    expect(() => parseStrictJson('{"accounts": [], "accounts": []}', { name: 'g' })).toThrow(/duplicate key "accounts" at line 1/);
  });

  it('compares keys after unescaping, and counts lines from firstLine', () => {
    expect(() => parseStrictJson('{"a": 1, "\\u0061": 2}', { name: 'f line 7', firstLine: 7 })).toThrow(/duplicate key "a" at line 7 column 10/);
  });

  it('keys of sibling and nested objects are separate', () => {
    expect(parseStrictJson('{"a": {"a": {"a": 1}}, "b": [{"a": 1}, {"a": 2}]}')).toBeTruthy();
  });

  it('bounds the message of a huge key and of a parse error', () => {
    const key = 'k'.repeat(100_000);
    const e = (() => { try { parseStrictJson(`{"${key}": 1, "${key}": 2}`, { name: 'x' }); } catch (err) { return err as Error; } })()!;
    expect(e.message.length).toBeLessThan(300);
    expect(e.message).toContain('100000 characters');
    const bad = (() => { try { parseStrictJson(`{"a": ${'9'.repeat(100_000)}x}`, { name: 'x' }); } catch (err) { return err as Error; } })()!;
    expect(bad).toBeInstanceOf(StrictJsonError);
    expect(bad.message.length).toBeLessThan(300);
  });

  it('refuses more values than maxValues before parsing, commas inside strings not counted', () => {
    expect(() => parseStrictJson('[1,2,3,4]', { name: 'x', maxValues: 4 })).toThrow(/^x: more than 4 JSON values/);
    expect(parseStrictJson('[1,2,3]', { maxValues: 4 })).toEqual([1, 2, 3]);
    const tricky = String.raw`["a,b,c,d,e,f", "\\\",,,"]`; // a string holding a backslash, a quote and commas
    expect(parseStrictJson(tricky, { maxValues: 3 })).toEqual(JSON.parse(tricky));
    expect((JSON.parse(tricky) as string[])[1]).toBe('\\",,,');
  });

  it('deep nesting costs no stack', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    expect(() => parseStrictJson(deep)).not.toThrow();
    const deepObj = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    expect(() => parseStrictJson(deepObj)).not.toThrow();
  });

  it('agrees with JSON.parse on 5000 mutated documents, and finds every duplicate a reference finds', () => {
    const enc = new TextEncoder();
    const corpus = ['{"a": 1, "b": [true, null, {"c": "\\u0041"}]}', '{"key": "00ff", "balance": "12"}', '[{"x": {}}, {"x": []}]'].map((s) => enc.encode(s));
    const dec = new TextDecoder();
    let duplicates = 0;
    for (const c of mutate({ seed: 'json-strict', corpus, count: 5000, alphabet: enc.encode('{}[]",:ab1\\') })) {
      const text = dec.decode(c.input);
      let reference: unknown; let valid = true;
      try { reference = JSON.parse(text); } catch { valid = false; }
      let threw: Error | undefined;
      try { expect(parseStrictJson(text)).toEqual(reference); } catch (e) { threw = e as Error; }
      if (!valid) { expect(threw).toBeInstanceOf(StrictJsonError); continue; }
      if (threw) {
        const key = /duplicate key (".*") at line/.exec(threw.message)![1];
        expect(text.split(key).length).toBeGreaterThan(2); // the key is in the text twice
        duplicates++;
      }
    }
    expect(duplicates).toBeGreaterThan(0);
  });
});

describe('checkFields', () => {
  it('names an unknown field and the allowed ones', () => {
    expect(() => checkFields({ key: 1, nonce: 2 }, ['key', 'balance'], 'g: account 3')).toThrow(/^g: account 3: unknown field "nonce" \(expected "key", "balance"\)$/);
    expect(() => checkFields({ key: 1 }, ['key', 'balance'], 'g')).not.toThrow();
  });
});

describe('message helpers', () => {
  it('quote and cut', () => {
    expect(quoteForMessage('ab')).toBe('"ab"');
    expect(quoteForMessage('a'.repeat(100), 10)).toBe(`"${'a'.repeat(10)}"… (100 characters)`);
    expect(oneLine('a\nb')).toBe('a');
    expect(oneLine('x'.repeat(1000)).length).toBe(300);
  });
});
