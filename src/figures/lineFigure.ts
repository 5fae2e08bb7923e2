import { figureTitle } from './figureTitle.js';
import { axisBottom, axisLeft, extent, scaleLinear, scaleLog, select, type ScaleContinuousNumeric } from 'd3';
import { drawMarks } from './marks.js';
import { drawLegend } from './legend.js';
import { powerOfTenLabel, powerOfTenTicks } from './powerOfTenTicks.js';
import { svgRoot, type FigureContext } from './svgRoot.js';
import { GRID, LABEL_SIZE, MUTED, TICK_SIZE, twoLines, type MarkerName } from './theme.js';

export interface LinePoint {
  x: number;
  y: number | null;
}

export interface LineSeries {
  name: string;
  color: string;
  /** The pattern's marker shape (theme.ts SERIES_MARKERS); circles when absent. */
  marker?: MarkerName;
  points: LinePoint[];
  dashed?: boolean;
  /** false: drawn but not listed (theory lines share one legend entry). */
  legend?: boolean;
  /** A dashed theory line: the name of the measured series it predicts (the page's read-out pairs them). */
  theoryOf?: string;
  /** A shaded band (e.g. 10–90% across seeds) behind the line. */
  band?: { x: number; lo: number | null; hi: number | null }[];
}

export interface LineFigureSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  yScale: 'log' | 'linear';
  /** A range the y axis must at least show (e.g. [0, 1] for a fraction); a log axis takes its positive ends. */
  yInclude?: [number, number];
  /** Extra legend entries (e.g. "dashed: mean-field theory"). */
  extraLegend?: { label: string; color: string; dashed?: boolean }[];
  width?: number;
  height?: number;
  /** A short caveat printed under the legend (e.g. where theory and finite width part). */
  note?: string;
  /** The layers the x axis spans, when more are to come than the series hold yet (the page's growing charts). */
  xDomain?: [number, number];
}

const usable = (y: number | null, log: boolean): y is number => y !== null && Number.isFinite(y) && (!log || y > 0);

/** Every y a chart plots (points and band edges) that its axis can show: what the y domain spans. */
export function plottedValues(spec: LineFigureSpec, log = spec.yScale === 'log'): number[] {
  return spec.series.flatMap((s) => [...s.points.map((p) => p.y), ...(s.band ?? []).flatMap((b) => [b.lo, b.hi])]).filter((y): y is number => usable(y, log));
}

/** A line chart of per-layer values, one line with point markers per series. */
export function lineFigure(spec: LineFigureSpec, context: FigureContext): SVGSVGElement {
  const width = spec.width ?? context.width ?? 820, height = spec.height ?? (width < 600 ? 440 : 540);
  const log = spec.yScale === 'log';
  const svg = svgRoot(width, height, context);
  const root = select(svg);
  const margin = { left: 84, right: 28, bottom: 56 };

  figureTitle(root, spec.title, width);
  const entries = [...spec.series.filter((s) => s.legend !== false).map((s) => ({ label: s.name, color: s.color, dashed: s.dashed, marker: s.marker })), ...(spec.extraLegend ?? [])];
  const legendHeight = drawLegend(root.append('g').attr('transform', `translate(${margin.left},${56})`), entries, width - margin.left - margin.right);
  // a panel whose legend is drawn by its figure (the SPP's) starts just below its title
  const noteLines = spec.note ? twoLines(spec.note, width - margin.left - margin.right, TICK_SIZE) : [];
  noteLines.forEach((text, i) => root.append('text').attr('class', 'note').attr('x', margin.left).attr('y', 56 + legendHeight + 4 + i * (TICK_SIZE + 4)).attr('font-size', TICK_SIZE).attr('fill', MUTED).text(text));
  const top = (entries.length === 0 ? 46 : 56 + legendHeight + 8) + noteLines.length * (TICK_SIZE + 4);
  const plotW = width - margin.left - margin.right, plotH = height - top - margin.bottom;

  const xs = [...spec.series.flatMap((s) => s.points.map((p) => p.x)), ...(spec.xDomain ?? [])];
  const ys = plottedValues(spec, log);
  const [xMin, xMax] = extent(xs) as [number, number];
  const x = scaleLinear().domain([xMin - 0.5, xMax + 0.5]).range([0, plotW]);
  let y: ScaleContinuousNumeric<number, number>;
  let yTicks: number[];
  let yFormat: (v: number) => string;
  if (log) {
    // yInclude's positive values widen a log axis too (two charts compared on one scale)
    const spanned = [...ys, ...(spec.yInclude ?? []).filter((v) => v > 0)];
    const [lo, hi] = spanned.length ? (extent(spanned) as [number, number]) : [1, 1];
    const domain: [number, number] = [10 ** Math.floor(Math.log10(lo)), 10 ** Math.ceil(Math.log10(hi))];
    if (domain[0] === domain[1]) domain[1] *= 10;
    y = scaleLog().domain(domain).range([plotH, 0]);
    yTicks = powerOfTenTicks(domain[0], domain[1]);
    yFormat = powerOfTenLabel;
  } else {
    const [yLo, yHi] = extent(ys) as [number, number];
    const inc = spec.yInclude ?? [yLo, yHi];
    y = scaleLinear().domain([Math.min(inc[0], yLo), Math.max(inc[1], yHi)]).nice().range([plotH, 0]);
    yTicks = y.ticks(8);
    const step = yTicks.length > 1 ? yTicks[1] - yTicks[0] : 1;
    const digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    yFormat = (v) => v.toFixed(digits);
  }
  // about one layer label per 28 px, so they never run into each other
  const xTicks = x.ticks(Math.max(2, Math.min(20, xMax - xMin + 1, Math.floor(plotW / 28)))).filter((t) => Number.isInteger(t) && t >= xMin && t <= xMax);

  // the plot area's place and the x axis's layers, for a read-out that moves over the layers
  const plot = root.append('g').attr('class', 'plot').attr('transform', `translate(${margin.left},${top})`)
    .attr('data-plot-width', plotW).attr('data-plot-height', plotH).attr('data-x-first', xMin).attr('data-x-last', xMax);
  const grid = plot.append('g').attr('stroke', GRID).attr('stroke-width', 1);
  for (const t of yTicks) grid.append('line').attr('x1', 0).attr('x2', plotW).attr('y1', y(t)).attr('y2', y(t));
  for (const t of xTicks) grid.append('line').attr('x1', x(t)).attr('x2', x(t)).attr('y1', 0).attr('y2', plotH);

  const xAxis = plot.append('g').attr('transform', `translate(0,${plotH})`).call(axisBottom(x).tickValues(xTicks).tickFormat((v) => String(v)));
  const yAxis = plot.append('g').call(axisLeft(y).tickValues(yTicks).tickFormat((v) => yFormat(Number(v))));
  for (const axis of [xAxis, yAxis]) axis.attr('font-size', TICK_SIZE).attr('font-family', null);
  plot.append('text').attr('x', plotW / 2).attr('y', plotH + 42).attr('text-anchor', 'middle').attr('font-size', LABEL_SIZE).text(spec.xLabel);
  plot.append('text').attr('transform', `translate(${-margin.left + 18},${plotH / 2}) rotate(-90)`).attr('text-anchor', 'middle').attr('font-size', LABEL_SIZE).text(spec.yLabel);


  const dropped = spec.series.filter((s) => !s.dashed).reduce((n, s) => n + s.points.filter((p) => !usable(p.y, log)).length, 0);
  if (dropped > 0) {
    plot.append('text').attr('class', 'dropped-note').attr('x', plotW).attr('y', plotH + 42).attr('text-anchor', 'end').attr('font-size', TICK_SIZE).attr('fill', MUTED)
      .text(`${dropped} point${dropped > 1 ? 's' : ''} not drawn: ${log ? 'zero (underflow), ' : ''}inf or NaN (float32 overflow)`);
  }
  drawMarks(plot, spec.series, x, y, (v): v is number => usable(v, log));
  return svg;
}
