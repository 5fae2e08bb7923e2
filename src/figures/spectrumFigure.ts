import { axisBottom, axisLeft, format, max, scaleLinear, select } from 'd3';
import type { PatternResult, SpectrumRecord } from '../metrics/results.js';
import { sig4 } from '../metrics/summary.js';
import { spreadOf } from '../metrics/jacobianSpectrum.js';
import { figureTitle } from './figureTitle.js';
import { svgRoot, type FigureContext } from './svgRoot.js';
import { GRID, INK, LABEL_SIZE, MUTED, seriesStyle, TICK_SIZE } from './theme.js';
import { wrapLines } from './wrapLines.js';

const PANEL_H = 262, PAD = { left: 56, right: 14, top: 52, bottom: 44 };

/**
 * --spectrum: per histogram layer, the histogram of log10 λ over the inputs' pooled nonzero eigenvalues of
 * JJᵀ as a density (counts/(nonzero count·bin width)), over the free-probability density of log10 λ
 * (thin, dashed, under the bars), with the measured and the theory's mean and the support's right edge.
 */
export function spectrumFigure(pattern: PatternResult, index: number, context: FigureContext): SVGSVGElement {
  const layers = pattern.spectrum?.layers ?? [];
  const width = context.width ?? Math.max(520, Math.min(1400, 340 * layers.length + 40));
  const columns = Math.max(1, Math.min(layers.length, Math.floor((width - 24) / 300))), rows = Math.ceil(layers.length / columns);
  const panelW = (width - 24) / columns;
  const note = wrapLines(`eigenvalues of J Jᵀ at ${pattern.spectrum?.inputs ?? 0} inputs, pooled; bars: the measured density of log10 λ, over the theory's count of nonzero eigenvalues (those ≤ 1e-12 of the largest, float32's resolution, are counted as 0); dashed curve: the free-probability density at infinite width; dashed line: its mean Π χ, solid: the measured mean, dotted: the support's right edge`, width - 32, LABEL_SIZE - 1);
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
  const v = spreadOf(entry), t = entry.theory, counted = entry.counts.reduce((a, c) => a + c, 0), all = counted + entry.zeros;
  // where the infinite-width law has mass that the width-n measurement does not reach, the title says how much
  const outside = t?.log10_lambda && t.density ? 1 - trapezoid(t.log10_lambda, t.density) : 0;
  const title = `layer ${entry.layer}: mean ${sig4(entry.eig_mean)}, var/mean² ${sig4(v)}${t ? ` (theory ${sig4(t.eig_mean)}, ${sig4(spreadOf(t))})` : ''}${entry.zeros > 0 ? `; ${entry.zeros} at 0${t?.density ? ` (theory ${Math.round(all * t.zero_fraction)})` : ''}` : ''}${outside > 0.15 ? `; theory: ${Math.round(outside * 100)}% of its nonzero mass outside this range` : ''}`;
  wrapLines(title, panelW - 8, LABEL_SIZE).forEach((text, k) => g.append('text').attr('x', panelW / 2).attr('y', 14 + 13 * k).attr('text-anchor', 'middle').attr('font-size', LABEL_SIZE).text(text));
  const edges = entry.log10_edges, counts = entry.counts;
  if (counts.length === 0) return;
  // normalized to the theory's count of nonzero eigenvalues where there is one: those below float32's
  // resolution (≤ 1e-12 of the largest) are counted with the zeros, and the curve keeps its mass there
  const bin = edges[1] - edges[0];
  // without a theory's density (one point mass: a bin of width ~0), the share of eigenvalues per bin
  const asDensity = !!t?.density, nonzero = asDensity ? all * (1 - t!.zero_fraction) : counted;
  const measured = counts.map((c) => c / (nonzero * (asDensity ? bin : 1)));
  const grid = t?.log10_lambda ?? null, density = t?.density ?? null;
  const edge = t?.eig_max ?? null;
  const marks = [Math.log10(entry.eig_mean), ...(t && t.eig_mean > 0 ? [Math.log10(t.eig_mean)] : []), ...(edge && edge > 0 ? [Math.log10(edge)] : [])].filter(Number.isFinite);
  const lo = Math.min(edges[0], ...marks), hi = Math.max(edges[edges.length - 1], ...marks);
  const x = scaleLinear().domain([lo, hi === lo ? lo + 1 : hi]).range([0, w]);
  const y = scaleLinear().domain([0, Math.max(max(measured) ?? 1, density ? max(density) ?? 0 : 0) * 1.08]).nice().range([h, 0]);
  const plot = g.append('g').attr('transform', `translate(${PAD.left},${PAD.top})`);
  plot.append('g').attr('stroke', GRID).selectAll('line').data(y.ticks(4)).join('line').attr('x1', 0).attr('x2', w).attr('y1', (d) => y(d)).attr('y2', (d) => y(d));
  // the theory's density: thin, dashed, drawn first so that the bars lie over it
  if (grid && density) {
    const points = grid.flatMap((u, k) => (u >= lo && u <= hi ? [[x(u), y(density[k])] as const] : []));
    plot.append('path').attr('class', 'theory-density').attr('d', `M${points.map(([px, py]) => `${px.toFixed(2)},${py.toFixed(2)}`).join('L')}`)
      .attr('fill', 'none').attr('stroke', INK).attr('stroke-width', 1.3).attr('stroke-dasharray', '5,3');
  }
  plot.append('g').selectAll('rect').data(measured).join('rect').attr('class', 'bar')
    .attr('x', (_, k) => x(edges[k])).attr('width', (_, k) => Math.max(0.5, x(edges[k + 1]) - x(edges[k]) - 0.5))
    .attr('y', (c) => y(c)).attr('height', (c) => h - y(c)).attr('fill', color).attr('fill-opacity', 0.55);
  // the means: theory dashed and thin under the measured solid one
  if (t && t.eig_mean > 0) plot.append('line').attr('class', 'theory-mean').attr('x1', x(Math.log10(t.eig_mean))).attr('x2', x(Math.log10(t.eig_mean))).attr('y1', 0).attr('y2', h).attr('stroke', INK).attr('stroke-width', 1.3).attr('stroke-dasharray', '5,4');
  // the support's right edge by free probability: thin, dotted
  if (edge && edge > 0) plot.append('line').attr('class', 'theory-edge').attr('x1', x(Math.log10(edge))).attr('x2', x(Math.log10(edge))).attr('y1', 0).attr('y2', h).attr('stroke', INK).attr('stroke-width', 1.3).attr('stroke-dasharray', '1,3');
  plot.append('line').attr('class', 'measured-mean').attr('x1', x(Math.log10(entry.eig_mean))).attr('x2', x(Math.log10(entry.eig_mean))).attr('y1', 0).attr('y2', h).attr('stroke', color).attr('stroke-width', 2);
  plot.append('g').attr('transform', `translate(0,${h})`).call(axisBottom(x).ticks(6).tickFormat((d) => format('~g')(Number(d)))).attr('font-size', TICK_SIZE);
  plot.append('g').call(axisLeft(y).ticks(4).tickFormat((d) => format('~g')(Number(d)))).attr('font-size', TICK_SIZE);
  plot.append('text').attr('x', w / 2).attr('y', h + 34).attr('text-anchor', 'middle').attr('font-size', LABEL_SIZE).text('log10 λ');
  plot.append('text').attr('transform', `translate(${-42},${h / 2}) rotate(-90)`).attr('text-anchor', 'middle').attr('font-size', LABEL_SIZE).text(asDensity ? 'density of log10 λ' : 'share per bin');
}

function trapezoid(xs: readonly number[], ys: readonly number[]): number {
  let sum = 0;
  for (let k = 1; k < xs.length; k++) sum += ((xs[k] - xs[k - 1]) * (ys[k] + ys[k - 1])) / 2;
  return sum;
}
