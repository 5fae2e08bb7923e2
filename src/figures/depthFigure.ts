import { axisBottom, axisLeft, interpolateViridis, scaleBand, scaleLinear, scaleSequential, select, type Selection } from 'd3';
import type { Histogram, LayerHistograms, PatternResult } from '../metrics/results.js';
import { svgRoot, type FigureContext } from './svgRoot.js';
import { GRID, INK, LABEL_SIZE, MUTED, TICK_SIZE, TITLE_SIZE, twoLines } from './theme.js';
import { wrapLines } from './wrapLines.js';

/** Values are drawn over ±SPAN units: the first layer's RMS of z (the scale over depth), or each layer's own (the shape). */
const SPAN = 4;
/** The colour runs over log10 of the standardized density from LOG_FLOOR (and below) to 0. */
const LOG_FLOOR = -3;
const PAD = { left: 58, right: 14, top: 58, bottom: 52 };
/** Room for the colour key under the strips. */
const KEY_H = 44;
const GAP = 28;
/** A caption's line height at TICK_SIZE. */
const LINE = 14;

export interface DepthOptions {
  /** Outline this layer's rows (the page's layer slider). */
  highlightLayer?: number;
  /** Each row in units of its own √E[z²] (the law's shape) instead of the first layer's (its scale, the default: a collapse or an explosion shows). */
  normalized?: boolean;
}

/**
 * The histograms of z and of a at every histogrammed layer as two heat strips over depth (one row per
 * layer, deepest at the bottom). Every row is in units of the first layer's √E[z²], so a collapse (Xavier
 * + ReLU halving per layer) or an explosion shows; `normalized` puts each row in its own units, to compare
 * the law's shape. The colour is log10 of the density of value/unit; ReLU's point mass at 0 is one bright cell.
 */
export function depthFigure(pattern: PatternResult, context: FigureContext, options: DepthOptions = {}): SVGSVGElement {
  const layers = pattern.histograms;
  // as narrow as the page's narrowest card (a 320 px phone: 290 px)
  const width = Math.max(240, context.width ?? 960);
  const narrow = width < 640;
  const panelW = narrow ? width - PAD.left - PAD.right : (width - PAD.left - PAD.right - GAP - PAD.left) / 2;
  const rowH = Math.max(4, Math.min(18, 360 / Math.max(1, layers.length)));
  const panelH = rowH * layers.length;
  // the key's caption, on as many lines as the width needs (a phone's takes two or three)
  const caption = wrapLines(`colour: density of value / ${options.normalized ? '√E[z²] of the layer' : `√E[z²] of layer ${layers[0]?.layer}`}, from 10⁻³ (or less) to 1`, width - PAD.left - 8, TICK_SIZE);
  const height = PAD.top + (narrow ? 2 * panelH + PAD.bottom + 24 : panelH) + PAD.bottom + KEY_H + (caption.length - 1) * LINE;
  const svg = svgRoot(width, height, context);
  const root = select(svg);
  const title = twoLines(`${pattern.name}: z and a over depth`, width - 16, TITLE_SIZE);
  title.forEach((text, i) => root.append('text').attr('x', width / 2).attr('y', title.length === 1 ? 24 : 14 + 17 * i).attr('text-anchor', 'middle').attr('font-size', TITLE_SIZE).attr('font-weight', 'bold').text(text));
  const color = scaleSequential(interpolateViridis).domain([LOG_FLOOR, 0]).clamp(true);
  const origins: [number, number][] = narrow
    ? [[PAD.left, PAD.top], [PAD.left, PAD.top + panelH + PAD.bottom + 24]]
    : [[PAD.left, PAD.top], [PAD.left + panelW + GAP + PAD.left, PAD.top]];
  (['z', 'a'] as const).forEach((which, i) => {
    const g = root.append('g').attr('transform', `translate(${origins[i][0]},${origins[i][1]})`);
    strip(g, pattern, layers, which, panelW, rowH, color, options.highlightLayer, options.normalized === true);
  });
  // the colour key
  const key = root.append('g').attr('transform', `translate(${PAD.left},${height - 14})`);
  const keyW = Math.min(220, panelW * 0.6), steps = 40;
  for (let s = 0; s < steps; s++) key.append('rect').attr('x', (s * keyW) / steps).attr('y', -10).attr('width', keyW / steps + 0.5).attr('height', 10).attr('fill', color(LOG_FLOOR * (1 - s / (steps - 1))));
  caption.forEach((text, i) => key.append('text').attr('x', 0).attr('y', -14 - (caption.length - 1 - i) * LINE).attr('font-size', TICK_SIZE).attr('fill', MUTED).text(text));
    return svg;
}

function strip(
  g: Selection<SVGGElement, unknown, null, undefined>,
  pattern: PatternResult,
  layers: LayerHistograms[],
  which: 'z' | 'a',
  w: number,
  rowH: number,
  color: (v: number) => string,
  highlight: number | undefined,
  normalized: boolean,
): void {
  const rmsOf = (layer: number | undefined) => {
    const record = pattern.layers.find((l) => l.layer === layer);
    return record ? Math.sqrt(record.z_ex2) : NaN;
  };
  const first = rmsOf(layers[0]?.layer);
  const h = rowH * layers.length;
  const x = scaleLinear().domain([-SPAN, SPAN]).range([0, w]);
  const y = scaleBand<number>().domain(layers.map((l) => l.layer)).range([0, h]);
  g.append('text').attr('x', w / 2).attr('y', -12).attr('text-anchor', 'middle').attr('font-size', LABEL_SIZE).text(which === 'z' ? 'z (pre-activation)' : 'a (activation)');
  g.append('rect').attr('width', w).attr('height', h).attr('fill', '#f4f4f4');
  const cells = g.append('g').attr('class', `cells-${which}`);
  for (const entry of layers) {
    // the unit of the row: its own RMS of z, or the first layer's for all rows
    const rms = normalized ? rmsOf(entry.layer) : first;
    const hist: Histogram = entry[which];
    const total = hist.counts.reduce((t, c) => t + c, 0);
    if (!(rms > 0) || !Number.isFinite(rms) || total === 0) {
      g.append('text').attr('x', w / 2).attr('y', (y(entry.layer) ?? 0) + rowH * 0.8).attr('text-anchor', 'middle').attr('font-size', Math.min(TICK_SIZE, rowH)).attr('fill', MUTED).text('no finite values');
      continue;
    }
    hist.counts.forEach((count, b) => {
      if (count === 0) return;
      const lo = hist.edges[b] / rms, hi = hist.edges[b + 1] / rms;
      if (hi < -SPAN || lo > SPAN) return;
      const x0 = x(Math.max(lo, -SPAN)), x1 = x(Math.min(hi, SPAN));
      const density = count / total / Math.max(hi - lo, 1e-12);
      cells.append('rect').attr('x', x0).attr('y', y(entry.layer) ?? 0).attr('width', Math.max(0.6, x1 - x0) + 0.4).attr('height', rowH + 0.4).attr('fill', color(Math.log10(density)));
    });
  }
  if (highlight !== undefined && y(highlight) !== undefined) {
    g.append('rect').attr('class', 'highlight').attr('x', -1).attr('y', (y(highlight) ?? 0) - 1).attr('width', w + 2).attr('height', rowH + 2).attr('fill', 'none').attr('stroke', '#d62728').attr('stroke-width', 2);
  }
  const grid = g.append('g').attr('stroke', GRID).attr('stroke-opacity', 0.5);
  for (const t of [-2, 0, 2]) grid.append('line').attr('x1', x(t)).attr('x2', x(t)).attr('y1', 0).attr('y2', h);
  const every = Math.max(1, Math.ceil(layers.length / Math.max(1, Math.floor(h / 16))));
  // every k-th layer, and the last where it does not crowd the one before
  const yTicks = layers.map((l) => l.layer).filter((_, i) => i % every === 0 || (i === layers.length - 1 && i % every > every / 2));
  const xAxis = g.append('g').attr('transform', `translate(0,${h})`).call(axisBottom(x).ticks(8));
  const yAxis = g.append('g').call(axisLeft(y).tickValues(yTicks));
  for (const axis of [xAxis, yAxis]) axis.attr('font-size', TICK_SIZE).attr('font-family', null);
  g.append('text').attr('x', w / 2).attr('y', h + 34).attr('text-anchor', 'middle').attr('font-size', TICK_SIZE + 0.5).attr('fill', MUTED).text(normalized ? `${which} / √E[z²] of the layer` : `${which} / √E[z²] of layer ${layers[0]?.layer} (${first.toPrecision(3)})`);
  g.append('text').attr('transform', `translate(-42,${h / 2}) rotate(-90)`).attr('text-anchor', 'middle').attr('font-size', TICK_SIZE + 0.5).attr('fill', INK).text('layer');
}
