import { axisBottom, axisLeft, format, line, max, scaleLinear, select } from 'd3';
import type { PatternResult } from '../metrics/results.js';
import { drawLegend } from './legend.js';
import { svgRoot, type FigureContext } from './svgRoot.js';
import { GRID, INK, LABEL_SIZE, MUTED, SERIES_COLORS, TICK_SIZE, TITLE_SIZE, twoLines } from './theme.js';

/**
 * The per-sample spread that mean-field theory averages away: log10(‖aᴸ‖²/‖x‖²) over the batch for
 * a He + ReLU pattern (bars), against the finite-width prediction Σ log((2/n)·χ²(Binomial(n, ½)))
 * (dashed: expected counts per bin).
 */
export function finiteWidthFigure(pattern: PatternResult, patternIndex: number, context: FigureContext): SVGSVGElement {
  const { width, expected } = pattern.finite_width!;
  const W = context.width ?? 820, H = W < 600 ? 480 : 520, margin = { left: 76, right: 28, top: 118, bottom: 56 };
  const svg = svgRoot(W, H, context);
  const root = select(svg);
  const layers = pattern.layers.length;
  twoLines(`Finite width: per-sample ‖a^L‖² / ‖x‖² at layer ${layers}, ${pattern.name}, width ${width}`, W - 24, TITLE_SIZE).forEach((text, i, lines) =>
    root.append('text').attr('x', W / 2).attr('y', lines.length === 1 ? 30 : 20 + i * 18).attr('text-anchor', 'middle').attr('font-size', TITLE_SIZE).attr('font-weight', 'bold').text(text));
  const color = SERIES_COLORS[patternIndex % SERIES_COLORS.length];
  const legendHeight = drawLegend(root.append('g').attr('transform', `translate(${margin.left},56)`), [
    { label: `measured: every sample${pattern.seeds ? ` of ${pattern.seeds.length} seeds (draws of W)` : ', one draw of W'}`, color, box: true },
    { label: W < 700 ? 'predicted: ‖a‖² × (2/n)·χ²(active units) per layer' : 'predicted: each layer scales ‖a‖² by (2/n)·χ² of the units the ReLU lets through', color: INK, dashed: true },
  ], W - margin.left - margin.right);
  const note = twoLines(pattern.seeds ? 'samples of one seed share W; pooling seeds samples the draws of W' : 'the samples share W: one run is one draw of W (use --seeds N to pool draws)', W - margin.left - margin.right, TICK_SIZE);
  margin.top = Math.max(margin.top, 56 + legendHeight + 14 * note.length + 8);
  const hist = pattern.sample_norm_ratio!;
  const edges = hist.edges, counts = hist.counts;
  const w = W - margin.left - margin.right, h = H - margin.top - margin.bottom;
  const x = scaleLinear().domain([edges[0], edges[edges.length - 1]]).range([0, w]);
  const y = scaleLinear().domain([0, Math.max(max(counts) ?? 1, max(expected) ?? 1)]).nice().range([h, 0]);
  const plot = root.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
  for (const t of y.ticks(6)) plot.append('line').attr('x1', 0).attr('x2', w).attr('y1', y(t)).attr('y2', y(t)).attr('stroke', GRID);
  counts.forEach((c, i) => plot.append('rect').attr('class', 'bar').attr('x', x(edges[i])).attr('width', Math.max(0.5, x(edges[i + 1]) - x(edges[i]) - 0.4)).attr('y', y(c)).attr('height', h - y(c)).attr('fill', color).attr('fill-opacity', 0.85));
  const steps = expected.flatMap((c, i) => [{ v: edges[i], c }, { v: edges[i + 1], c }]);
  plot.append('path').attr('class', 'prediction').attr('d', line<{ v: number; c: number }>().x((p) => x(p.v)).y((p) => y(p.c))(steps) ?? '').attr('fill', 'none').attr('stroke', INK).attr('stroke-width', 1.4).attr('stroke-dasharray', '5,3');
  plot.append('g').attr('transform', `translate(0,${h})`).call(axisBottom(x).ticks(8)).attr('font-size', TICK_SIZE).attr('font-family', null);
  plot.append('g').call(axisLeft(y).ticks(6).tickFormat((v) => format('~s')(Number(v)))).attr('font-size', TICK_SIZE).attr('font-family', null);
  plot.append('text').attr('x', w / 2).attr('y', h + 42).attr('text-anchor', 'middle').attr('font-size', LABEL_SIZE).text('log10(‖a^L‖² / ‖x‖²) per sample (mean-field theory: 0)');
  plot.append('text').attr('transform', `translate(${-margin.left + 18},${h / 2}) rotate(-90)`).attr('text-anchor', 'middle').attr('font-size', LABEL_SIZE).text('samples');
  note.forEach((text, i) => plot.append('text').attr('x', w).attr('y', -12 - 14 * (note.length - 1 - i)).attr('text-anchor', 'end').attr('font-size', TICK_SIZE).attr('fill', MUTED).text(text));
  return svg;
}
