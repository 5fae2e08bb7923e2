import { figureTitle } from './figureTitle.js';
import { axisBottom, axisLeft, format, line, max, scaleLinear, select } from 'd3';
import type { PatternResult } from '../metrics/results.js';
import { drawLegend } from './legend.js';
import { svgRoot, type FigureContext } from './svgRoot.js';
import { GRID, INK, LABEL_SIZE, MUTED, SERIES_COLORS, TICK_SIZE, twoLines } from './theme.js';

/**
 * The per-sample spread that mean-field theory averages away: log10(‖aᴸ‖²/‖x‖²) over the batch for a He + ReLU
 * pattern (bars). Like with like: the samples of one seed share W, so beside them goes the law given each seed's
 * W (dashed: centred on the seed's own mean, the spread its samples do not share), and, thin and grey, the exact law
 * of one sample through fresh draws of W, which pooled seeds approach.
 */
export function finiteWidthFigure(pattern: PatternResult, patternIndex: number, context: FigureContext): SVGSVGElement {
  const { width, expected, given_w: givenW, seed_sd_log10: seedSd } = pattern.finite_width!;
  const W = context.width ?? 820, H = W < 600 ? 500 : 540, margin = { left: 76, right: 28, top: 118, bottom: 56 };
  const svg = svgRoot(W, H, context);
  const root = select(svg);
  const layers = pattern.layers.length, seeds = pattern.seeds?.length ?? 1;
  figureTitle(root, `Finite width: per-sample ‖a^L‖² / ‖x‖² at layer ${layers}, ${pattern.name}, width ${width}`, W);
  const color = SERIES_COLORS[patternIndex % SERIES_COLORS.length];
  const draws = seeds > 1 ? `${seeds} draws of W (seeds)` : 'one draw of W';
  const entries = [
    { label: `measured: every sample, ${draws}`, color, box: true },
    ...(givenW ? [{ label: `predicted given ${seeds > 1 ? 'each' : 'this'} W: samples around their batch's mean, sd ${givenW.sd_log10.toFixed(3)}`, color: INK, dashed: true }] : []),
    { label: `predicted for fresh draws of W (one sample's law), sd ${(pattern.finite_width!.sample_sd_log10.at(-1) ?? NaN).toFixed(3)}`, color: MUTED, dashed: true },
  ];
  const legendHeight = drawLegend(root.append('g').attr('transform', `translate(${margin.left},56)`), entries, W - margin.left - margin.right);
  // what one draw of W does, in words at the legend's size: it moves the whole batch
  const shift = givenW ? `one draw of W moves the whole batch: its mean spreads by sd ${(seedSd.at(-1) ?? NaN).toFixed(3)} across draws` : '';
  const note = shift ? twoLines(shift, W - margin.left - margin.right, LABEL_SIZE) : [];
  margin.top = Math.max(margin.top, 56 + legendHeight + (LABEL_SIZE + 6) * note.length + 8);
  const hist = pattern.sample_norm_ratio!;
  const edges = hist.edges, counts = hist.counts;
  const w = W - margin.left - margin.right, h = H - margin.top - margin.bottom;
  const x = scaleLinear().domain([edges[0], edges[edges.length - 1]]).range([0, w]);
  const y = scaleLinear().domain([0, Math.max(max(counts) ?? 1, max(expected) ?? 1, max(givenW?.expected ?? []) ?? 1)]).nice().range([h, 0]);
  const plot = root.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
  for (const t of y.ticks(6)) plot.append('line').attr('x1', 0).attr('x2', w).attr('y1', y(t)).attr('y2', y(t)).attr('stroke', GRID);
  // the predictions under the bars, thin; the measured bars over them (translucent, so the lines show through)
  const steps = (values: number[]) => line<{ v: number; c: number }>().x((p) => x(p.v)).y((p) => y(p.c))(values.flatMap((c, i) => [{ v: edges[i], c }, { v: edges[i + 1], c }])) ?? '';
  plot.append('path').attr('class', 'prediction fresh').attr('d', steps(expected)).attr('fill', 'none').attr('stroke', MUTED).attr('stroke-width', 1.2).attr('stroke-dasharray', '6,4');
  if (givenW) plot.append('path').attr('class', 'prediction given').attr('d', steps(givenW.expected)).attr('fill', 'none').attr('stroke', INK).attr('stroke-width', 1.6).attr('stroke-dasharray', '6,4');
  counts.forEach((c, i) => plot.append('rect').attr('class', 'bar').attr('x', x(edges[i])).attr('width', Math.max(0.5, x(edges[i + 1]) - x(edges[i]) - 0.4)).attr('y', y(c)).attr('height', h - y(c)).attr('fill', color).attr('fill-opacity', 0.6));
  plot.append('g').attr('transform', `translate(0,${h})`).call(axisBottom(x).ticks(8)).attr('font-size', TICK_SIZE).attr('font-family', null);
  plot.append('g').call(axisLeft(y).ticks(6).tickFormat((v) => format('~s')(Number(v)))).attr('font-size', TICK_SIZE).attr('font-family', null);
  plot.append('text').attr('x', w / 2).attr('y', h + 42).attr('text-anchor', 'middle').attr('font-size', LABEL_SIZE).text('log10(‖a^L‖² / ‖x‖²) per sample (mean-field theory: 0)');
  plot.append('text').attr('transform', `translate(${-margin.left + 18},${h / 2}) rotate(-90)`).attr('text-anchor', 'middle').attr('font-size', LABEL_SIZE).text('samples');
  note.forEach((text, i) => plot.append('text').attr('x', 0).attr('y', -10 - (LABEL_SIZE + 6) * (note.length - 1 - i)).attr('font-size', LABEL_SIZE).attr('fill', INK).text(text));
  return svg;
}
