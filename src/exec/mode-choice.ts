// How the executor's 'auto' schedule picks a mode per block: by measuring
// each mode on the blocks it actually runs, not by a rule of thumb. Which
// mode wins depends on the machine (cores, caches, how busy they are) and on
// the workload (a hot account defeats the disjoint schedule, not the
// resolve-ahead one), and both change while a node runs.

import { median } from '../stats.js';

export type ParallelMode = 'resolve-ahead' | 'disjoint';
export type ExecutionMode = 'sequential' | ParallelMode;

/**
 * A parallel mode runs only while its median time per record is at most
 * this share of the sequential one: the bound is "never more than 10%
 * slower than sequential", and the margin keeps noise from choosing a mode
 * that is not really faster.
 */
export const PARALLEL_MARGIN = 0.9;
/** Blocks each mode runs before the first choice: the first warms it up, the median of the others decides. */
export const MEASURED_BLOCKS = 3;
/** See next(). */
const CLEAR_LOSS = 1.25;
/** Times kept per mode: the median of the last few follows a changing machine. */
const SAMPLES = 5;
/** One block in this many runs another mode, so a change of workload or machine load is noticed. */
export const PROBE_EVERY = 32;


export class ModeChooser {
  private readonly samples = new Map<ExecutionMode, number[]>();
  private readonly warm = new Set<ExecutionMode>();
  private blocks = 0;
  private probes = 0;

  /** `modes` starts with 'sequential', the mode that cannot lose to itself. */
  constructor(readonly modes: readonly ExecutionMode[]) {
    if (modes[0] !== 'sequential') throw new Error('ModeChooser: sequential comes first');
    for (const m of modes) this.samples.set(m, []);
  }

  /**
   * The mode of the next block. The first MEASURED_BLOCKS × modes blocks
   * take the modes in turn (interleaved, so a change of machine load hits
   * every mode alike); then the fastest by median, except one block in
   * PROBE_EVERY, which runs the others in turn.
   */
  next(): ExecutionMode {
    const b = this.blocks++;
    if (b < MEASURED_BLOCKS * this.modes.length) {
      const m = this.modes[b % this.modes.length];
      // A mode whose every block so far took CLEAR_LOSS × the best
      // sequential one is not measured further: each block of it costs.
      const seq = this.samples.get('sequential')!, xs = this.samples.get(m)!;
      if (m !== 'sequential' && xs.length > 0 && seq.length > 0 && Math.min(...xs) > CLEAR_LOSS * Math.min(...seq)) return 'sequential';
      return m;
    }
    const best = this.best();
    if (b % PROBE_EVERY === 0 && this.modes.length > 1) {
      const others = this.modes.filter((m) => m !== best);
      return others[this.probes++ % others.length];
    }
    return best;
  }

  /** The mode that measured fastest, a parallel one only by the margin. */
  best(): ExecutionMode {
    const seq = median(this.samples.get('sequential')!);
    let best: ExecutionMode = 'sequential', bestMs = Number.isFinite(seq) ? seq : Infinity;
    for (const m of this.modes) {
      if (m === 'sequential') continue;
      const xs = this.samples.get(m)!;
      if (xs.length === 0) continue;
      const ms = median(xs);
      if (ms <= PARALLEL_MARGIN * seq && ms < bestMs) { best = m; bestMs = ms; }
    }
    return best;
  }

  /**
   * A block's whole-block milliseconds per record. The first block of each
   * mode is not kept: it compiles that mode's code and, for a parallel mode,
   * attaches the helpers to the state (measured up to 2× a later block).
   */
  record(mode: ExecutionMode, msPerRecord: number): void {
    const xs = this.samples.get(mode);
    if (!xs) return;
    if (!this.warm.has(mode)) { this.warm.add(mode); return; }
    xs.push(msPerRecord);
    if (xs.length > SAMPLES) xs.shift();
  }

  /** The milliseconds per record measured for each mode so far (medians), for reports. */
  medians(): Partial<Record<ExecutionMode, number>> {
    const out: Partial<Record<ExecutionMode, number>> = {};
    for (const [m, xs] of this.samples) if (xs.length) out[m] = median(xs);
    return out;
  }
}
