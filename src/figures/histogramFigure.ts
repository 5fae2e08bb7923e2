import { axisBottom, axisLeft, format, max, scaleLinear, select, type Selection } from 'd3';
import type { Histogram, LayerRecord, PatternResult } from '../experiment/results.js';
import { svgRoot, type FigureContext } from './svgRoot.js';
import { A_COLOR, GRID, LABEL_SIZE, MUTED, TICK_SIZE, Z_COLOR } from './theme.js';

const PANEL_W = 480, PANEL_H = 250;
const PAD = { left: 62, right: 16, top: 34, bottom: 40 };
const OUTER = 12;
const countFormat = format('~s');

function panel(
  g: Selection<SVGGElement, unknown, null, undefined>,
  hist: Histogram,
  title: string,
  xLabel: string,
  color: string,
  note: string,
): void {
  const w = PANEL_W - PAD.left - PAD.right, h = PANEL_H - PAD.top - PAD.bottom;
  const edges = hist.edges, counts = hist.counts;
  const x = scaleLinear().domain([edges[0], edges[edges.length - 1]]).range([0, w]);
  const y = scaleLinear().domain([0, max(counts) || 1]).nice().range([h, 0]);
  g.append('text').attr('x', PANEL_W / 2).attr('y', 20).attr('text-anchor', 'middle').attr('font-size', LABEL_SIZE + 0.5)
    .attr('xml:space', 'preserve').text(title);
  const plot = g.append('g').attr('transform', `translate(${PAD.left},${PAD.top})`);
  const grid = plot.append('g').attr('stroke', GRID);
  const yTicks = y.ticks(5), xTicks = x.ticks(6);
  for (const t of yTicks) grid.append('line').attr('x1', 0).attr('x2', w).attr('y1', y(t)).attr('y2', y(t));
  for (const t of xTicks) grid.append('line').attr('x1', x(t)).attr('x2', x(t)).attr('y1', 0).attr('y2', h);
  const bars = plot.append('g').attr('fill', color).attr('class', 'bars');
  counts.forEach((c, i) => {
    const x0 = x(edges[i]), x1 = x(edges[i + 1]);
    bars.append('rect').attr('x', x0).attr('width', Math.max(0.5, x1 - x0 - 0.4)).attr('y', y(c)).attr('height', h - y(c));
  });
  const xAxis = plot.append('g').attr('transform', `translate(0,${h})`).call(axisBottom(x).tickValues(xTicks));
  const yAxis = plot.append('g').call(axisLeft(y).tickValues(yTicks).tickFormat((v) => countFormat(Number(v))));
  for (const axis of [xAxis, yAxis]) axis.attr('font-size', TICK_SIZE).attr('font-family', null);
  plot.append('text').attr('x', w / 2).attr('y', h + 34).attr('text-anchor', 'middle').attr('font-size', TICK_SIZE + 0.5).attr('fill', MUTED).text(xLabel);
  plot.append('text').attr('x', w - 6).attr('y', 14).attr('text-anchor', 'end').attr('font-size', TICK_SIZE).attr('fill', MUTED).text(note);
}

/**
 * One row per histogram layer: z (pre-activation) on the left, a (activation) on the right,
 * binned exactly over all batch × width values.
 */
export function histogramFigure(pattern: PatternResult, context: FigureContext): SVGSVGElement {
  const rows = pattern.histograms.length;
  const width = 2 * PANEL_W + 2 * OUTER, height = rows * PANEL_H + 2 * OUTER;
  const svg = svgRoot(width, height, context);
  const root = select(svg);
  pattern.histograms.forEach((h, row) => {
    const record = pattern.layers.find((l) => l.layer === h.layer) as LayerRecord;
    const y0 = OUTER + row * PANEL_H;
    const prefix = `${pattern.name}  layer=${h.layer}`;
    panel(root.append('g').attr('transform', `translate(${OUTER},${y0})`), h.z, `${prefix}  z (pre-activation)`, 'z', Z_COLOR,
      `E[z²] = ${record.z_ex2.toPrecision(4)}`);
    panel(root.append('g').attr('transform', `translate(${OUTER + PANEL_W},${y0})`), h.a, `${prefix}  a (activation)`, 'a', A_COLOR,
      `E[a²] = ${record.a_ex2.toPrecision(4)}   zeros ${(100 * record.zero_frac).toFixed(1)}%`);
  });
  return svg;
}
