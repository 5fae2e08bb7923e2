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

// A pattern whose stream outgrows the rest by more than this factor (no norm: (1 + α²)ˡ) gets panels of
// its own, so the others keep their shape (1 + α²·l, the 1/π channel-mean shift) on linear axes.
const OWN_SCALE_FACTOR = 10;
// A panel whose values span more than this ratio is drawn on a log axis, otherwise linear, as Brock et al.
const LOG_SPAN = 1e3;

/** The largest finite value a pattern reaches in a panel's statistic, measured or predicted. */
function peak(p: PatternResult, key: (typeof SPP_KEYS)[number]): number {
  const values = p.layers.flatMap((l) => [l[key], l.theory?.[key]]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return values.length ? Math.max(...values) : 0;
}

/** The shown patterns that explode: their stream's channel variance exceeds every other's by OWN_SCALE_FACTOR. */
export function explodingPatterns(shown: PatternResult[]): PatternResult[] {
  const peaks = new Map(shown.map((p) => [p, peak(p, 'x_ch_var')]));
  const sorted = [...shown].sort((a, b) => peaks.get(a)! - peaks.get(b)!);
  // cut at the first jump by more than the factor, from the smallest up; nothing explodes when all are alike
  for (let i = 1; i < sorted.length; i++) {
    if (peaks.get(sorted[i])! > OWN_SCALE_FACTOR * peaks.get(sorted[i - 1])!) return sorted.slice(i);
  }
  return [];
}

/** `patterns`: all of a run's patterns (their index gives their colour); `keep`: those this plot shows. */
export function sppFigure(patterns: PatternResult[], keep: (p: PatternResult) => boolean, title: string, context: FigureContext): SVGSVGElement {
  const shown = patterns.filter(keep);
  const keys = SPP_KEYS.filter((k) => shown.some((p) => p.layers.some((l) => l[k] !== undefined)));
  const exploding = explodingPatterns(shown);
  // one row of panels for the patterns on a common scale, and one for those that explode, on their own
  const rows = [shown.filter((p) => !exploding.includes(p)), exploding].filter((r) => r.length > 0);
  const width = context.width ?? 1260, stacked = width < 760;
  const panelW = stacked ? width : Math.floor(width / keys.length), panelH = stacked ? 330 : 420;
  const seeds = shown.find((p) => p.bands)?.seeds?.length;
  const legend = [
    ...patterns.map((p, i) => ({ p, i })).filter(({ p }) => keep(p)).map(({ p, i }) => ({ label: exploding.includes(p) ? `${p.name} (own panels)` : p.name, ...seriesStyle(i) })),
    THEORY_LEGEND,
    ...(seeds ? [{ label: `lines: median of ${seeds} seeds, shaded 10–90%`, color: MUTED, box: true }] : []),
  ];
  // the legend's height first, on a scratch group, so the panels start below it
  const probe = select(svgRoot(width, 10, context)).append('g');
  const legendHeight = drawLegend(probe, legend, width - 48);
  const titleLines = twoLines(title, width - 24, TITLE_SIZE);
  const top = 20 + titleLines.length * 18 + 10 + legendHeight + 6;
  const panelsPerRow = stacked ? keys.length : 1;
  const height = top + rows.length * panelsPerRow * panelH + 10;
  const svg = svgRoot(width, height, context);
  const root = select(svg);
  titleLines.forEach((text, i) => root.append('text').attr('x', width / 2).attr('y', 26 + i * 18).attr('text-anchor', 'middle').attr('font-size', TITLE_SIZE).attr('font-weight', 'bold').text(text));
  drawLegend(root.append('g').attr('transform', `translate(24,${20 + titleLines.length * 18 + 14})`), legend, width - 48);
  rows.forEach((row, r) => {
    const inRow = (p: PatternResult) => row.includes(p);
    keys.forEach((key, i) => {
      const values = row.map((p) => peak(p, key));
      const floor = Math.min(...row.flatMap((p) => p.layers.map((l) => l[key]).filter((v): v is number => typeof v === 'number' && v > 0)));
      const log = Math.max(...values) / floor > LOG_SPAN;
      const panel = lineFigure({
        title: r === 1 ? `${PANEL_TITLES[key]} (own scale)` : PANEL_TITLES[key],
        xLabel: 'block',
        yLabel: key,
        yScale: log ? 'log' : 'linear',
        yInclude: [0, 0],
        width: panelW,
        height: panelH,
        series: patternSeries(patterns, key, (l) => l.theory?.[key] ?? null, inRow).map((s) => ({ ...s, legend: false })),
      }, context);
      panel.setAttribute('x', String(stacked ? 0 : i * panelW));
      panel.setAttribute('y', String(top + (stacked ? (r * keys.length + i) * panelH : r * panelH)));
      svg.appendChild(panel);
    });
  });
  if (keys.length === 0) root.append('text').attr('x', width / 2).attr('y', top + 40).attr('text-anchor', 'middle').attr('font-size', LABEL_SIZE).attr('fill', MUTED).text('no block statistics in these results');
  return svg;
}
