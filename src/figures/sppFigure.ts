// The Signal Propagation Plot of Brock, De & Smith (2021, Figure 1): per block, the average squared
// channel mean and the average channel variance of the block's output x and, for residual blocks,
// the branch r's average channel variance, each on its own panel against the block index, the
// patterns overlaid in their colours, the residual-stream theory dashed and seed bands shaded.
import { select } from 'd3';
import { SPP_KEYS } from '../metrics/bands.js';
import type { PatternResult } from '../metrics/results.js';
import { drawLegend } from './legend.js';
import { lineFigure } from './lineFigure.js';
import { patternSeries, THEORY_LEGEND } from './patternSeries.js';
import { svgRoot, type FigureContext } from './svgRoot.js';
import { LABEL_SIZE, MUTED, seriesStyle, TITLE_SIZE, twoLines } from './theme.js';

const PANEL_TITLES: Record<(typeof SPP_KEYS)[number], string> = {
  x_sq_ch_mean: 'average squared channel mean',
  x_ch_var: 'average channel variance',
  branch_ch_var: 'residual branch: average channel variance',
};

/** `patterns`: all of a run's patterns (their index gives their colour); `keep`: those this plot shows. */
export function sppFigure(patterns: PatternResult[], keep: (p: PatternResult) => boolean, title: string, context: FigureContext): SVGSVGElement {
  const shown = patterns.filter(keep);
  const keys = SPP_KEYS.filter((k) => shown.some((p) => p.layers.some((l) => l[k] !== undefined)));
  const width = context.width ?? 1260, stacked = width < 760;
  const panelW = stacked ? width : Math.floor(width / keys.length), panelH = stacked ? 330 : 420;
  const seeds = shown.find((p) => p.bands)?.seeds?.length;
  const legend = [
    ...patterns.map((p, i) => ({ p, i })).filter(({ p }) => keep(p)).map(({ p, i }) => ({ label: p.name, ...seriesStyle(i) })),
    THEORY_LEGEND,
    ...(seeds ? [{ label: `lines: median of ${seeds} seeds, shaded 10–90%`, color: MUTED, box: true }] : []),
  ];
  // the legend's height first, on a scratch group, so the panels start below it
  const probe = select(svgRoot(width, 10, context)).append('g');
  const legendHeight = drawLegend(probe, legend, width - 48);
  const titleLines = twoLines(title, width - 24, TITLE_SIZE);
  const top = 20 + titleLines.length * 18 + 10 + legendHeight + 6;
  const height = top + (stacked ? keys.length * panelH : panelH) + 10;
  const svg = svgRoot(width, height, context);
  const root = select(svg);
  titleLines.forEach((text, i) => root.append('text').attr('x', width / 2).attr('y', 26 + i * 18).attr('text-anchor', 'middle').attr('font-size', TITLE_SIZE).attr('font-weight', 'bold').text(text));
  drawLegend(root.append('g').attr('transform', `translate(24,${20 + titleLines.length * 18 + 14})`), legend, width - 48);
  keys.forEach((key, i) => {
    const panel = lineFigure({
      title: PANEL_TITLES[key],
      xLabel: 'block',
      yLabel: key,
      yScale: 'log',
      width: panelW,
      height: panelH,
      series: patternSeries(patterns, key, (l) => l.theory?.[key] ?? null, keep).map((s) => ({ ...s, legend: false })),
    }, context);
    panel.setAttribute('x', String(stacked ? 0 : i * panelW));
    panel.setAttribute('y', String(stacked ? top + i * panelH : top));
    svg.appendChild(panel);
  });
  if (keys.length === 0) root.append('text').attr('x', width / 2).attr('y', top + 40).attr('text-anchor', 'middle').attr('font-size', LABEL_SIZE).attr('fill', MUTED).text('no block statistics in these results');
  return svg;
}
