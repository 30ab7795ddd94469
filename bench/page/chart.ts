// A hand-drawn SVG line chart: one quantity (one unit) against batch size,
// both on log scales fitted to the data: the x ticks are the batch sizes
// measured, the y range spans the values with a small margin. No chart library.

export interface Series {
  label: string;
  color: string;
  dashed?: boolean;
  points: Array<{ x: number; y: number }>;
}

export interface ChartOptions {
  width?: number;
  height?: number;
  xLabel: string;
  /** The one unit of the y axis, e.g. "signatures per second". */
  yLabel: string;
}

const SVG = 'http://www.w3.org/2000/svg';

function el(name: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

export const compact = (n: number): string => (n >= 1e6 ? `${+(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${+(n / 1e3).toFixed(1)}k` : `${+n.toPrecision(3)}`);

/**
 * Ticks for a log axis over [lo, hi]: 1-2-5 steps of each decade, or finer
 * steps when that gives fewer than three, or round linear steps on a narrow range.
 */
export function logTicks(lo: number, hi: number): number[] {
  const pick = (mantissas: readonly number[]): number[] => {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      for (const m of mantissas) {
        const v = m * 10 ** e;
        if (v >= lo && v <= hi) out.push(v);
      }
    }
    return out;
  };
  const coarse = pick([1, 2, 5]);
  if (coarse.length >= 3) return coarse;
  const finer = pick([1, 1.5, 2, 3, 5, 7]);
  if (finer.length >= 3) return finer;
  // A narrow range: multiples of the largest 1-2-5 step that leaves four intervals (4 to 11 ticks).
  const raw = (hi - lo) / 4;
  const e = 10 ** Math.floor(Math.log10(raw));
  const step = [5, 2, 1].map((m) => m * e).find((s) => s <= raw) ?? e;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** [lo, hi] around the values with `margin` of the log span on each side (a single value gets ±√10). */
export function fitLogRange(values: readonly number[], margin = 0.06): [number, number] {
  const l0 = Math.log10(Math.min(...values));
  const l1 = Math.log10(Math.max(...values));
  const pad = l1 > l0 ? (l1 - l0) * margin : 0.5;
  return [10 ** (l0 - pad), 10 ** (l1 + pad)];
}

export function drawChart(series: readonly Series[], opts: ChartOptions): SVGSVGElement {
  const width = opts.width ?? 900;
  const height = opts.height ?? 260;
  const m = { left: 64, right: 200, top: 12, bottom: 42 };
  const pts = series.flatMap((s) => s.points).filter((p) => p.x > 0 && p.y > 0);
  const svg = el('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img' }) as SVGSVGElement;
  if (pts.length === 0) {
    svg.append(el('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle' }, 'no data'));
    return svg;
  }
  const xs = [...new Set(pts.map((p) => p.x))].sort((a, b) => a - b);
  const [x0, x1] = fitLogRange(xs, 0.04);
  const [y0, y1] = fitLogRange(pts.map((p) => p.y));
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const lx = Math.log10;
  const sx = (v: number): number => m.left + ((lx(v) - lx(x0)) / (lx(x1) - lx(x0))) * pw;
  const sy = (v: number): number => m.top + ph - ((lx(v) - lx(y0)) / (lx(y1) - lx(y0))) * ph;

  for (const v of logTicks(y0, y1)) {
    const y = sy(v);
    svg.append(el('line', { x1: m.left, x2: m.left + pw, y1: y, y2: y, stroke: '#e6e8eb' }));
    svg.append(el('text', { x: m.left - 6, y: y + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#57606a' }, compact(v)));
  }
  // x ticks: the batch sizes measured.
  for (const v of xs) {
    const x = sx(v);
    svg.append(el('line', { x1: x, x2: x, y1: m.top, y2: m.top + ph, stroke: '#f0f1f3' }));
    svg.append(el('text', { x, y: m.top + ph + 16, 'text-anchor': 'middle', 'font-size': 11, fill: '#57606a' }, compact(v)));
  }
  svg.append(el('rect', { x: m.left, y: m.top, width: pw, height: ph, fill: 'none', stroke: '#8c959f' }));
  svg.append(el('text', { x: m.left + pw / 2, y: height - 6, 'text-anchor': 'middle', 'font-size': 12 }, opts.xLabel));
  svg.append(el('text', { x: 14, y: m.top + ph / 2, 'text-anchor': 'middle', 'font-size': 12, transform: `rotate(-90 14 ${m.top + ph / 2})` }, opts.yLabel));

  series.forEach((s, i) => {
    const ps = s.points.filter((p) => p.x > 0 && p.y > 0).sort((a, b) => a.x - b.x);
    const dash: Record<string, string> = s.dashed ? { 'stroke-dasharray': '6 4' } : {};
    if (ps.length > 0) {
      svg.append(el('polyline', { points: ps.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' '), fill: 'none', stroke: s.color, 'stroke-width': 2, ...dash }));
      for (const p of ps) svg.append(el('circle', { cx: sx(p.x), cy: sy(p.y), r: 3, fill: s.color }));
    }
    const ly = m.top + 14 + i * 20;
    svg.append(el('line', { x1: m.left + pw + 14, x2: m.left + pw + 40, y1: ly - 4, y2: ly - 4, stroke: s.color, 'stroke-width': 2, ...dash }));
    svg.append(el('text', { x: m.left + pw + 46, y: ly, 'font-size': 12 }, s.label));
  });
  return svg;
}
