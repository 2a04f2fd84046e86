/**
 * Inline SVG line charts for report.html: no JS, no fonts or styles fetched, readable from
 * disk. Every string that reaches the SVG goes through escapeHtml.
 */
import { escapeHtml as h } from './escape.ts';

export interface ChartPoint {
  x: number;
  y: number;
  /** Shown on hover (SVG <title>), e.g. `probe after reload #3`. */
  label: string;
}

export interface ChartSeries {
  name: string;
  points: ChartPoint[];
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  series: ChartSeries[];
  formatY?: (y: number) => string;
  /** The values are counts: ticks at whole numbers only. @default false */
  integerY?: boolean;
  /** Start the y axis at 0 (counts); false zooms to the data (heap bytes). @default true */
  yFromZero?: boolean;
  /** @default 640 */
  width?: number;
  /** @default 260 */
  height?: number;
}

/** Colour-blind-safe (Okabe–Ito), assigned by series index. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'] as const;

export function seriesColor(i: number): string {
  return PALETTE[i % PALETTE.length] as string;
}

/** Round ticks from at or below min to at or above max, about 5 steps. */
export function niceTicks(min: number, max: number, integer = false): number[] {
  if (max <= min) return max <= 0 ? [0, 1] : [0, max];
  const rough = (max - min) / 5;
  const mag = 10 ** Math.floor(Math.log10(rough));
  let step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= rough) ?? 10) * mag;
  // Counts have no fractions: a step below 1, or of 2.5, would label ticks 0.2 or 7.5.
  if (integer) step = Math.max(1, step === 2.5 * mag ? 2 * mag : step);
  const ticks: number[] = [];
  for (let v = Math.floor(min / step) * step; v < max + step; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** Dash patterns by series index, so a line hidden under another (two clean profiles) still shows. */
const DASHES = ['', '6 3', '2 3', '8 3 2 3'] as const;

function defaultFormat(y: number): string {
  return Number.isInteger(y) ? String(y) : y.toPrecision(3);
}

export function lineChart(opts: LineChartOptions): string {
  const width = opts.width ?? 640;
  const height = opts.height ?? 260;
  const fmt = opts.formatY ?? defaultFormat;
  const legendStep = 140;
  const perRow = Math.max(1, Math.floor((width - 64) / legendStep));
  const legendRows = Math.max(1, Math.ceil(opts.series.length / perRow));
  const pad = { left: 64, right: 16, top: 30 + legendRows * 14, bottom: 40 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const all = opts.series.flatMap((s) => s.points);
  const maxX = Math.max(1, ...all.map((p) => p.x));
  const ys = all.map((p) => p.y);
  const yTicks = niceTicks(opts.yFromZero === false && ys.length ? Math.min(...ys) : 0, Math.max(0, ...ys), opts.integerY === true);
  const minY = yTicks[0] ?? 0;
  const maxY = yTicks[yTicks.length - 1] ?? 1;
  const sx = (x: number): number => pad.left + (x / maxX) * plotW;
  const sy = (y: number): number => pad.top + plotH - ((y - minY) / (maxY - minY)) * plotH;
  const r = (n: number): string => n.toFixed(1);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${h(opts.title)}">`,
    `<title>${h(opts.title)}</title>`,
    `<text x="${pad.left}" y="16" class="chart-title">${h(opts.title)}</text>`,
  ];
  for (const t of yTicks) {
    parts.push(
      `<line x1="${pad.left}" x2="${width - pad.right}" y1="${r(sy(t))}" y2="${r(sy(t))}" class="grid"/>`,
      `<text x="${pad.left - 6}" y="${r(sy(t) + 4)}" text-anchor="end" class="tick">${h(fmt(t))}</text>`,
    );
  }
  const xStep = Math.max(1, Math.ceil(maxX / 10));
  for (let x = 0; x <= maxX; x += xStep) {
    parts.push(`<text x="${r(sx(x))}" y="${height - pad.bottom + 16}" text-anchor="middle" class="tick">${x}</text>`);
  }
  parts.push(
    `<line x1="${pad.left}" x2="${width - pad.right}" y1="${r(sy(minY))}" y2="${r(sy(minY))}" class="axis"/>`,
    `<line x1="${pad.left}" x2="${pad.left}" y1="${pad.top}" y2="${r(sy(minY))}" class="axis"/>`,
    `<text x="${r(pad.left + plotW / 2)}" y="${height - 6}" text-anchor="middle" class="tick">${h(opts.xLabel)}</text>`,
  );
  opts.series.forEach((s, i) => {
    const color = seriesColor(i);
    const dash = DASHES[i % DASHES.length] as string;
    const dashAttr = dash ? ` stroke-dasharray="${dash}"` : '';
    const lx = pad.left + (i % perRow) * legendStep;
    const ly = 30 + Math.floor(i / perRow) * 14;
    parts.push(
      `<g class="legend"><line x1="${lx}" x2="${lx + 14}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="3"${dashAttr}/>`,
      `<text x="${lx + 16}" y="${ly}">${h(s.name)}</text></g>`,
    );
    if (s.points.length === 0) return;
    const d = s.points.map((p, j) => `${j === 0 ? 'M' : 'L'}${r(sx(p.x))},${r(sy(p.y))}`).join(' ');
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"${dashAttr}/>`);
    for (const p of s.points) {
      parts.push(`<circle cx="${r(sx(p.x))}" cy="${r(sy(p.y))}" r="3" fill="${color}"><title>${h(`${s.name} · ${p.label}: ${fmt(p.y)}`)}</title></circle>`);
    }
  });
  parts.push('</svg>');
  return parts.join('\n');
}
