// The bench page's pure parts: its settings from the query string and its
// chart axes (the page itself runs in test/page.test.ts and page-build.test.ts).
import { describe, expect, it } from 'vitest';
import { fitLogRange, logTicks } from '../bench/page/chart.js';
import { PageConfigError, readConfig } from '../bench/page/config.js';

describe('bench page settings', () => {
  it('defaults to backend auto; the GPU verify sweep only on a hardware adapter', () => {
    expect(readConfig('', true)).toMatchObject({ backend: 'auto', gpuVerify: false, nobleMax: 4096 });
    expect(readConfig('', false)).toMatchObject({ backend: 'auto', gpuVerify: true });
    expect(readConfig('?gpuVerify=1&backend=cpu&nobleMax=0', true)).toMatchObject({ backend: 'cpu', gpuVerify: true, nobleMax: 0 });
  });

  it('refuses unknown keys and bad values, naming them', () => {
    expect(() => readConfig('?txs=5&tx=9', true)).toThrow(PageConfigError);
    expect(() => readConfig('?tx=9', true)).toThrow(/unknown query parameter \?tx/);
    expect(() => readConfig('?backend=gpu', true)).toThrow(/\?backend must be one of auto\|webgpu\|cpu/);
    expect(() => readConfig('?sizes=8,x', true)).toThrow(/\?sizes/);
  });
});

describe('bench page chart axes', () => {
  it('fits the range to the values with a small margin', () => {
    const [lo, hi] = fitLogRange([300, 15_000]);
    expect(lo).toBeLessThan(300);
    expect(lo).toBeGreaterThan(230);
    expect(hi).toBeGreaterThan(15_000);
    expect(hi).toBeLessThan(20_000);
    const [a, b] = fitLogRange([1000]);
    expect(a).toBeLessThan(1000);
    expect(b).toBeGreaterThan(1000);
  });

  it('puts at least three ticks inside the range, 1-2-5 where they fit', () => {
    expect(logTicks(230, 20_000)).toEqual([500, 1000, 2000, 5000, 10_000, 20_000]);
    expect(logTicks(140_000, 850_000)).toEqual([150_000, 200_000, 300_000, 500_000, 700_000]);
    for (const [lo, hi] of [[1000, 1400], fitLogRange([1000, 1010]), fitLogRange([7, 7.2])]) {
      const ticks = logTicks(lo, hi);
      expect(ticks.length, `${lo}..${hi}`).toBeGreaterThanOrEqual(3);
      expect(ticks.length, `${lo}..${hi}`).toBeLessThanOrEqual(11);
      for (const t of ticks) expect(t >= lo && t <= hi, `${t} in ${lo}..${hi}`).toBe(true);
    }
  });
});
