import { describe, expect, it } from 'vitest';
import { createWorkerPool, splitRange } from '../src/pool/worker-pool.js';

describe('worker pool', () => {
  it('runs calls on every worker and shuts down', async () => {
    const pool = await createWorkerPool<{ sum(a: Uint32Array): number }>(new URL('./fixtures/echo-worker.ts', import.meta.url), 2);
    const sums = await Promise.all(pool.workers.map((w, i) => w.sum(new Uint32Array([i, 2, 3]))));
    expect(sums).toEqual([5, 6]);
    await pool.destroy();
  });

  it('splits ranges evenly and drops empty ones', () => {
    expect(splitRange(10, 3)).toEqual([[0, 3], [3, 6], [6, 10]]);
    expect(splitRange(2, 8)).toEqual([[0, 1], [1, 2]]);
    expect(splitRange(0, 4)).toEqual([]);
  });
});
