import { axisBottom, axisLeft, format, max, scaleLinear, select } from 'd3';
import type { PatternResult, SpectrumRecord } from '../metrics/results.js';
import { sig4 } from '../metrics/summary.js';
import { figureTitle } from './figureTitle.js';
import { svgRoot, type FigureContext } from './svgRoot.js';
import { GRID, INK, LABEL_SIZE, MUTED, seriesStyle, TICK_SIZE } from './theme.js';
import { wrapLines } from './wrapLines.js';

const PANEL_H = 250, PAD = { left: 56, right: 14, top: 40, bottom: 44 };

/**
 * --spectrum: per histogram layer, the histogram of log10 λ over the inputs' pooled eigenvalues of JJᵀ,
 * with the measured and the free-probability mean marked (the theory's density is not drawn yet: no
 * curve is drawn where none is computed).
 */
export function spectrumFigure(pattern: PatternResult, index: number, context: FigureContext): SVGSVGElement {
  const layers = pattern.spectrum?.layers ?? [];
  const width = context.width ?? Math.max(520, Math.min(1400, 340 * layers.length + 40));
  const columns = Math.max(1, Math.min(layers.length, Math.floor((width - 24) / 300))), rows = Math.ceil(layers.length / columns);
  const panelW = (width - 24) / columns;
  const note = wrapLines(`eigenvalues of J Jᵀ at ${pattern.spectrum?.inputs ?? 0} inputs, pooled; dashed: the free-probability mean Π χ, solid: the measured mean, dotted: the support's right edge (identity and ReLU); the theory's density is not drawn (not computed yet); eigenvalues ≤ 1e-12 of the largest are counted apart`, width - 32, LABEL_SIZE - 1);
  const height = 56 + rows * PANEL_H + 16 + note.length * 14;
  const svg = svgRoot(width, height, context), root = select(svg);
  figureTitle(root, `Spectrum of the input–output Jacobian, ${pattern.name}`, width);
  const { color } = seriesStyle(index);
  layers.forEach((entry, i) => {
    const g = root.append('g').attr('class', 'panel').attr('transform', `translate(${12 + (i % columns) * panelW},${56 + Math.floor(i / columns) * PANEL_H})`);
    drawPanel(g, entry, panelW, color);
  });
  note.forEach((text, i) => root.append('text').attr('class', 'note').attr('x', 16).attr('y', 56 + rows * PANEL_H + 12 + i * 14).attr('font-size', LABEL_SIZE - 1).attr('fill', MUTED).text(text));
  return svg;
}

function drawPanel(g: ReturnType<typeof select<SVGGElement, unknown>>, entry: SpectrumRecord, panelW: number, color: string): void {
  const w = panelW - PAD.left - PAD.right, h = PANEL_H - PAD.top - PAD.bottom;
  const v = entry.eig_var / (entry.eig_mean * entry.eig_mean), t = entry.theory;
  const title = `layer ${entry.layer}: mean ${sig4(entry.eig_mean)}, var/mean² ${sig4(v)}${t ? ` (theory ${sig4(t.eig_mean)}, ${sig4(t.eig_var / (t.eig_mean * t.eig_mean))})` : ''}${entry.zeros > 0 ? `; ${entry.zeros} at 0` : ''}`;
  wrapLines(title, panelW - 8, LABEL_SIZE).forEach((text, k) => g.append('text').attr('x', panelW / 2).attr('y', 14 + 13 * k).attr('text-anchor', 'middle').attr('font-size', LABEL_SIZE).text(text));
  const edges = entry.log10_edges, counts = entry.counts;
  if (counts.length === 0) return;
  const edge = t?.eig_max ?? null;
  const marks = [Math.log10(entry.eig_mean), ...(t && t.eig_mean > 0 ? [Math.log10(t.eig_mean)] : []), ...(edge && edge > 0 ? [Math.log10(edge)] : [])].filter(Number.isFinite);
  const lo = Math.min(edges[0], ...marks), hi = Math.max(edges[edges.length - 1], ...marks);
  const x = scaleLinear().domain([lo, hi === lo ? lo + 1 : hi]).range([0, w]);
  const y = scaleLinear().domain([0, (max(counts) ?? 1) * 1.08]).nice().range([h, 0]);
  const plot = g.append('g').attr('transform', `translate(${PAD.left},${PAD.top})`);
  plot.append('g').attr('stroke', GRID).selectAll('line').data(y.ticks(4)).join('line').attr('x1', 0).attr('x2', w).attr('y1', (d) => y(d)).attr('y2', (d) => y(d));
  plot.append('g').selectAll('rect').data(counts).join('rect').attr('class', 'bar')
    .attr('x', (_, k) => x(edges[k])).attr('width', (_, k) => Math.max(0.5, x(edges[k + 1]) - x(edges[k]) - 0.5))
    .attr('y', (c) => y(c)).attr('height', (c) => h - y(c)).attr('fill', color).attr('fill-opacity', 0.55);
  // the means: theory dashed and thin under the measured solid one
  if (t && t.eig_mean > 0) plot.append('line').attr('class', 'theory-mean').attr('x1', x(Math.log10(t.eig_mean))).attr('x2', x(Math.log10(t.eig_mean))).attr('y1', 0).attr('y2', h).attr('stroke', INK).attr('stroke-width', 1.3).attr('stroke-dasharray', '5,4');
  // the support's right edge by free probability, where it has a closed form: thin, dotted, under the bars' top
  if (edge && edge > 0) plot.append('line').attr('class', 'theory-edge').attr('x1', x(Math.log10(edge))).attr('x2', x(Math.log10(edge))).attr('y1', 0).attr('y2', h).attr('stroke', INK).attr('stroke-width', 1.3).attr('stroke-dasharray', '1,3');
  plot.append('line').attr('class', 'measured-mean').attr('x1', x(Math.log10(entry.eig_mean))).attr('x2', x(Math.log10(entry.eig_mean))).attr('y1', 0).attr('y2', h).attr('stroke', color).attr('stroke-width', 2);
  plot.append('g').attr('transform', `translate(0,${h})`).call(axisBottom(x).ticks(6).tickFormat((d) => format('~g')(Number(d)))).attr('font-size', TICK_SIZE);
  plot.append('g').call(axisLeft(y).ticks(4).tickFormat((d) => format('~s')(Number(d)))).attr('font-size', TICK_SIZE);
  plot.append('text').attr('x', w / 2).attr('y', h + 34).attr('text-anchor', 'middle').attr('font-size', LABEL_SIZE).text('log10 λ');
}
