// A hand-drawn SVG line chart: throughput (log scale) against batch size
// (log scale), one line per stage and backend. No chart library.

export interface Series {
  label: string;
  color: string;
  dashed?: boolean;
  points: Array<{ x: number; y: number }>;
}

const SVG = 'http://www.w3.org/2000/svg';

function el(name: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

const fmt = (n: number): string => (n >= 1e6 ? `${+(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${+(n / 1e3).toFixed(1)}k` : `${+n.toFixed(1)}`);

export function drawChart(series: readonly Series[], opts: { width?: number; height?: number; xLabel: string; yLabel: string }): SVGSVGElement {
  const width = opts.width ?? 900;
  const height = opts.height ?? 380;
  const m = { left: 70, right: 190, top: 16, bottom: 46 };
  const pts = series.flatMap((s) => s.points).filter((p) => p.x > 0 && p.y > 0);
  const svg = el('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img' }) as SVGSVGElement;
  if (pts.length === 0) {
    svg.append(el('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle' }, 'no data'));
    return svg;
  }
  const lx = (v: number): number => Math.log10(v);
  let x0 = Math.floor(lx(Math.min(...pts.map((p) => p.x))) * 2) / 2;
  let x1 = Math.ceil(lx(Math.max(...pts.map((p) => p.x))) * 2) / 2;
  if (x1 <= x0) { x0 -= 0.5; x1 += 0.5; }
  let y0 = Math.floor(lx(Math.min(...pts.map((p) => p.y))));
  let y1 = Math.ceil(lx(Math.max(...pts.map((p) => p.y))));
  if (y1 <= y0) { y0 -= 1; y1 += 1; }
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const sx = (v: number): number => m.left + ((lx(v) - x0) / (x1 - x0)) * pw;
  const sy = (v: number): number => m.top + ph - ((lx(v) - y0) / (y1 - y0)) * ph;

  // Grid and ticks: decades on y, half-decades on x.
  for (let e = y0; e <= y1; e++) {
    const y = sy(10 ** e);
    svg.append(el('line', { x1: m.left, x2: m.left + pw, y1: y, y2: y, stroke: '#e6e8eb' }));
    svg.append(el('text', { x: m.left - 6, y: y + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#57606a' }, fmt(10 ** e)));
  }
  for (let e = x0; e <= x1 + 1e-9; e += 0.5) {
    const x = sx(10 ** e);
    svg.append(el('line', { x1: x, x2: x, y1: m.top, y2: m.top + ph, stroke: '#f0f1f3' }));
    svg.append(el('text', { x, y: m.top + ph + 16, 'text-anchor': 'middle', 'font-size': 11, fill: '#57606a' }, fmt(Math.round(10 ** e))));
  }
  svg.append(el('rect', { x: m.left, y: m.top, width: pw, height: ph, fill: 'none', stroke: '#8c959f' }));
  svg.append(el('text', { x: m.left + pw / 2, y: height - 8, 'text-anchor': 'middle', 'font-size': 12 }, opts.xLabel));
  const yl = el('text', { x: 16, y: m.top + ph / 2, 'text-anchor': 'middle', 'font-size': 12, transform: `rotate(-90 16 ${m.top + ph / 2})` }, opts.yLabel);
  svg.append(yl);

  series.forEach((s, i) => {
    const ps = s.points.filter((p) => p.x > 0 && p.y > 0).sort((a, b) => a.x - b.x);
    if (ps.length > 0) {
      svg.append(el('polyline', {
        points: ps.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' '),
        fill: 'none', stroke: s.color, 'stroke-width': 2, ...(s.dashed ? { 'stroke-dasharray': '6 4' } : {}),
      }));
      for (const p of ps) svg.append(el('circle', { cx: sx(p.x), cy: sy(p.y), r: 3, fill: s.color }));
    }
    const ly = m.top + 14 + i * 20;
    svg.append(el('line', { x1: m.left + pw + 14, x2: m.left + pw + 40, y1: ly - 4, y2: ly - 4, stroke: s.color, 'stroke-width': 2, ...(s.dashed ? { 'stroke-dasharray': '6 4' } : {}) }));
    svg.append(el('text', { x: m.left + pw + 46, y: ly, 'font-size': 12 }, s.label));
  });
  return svg;
}
