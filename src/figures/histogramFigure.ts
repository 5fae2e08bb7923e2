import { axisBottom, axisLeft, format, line, max, scaleLinear, scaleLog, select, type ScaleContinuousNumeric, type Selection } from 'd3';
import type { Histogram, LayerRecord, PatternResult } from '../metrics/results.js';
import { ACTIVATIONS } from '../theory/activations.js';
import { sig4 } from '../metrics/summary.js';
import { powerOfTenLabel, powerOfTenTicks } from './powerOfTenTicks.js';
import { svgRoot, type FigureContext } from './svgRoot.js';
import { A_COLOR, GRID, INK, LABEL_SIZE, MUTED, TICK_SIZE, twoLines, Z_COLOR } from './theme.js';
import { wrapLines } from './wrapLines.js';

const PANEL_W = 480, PANEL_H = 250;
const PAD = { left: 62, right: 16, top: 34, bottom: 40 };
const OUTER = 12;
const countFormat = format('~s');
/** One number format for every panel's value axis: the shortest that shows the value (−0.2, 0.0015, 4). */
const tickFormat = (v: unknown) => format('~g')(Number(v));

export interface HistogramOptions {
  /** A log count axis (so the tails and the rare bins show). */
  logCounts?: boolean;
}

function panel(
  g: Selection<SVGGElement, unknown, null, undefined>,
  panelW: number,
  hist: Histogram,
  title: string,
  xLabel: string,
  color: string,
  note: string,
  logCounts: boolean,
): void {
  const w = panelW - PAD.left - PAD.right, h = PANEL_H - PAD.top - PAD.bottom;
  const edges = hist.edges, counts = hist.counts;
  if (counts.length === 0) {
    g.append('text').attr('x', panelW / 2).attr('y', 20).attr('text-anchor', 'middle').attr('font-size', LABEL_SIZE + 0.5).attr('xml:space', 'preserve').text(title);
    g.append('text').attr('class', 'no-histogram').attr('x', panelW / 2).attr('y', PANEL_H / 2).attr('text-anchor', 'middle').attr('font-size', LABEL_SIZE).attr('fill', MUTED)
      .text('no histogram: the values left the float32 range (overflow)');
    return;
  }
  const x = scaleLinear().domain([edges[0], edges[edges.length - 1]]).range([0, w]);
  // headroom: the tallest bar or expected count sits below the frame, with its dashed line whole
  const expectedPeak = max((hist.expected ?? []).filter((c) => Number.isFinite(c))) ?? 0;
  const top = Math.max(1, max(counts) ?? 1, expectedPeak) * (logCounts ? 1.5 : 1.08);
  let y: ScaleContinuousNumeric<number, number>, yTicks: number[], yFormat: (v: number) => string;
  if (logCounts) {
    y = scaleLog().domain([0.8, 10 ** Math.ceil(Math.log10(top))]).range([h, 0]).clamp(true);
    yTicks = powerOfTenTicks(1, 10 ** Math.ceil(Math.log10(top)), 6);
    yFormat = powerOfTenLabel;
  } else {
    y = scaleLinear().domain([0, top]).nice().range([h, 0]);
    yTicks = y.ticks(5);
    yFormat = (v) => countFormat(v);
  }
  // a phone's panel breaks its title in two
  const titleLines = twoLines(title, panelW - 8, LABEL_SIZE + 0.5);
  titleLines.forEach((text, i) => g.append('text').attr('x', panelW / 2).attr('y', titleLines.length === 1 ? 20 : 11 + 14 * i).attr('text-anchor', 'middle').attr('font-size', LABEL_SIZE + 0.5)
    .attr('xml:space', 'preserve').text(text));
  const plot = g.append('g').attr('transform', `translate(${PAD.left},${PAD.top})`);
  const grid = plot.append('g').attr('stroke', GRID);
  const xTicks = x.ticks(6);
  for (const t of yTicks) grid.append('line').attr('x1', 0).attr('x2', w).attr('y1', y(t)).attr('y2', y(t));
  for (const t of xTicks) grid.append('line').attr('x1', x(t)).attr('x2', x(t)).attr('y1', 0).attr('y2', h);
  const bars = plot.append('g').attr('fill', color).attr('class', 'bars');
  counts.forEach((c, i) => {
    const x0 = x(edges[i]), x1 = x(edges[i + 1]);
    const y0 = logCounts && c === 0 ? h : y(c);
    bars.append('rect').attr('x', x0).attr('width', Math.max(0.5, x1 - x0 - 0.4)).attr('y', y0).attr('height', h - y0);
  });
  if (hist.expected) {
    // the analytic law's counts per bin and point masses (src/predictions/attachPredictions.ts)
    const expected = hist.expected;
    const steps = expected.flatMap((c, i) => [{ v: edges[i], c }, { v: edges[i + 1], c }]);
    const curve = line<{ v: number; c: number }>().defined((p) => Number.isFinite(p.c) && (!logCounts || p.c >= 0.8)).x((p) => x(p.v)).y((p) => y(p.c));
    plot.append('path').attr('class', 'density').attr('d', curve(steps) ?? '').attr('fill', 'none').attr('stroke', INK).attr('stroke-width', 1.3).attr('stroke-dasharray', '5,3');
    for (const atom of hist.atoms ?? []) {
      if (atom.at < edges[0] || atom.at > edges[edges.length - 1]) continue;
      const cx = x(atom.at), cy = y(Math.min(atom.count, top));
      plot.append('path').attr('class', 'atom').attr('d', `M${cx},${cy - 6}L${cx + 6},${cy}L${cx},${cy + 6}L${cx - 6},${cy}Z`).attr('fill', 'white').attr('stroke', INK).attr('stroke-width', 1.4);
      plot.append('text').attr('x', cx + 10).attr('y', cy + 4).attr('font-size', TICK_SIZE).attr('fill', INK).text(`P(a = ${atom.at}) = ${atom.p}`);
    }
  }
  const xAxis = plot.append('g').attr('transform', `translate(0,${h})`).call(axisBottom(x).tickValues(xTicks).tickFormat(tickFormat));
  const yAxis = plot.append('g').call(axisLeft(y).tickValues(yTicks).tickFormat((v) => yFormat(Number(v))));
  for (const axis of [xAxis, yAxis]) axis.attr('font-size', TICK_SIZE).attr('font-family', null);
  plot.append('text').attr('x', w / 2).attr('y', h + 34).attr('text-anchor', 'middle').attr('font-size', TICK_SIZE + 0.5).attr('fill', MUTED).text(xLabel);
  plot.append('text').attr('x', w - 6).attr('y', 14).attr('text-anchor', 'end').attr('font-size', TICK_SIZE).attr('fill', MUTED).text(note);
}

/**
 * One row per histogram layer: z (pre-activation) on the left, a (activation) on the right,
 * binned exactly over all batch × width values, with the analytic law (dashed) of z ~ N(0, E[z²])
 * and of φ(z) where φ is monotone, point masses marked.
 */
export function histogramFigure(pattern: PatternResult, context: FigureContext, options: HistogramOptions = {}): SVGSVGElement {
  // z and a side by side, or stacked below 700 px (a phone), each panel as wide as there is room
  const width = context.width ?? 2 * PANEL_W + 2 * OUTER, columns = width >= 700 ? 2 : 1;
  const panelW = Math.floor((width - 2 * OUTER) / columns);
  const footer = wrapLines(`dashed: expected counts per bin under z ~ N(0, E[z²]) of the layer and a = φ(z)${ACTIVATIONS[pattern.activation].monotone ? '' : ' (not for a: φ is not monotone)'}; ◇ point mass`, width - 16, TICK_SIZE);
  const rows = pattern.histograms.length * (3 - columns), height = rows * PANEL_H + 2 * OUTER + 6 + 14 * footer.length;
  const svg = svgRoot(width, height, context);
  const root = select(svg);
  const log = options.logCounts ?? false;
  pattern.histograms.forEach((h, row) => {
    const record = pattern.layers.find((l) => l.layer === h.layer) as LayerRecord;
    const y0 = OUTER + row * (3 - columns) * PANEL_H;
    const prefix = `${pattern.name}  layer=${h.layer}`;
    panel(root.append('g').attr('transform', `translate(${OUTER},${y0})`), panelW, h.z, `${prefix}  z (pre-activation)`, 'z', Z_COLOR,
      `E[z²] = ${sig4(record.z_ex2)}`, log);
    panel(root.append('g').attr('transform', `translate(${OUTER + (columns === 2 ? panelW : 0)},${y0 + (columns === 2 ? 0 : PANEL_H)})`), panelW, h.a, `${prefix}  a (activation)`, 'a', A_COLOR,
      `E[a²] = ${sig4(record.a_ex2)}   zeros ${record.zero_frac === null ? 'n/a' : `${(100 * record.zero_frac).toFixed(1)}%`}`, log);
  });
  footer.forEach((text, i) => root.append('text').attr('x', width / 2).attr('y', height - 8 - 14 * (footer.length - 1 - i)).attr('text-anchor', 'middle').attr('font-size', TICK_SIZE).attr('fill', MUTED).text(text));
  return svg;
}
