import { axisBottom, max, scaleBand, scaleLinear, select } from 'd3';
import { svgRoot, type FigureContext } from './svgRoot.js';
import { GRID, INK, LABEL_SIZE, SERIES_COLORS, TICK_SIZE, TITLE_SIZE, textWidth } from './theme.js';

export interface BenchBar {
  label: string;
  value: number;
  min: number;
  max: number;
}

// What a bar measures, from its label: the calibration loop is drawn as an outline, a reference.
const KINDS = [
  { name: 'this core\'s peak loop', test: (label: string) => label.includes('peak-loop'), fill: 'none', stroke: INK },
  { name: 'dense', test: (label: string) => label.startsWith('wasm-dense'), fill: SERIES_COLORS[0], stroke: 'none' },
  { name: 'zero-skipping', test: (label: string) => label.includes('zero-skip'), fill: SERIES_COLORS[2], stroke: 'none' },
  { name: 'pure TS', test: (label: string) => label.startsWith('ts-'), fill: SERIES_COLORS[7], stroke: 'none' },
];

/** Horizontal bars of GFLOP/s (median) with min–max whiskers, one per kernel configuration. */
export function benchFigure(data: { title: string; bars: BenchBar[] }, context: FigureContext): SVGSVGElement {
  const labelW = Math.max(...data.bars.map((b) => textWidth(b.label, LABEL_SIZE))) + 16;
  const width = 860, barH = 28, top = 64, bottom = 52, right = 70;
  const height = top + data.bars.length * barH + bottom;
  const svg = svgRoot(width, height, context);
  const root = select(svg);
  root.append('text').attr('x', width / 2).attr('y', 30).attr('text-anchor', 'middle').attr('font-size', TITLE_SIZE).attr('font-weight', 'bold').text(data.title);
  const plotW = width - labelW - right, plotH = data.bars.length * barH;
  const x = scaleLinear().domain([0, max(data.bars, (b) => b.max) ?? 1]).nice().range([0, plotW]);
  const y = scaleBand().domain(data.bars.map((b) => b.label)).range([0, plotH]).padding(0.25);
  const plot = root.append('g').attr('transform', `translate(${labelW},${top})`);
  for (const t of x.ticks(8)) plot.append('line').attr('x1', x(t)).attr('x2', x(t)).attr('y1', 0).attr('y2', plotH).attr('stroke', GRID);
  for (const b of data.bars) {
    const y0 = y(b.label) ?? 0, h = y.bandwidth();
    const kind = KINDS.find((k) => k.test(b.label)) ?? KINDS[1];
    plot.append('rect').attr('x', 0).attr('y', y0).attr('width', x(b.value)).attr('height', h).attr('fill', kind.fill).attr('stroke', kind.stroke).attr('stroke-width', 1.2);
    plot.append('line').attr('x1', x(b.min)).attr('x2', x(b.max)).attr('y1', y0 + h / 2).attr('y2', y0 + h / 2).attr('stroke', INK).attr('stroke-width', 1.2);
    plot.append('text').attr('x', -8).attr('y', y0 + h / 2).attr('dy', '0.35em').attr('text-anchor', 'end').attr('font-size', LABEL_SIZE).text(b.label);
    plot.append('text').attr('x', x(b.max) + 6).attr('y', y0 + h / 2).attr('dy', '0.35em').attr('font-size', TICK_SIZE).text(b.value.toFixed(1));
  }
  // legend of the kinds present, under the title
  const present = KINDS.filter((k) => data.bars.some((b) => k.test(b.label)));
  let lx = labelW;
  for (const k of present) {
    root.append('rect').attr('x', lx).attr('y', 40).attr('width', 12).attr('height', 10).attr('fill', k.fill).attr('stroke', k.stroke).attr('stroke-width', 1.2);
    root.append('text').attr('x', lx + 17).attr('y', 49).attr('font-size', TICK_SIZE).text(k.name);
    lx += 17 + textWidth(k.name, TICK_SIZE) + 22;
  }
  plot.append('g').attr('transform', `translate(0,${plotH})`).call(axisBottom(x).ticks(8)).attr('font-size', TICK_SIZE).attr('font-family', null);
  plot.append('text').attr('x', plotW / 2).attr('y', plotH + 40).attr('text-anchor', 'middle').attr('font-size', LABEL_SIZE).text('GFLOP/s (median of the timed runs; whiskers: min–max)');
  return svg;
}
