import { figureTitle } from './figureTitle.js';
import { axisBottom, axisLeft, scaleLinear, scaleLog, select, type ScaleContinuousNumeric } from 'd3';
import { sweptValue, type SweepPoint, type SweepRecord } from '../metrics/sweepRecord.js';
import { drawLegend } from './legend.js';
import { THEORY_LEGEND } from './patternSeries.js';
import { svgRoot, type FigureContext } from './svgRoot.js';
import { drawMarks, type MarkedSeries } from './marks.js';
import { GRID, LABEL_SIZE, MUTED, SERIES_COLORS, seriesStyle, TICK_SIZE } from './theme.js';

/** A sweep panel's line: marks.ts's series (with --seeds the band is the 10–90% range across seeds, behind the median). */
type Series = MarkedSeries;

type Quantiles = { p10: number | null; median: number | null; p90: number | null };

interface PanelSpec {
  title: string;
  log: boolean;
  series: Series[];
  /** A reference line through (x, y) pairs, e.g. the n^(−½) slope. */
  note?: string;
}

const finite = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);
type Last = {
  token_corr?: number; attn_entropy?: number;
  z_corr?: number | null; a_ex2: number; x_sq_ch_mean?: number; x_ch_var?: number;
  theory?: { token_corr?: number | null; attn_entropy?: number | null; c?: number | null; a_ex2?: number; x_sq_ch_mean?: number | null; x_ch_var?: number | null };
  band?: { token_corr?: Quantiles; attn_entropy?: Quantiles; z_corr?: Quantiles; a_ex2: Quantiles; x_sq_ch_mean?: Quantiles };
};

/**
 * A 1-D sweep: the last layer's z_corr and E[a²] against the swept value (blocks with a norm or a
 * residual: the output's E[x²] and its squared channel mean, the SPP's; attention: token_corr and the
 * attention entropy over their infinite-width maps), every pattern in its
 * colour with the theory dashed (with --seeds the median and the 10–90% band); a width sweep (log axis) adds the seeds' spread of log10 E[a²]
 * against width with the finite-width law's n^(−½) slope; --spectrum adds the last layer's var/mean² and largest
 * eigenvalue of JJᵀ (the first seed's) against free probability.
 */
export function sweepFigure(record: SweepRecord, context: FigureContext): SVGSVGElement {
  const axis = record.axes[0], option = axis.option;
  const logX = option === 'width' || option === 'batch';
  const patterns = [...new Set(record.points.map((p) => p.pattern))];
  const byPattern = (name: string) => record.points.filter((p) => p.pattern === name);
  const seeds = Math.max(...record.points.map((p) => (p.seeds as number) ?? 1));
  const last = (p: SweepPoint) => p.last as Last;
  const series = (value: (p: SweepPoint) => number | null | undefined, theory?: (p: SweepPoint) => number | null | undefined, band?: (p: SweepPoint) => Quantiles | undefined): Series[] =>
    patterns.flatMap((name, i) => {
      const { color, marker } = seriesStyle(i), pts = byPattern(name);
      // with seeds: the median and the 10–90% band across them, else the one seed's value
      const seeded = band !== undefined && pts.every((p) => band(p) !== undefined);
      const measured: Series = seeded
        ? { name, color, marker, points: pts.map((p) => ({ x: sweptValue(p, option), y: band!(p)!.median })), band: pts.map((p) => ({ x: sweptValue(p, option), lo: band!(p)!.p10, hi: band!(p)!.p90 })) }
        : { name, color, marker, points: pts.map((p) => ({ x: sweptValue(p, option), y: value(p) ?? null })) };
      return theory ? [measured, { name: `${name} (theory)`, color, dashed: true, points: pts.map((p) => ({ x: sweptValue(p, option), y: theory(p) ?? null })) }] : [measured];
    });
  const sum = (a: number | null | undefined, b: number | null | undefined) => (finite(a) && finite(b) ? a + b : null);
  const blocks = record.points.every((p) => last(p).x_ch_var !== undefined);
  const tokens = record.points.some((p) => last(p).token_corr !== undefined);
  const panels: PanelSpec[] = tokens
    ? [
        { title: "token_corr: mean pair cosine of a sequence's tokens", log: false, series: series((p) => last(p).token_corr, (p) => last(p).theory?.token_corr, (p) => last(p).band?.token_corr) },
        { title: "attn_entropy: attention rows' entropy / log T", log: false, series: series((p) => last(p).attn_entropy, (p) => last(p).theory?.attn_entropy, (p) => last(p).band?.attn_entropy) },
      ]
    : blocks
    ? [
        { title: 'E[x²] of the output: x_sq_ch_mean + x_ch_var', log: true, series: series((p) => sum(last(p).x_sq_ch_mean, last(p).x_ch_var), (p) => sum(last(p).theory?.x_sq_ch_mean, last(p).theory?.x_ch_var)) },
        { title: 'x_sq_ch_mean: average squared channel mean', log: true, series: series((p) => last(p).x_sq_ch_mean, (p) => last(p).theory?.x_sq_ch_mean, (p) => last(p).band?.x_sq_ch_mean) },
      ]
    : [
        { title: 'z_corr: mean pair cosine of z', log: false, series: series((p) => last(p).z_corr, (p) => last(p).theory?.c, (p) => last(p).band?.z_corr) },
        { title: 'E[a²]', log: true, series: series((p) => last(p).a_ex2, (p) => last(p).theory?.a_ex2, (p) => last(p).band?.a_ex2) },
      ];
  // --spectrum: how far the last layer's Jacobian is from isometry (var/mean² = 0), and its largest eigenvalue
  if (record.points.some((p) => p.spectrum)) {
    panels.push({ title: 'J Jᵀ: var/mean² of its eigenvalues (isometry: 0)', log: false, series: series((p) => p.spectrum?.spread, (p) => p.spectrum?.theory.spread) });
    panels.push({ title: 'J Jᵀ: its largest eigenvalue', log: true, series: series((p) => p.spectrum?.eig_max, (p) => p.spectrum?.theory.eig_max) });
  }
  if (option === 'width' && record.points.some((p) => p.seed_sd)) {
    const spread = series((p) => (p.seed_sd as { log10_a_ex2: number } | undefined)?.log10_a_ex2);
    // the reference slope n^(−½) through the first pattern's geometric mean point
    const ref = spread[0].points.filter((p) => finite(p.y) && p.y > 0) as { x: number; y: number }[];
    if (ref.length > 0) {
      const lx = ref.reduce((t, p) => t + Math.log(p.x), 0) / ref.length, ly = ref.reduce((t, p) => t + Math.log(p.y), 0) / ref.length;
      spread.push({ name: 'slope −½ (finite-width law: spread ∝ n^(−½))', color: MUTED, dashed: true, points: ref.map((p) => ({ x: p.x, y: Math.exp(ly - 0.5 * (Math.log(p.x) - lx)) })) });
    }
    panels.push({ title: "the seeds' sd of log10 E[a²]", log: true, series: spread });
  }
  const W = context.width ?? 980, narrow = W < 700, columns = narrow ? 1 : panels.length > 3 ? 2 : panels.length;
  const panelW = (W - 40 - columns * 100) / columns, panelH = narrow ? 260 : 300;
  const svg = svgRoot(W, 0, context);
  const root = select(svg);
  figureTitle(root, `Sweep over ${option.replace(/_/g, '-')}: the last layer's (${(record.points[0]?.last as { layer?: number } | undefined)?.layer ?? '?'}) statistics`, W);
  const legendHeight = drawLegend(root.append('g').attr('transform', 'translate(80,52)'), [
    ...patterns.map((name, i) => ({ label: seeds > 1 ? `${name} (median of ${seeds} seeds, 10–90% shaded)` : name, ...seriesStyle(i) })), THEORY_LEGEND,
  ], W - 100);
  const top = 52 + legendHeight + 30;
  const xs = record.points.map((p) => sweptValue(p, option));
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  panels.forEach((panel, k) => {
    const col = k % columns, row = Math.floor(k / columns);
    const g = root.append('g').attr('class', 'panel').attr('transform', `translate(${80 + col * (panelW + 100)},${top + row * (panelH + 90)})`);
    const x: ScaleContinuousNumeric<number, number> = logX ? scaleLog().domain([xMin / 1.15, xMax * 1.15]).range([0, panelW]) : scaleLinear().domain(xMin === xMax ? [xMin - 1, xMax + 1] : [xMin, xMax]).nice().range([0, panelW]);
    const ys = panel.series.flatMap((s) => [...s.points.map((p) => p.y), ...(s.band ?? []).flatMap((b) => [b.lo, b.hi])]).filter((v): v is number => finite(v) && (!panel.log || v > 0));
    const lo = ys.length ? Math.min(...ys) : 0, hi = ys.length ? Math.max(...ys) : 1;
    const y: ScaleContinuousNumeric<number, number> = panel.log
      ? scaleLog().domain([10 ** Math.floor(Math.log10(lo || 1)), 10 ** Math.ceil(Math.log10(hi || 1) + (lo === hi ? 1 : 0))]).range([panelH, 0])
      : scaleLinear().domain([Math.min(0, lo), Math.max(1, hi)]).nice().range([panelH, 0]);
    for (const t of y.ticks(6)) g.append('line').attr('x1', 0).attr('x2', panelW).attr('y1', y(t)).attr('y2', y(t)).attr('stroke', GRID);
    g.append('text').attr('x', panelW / 2).attr('y', -10).attr('text-anchor', 'middle').attr('font-size', LABEL_SIZE).attr('font-weight', 'bold').text(panel.title);
    const inside = (v: number | null): v is number => finite(v) && (!panel.log || v > 0);
    drawMarks(g, panel.series, x, y, inside);
    for (const s of panel.series.filter((t) => t.color === MUTED)) g.append('text').attr('x', panelW).attr('y', panelH + 52).attr('text-anchor', 'end').attr('font-size', TICK_SIZE).attr('fill', MUTED).text(s.name);
    const critical = (record.critical ?? []).filter((c) => finite(c.gain));
    if (option === 'gain') {
      critical.forEach((c) => {
        const color = SERIES_COLORS[patterns.indexOf(c.pattern) % SERIES_COLORS.length];
        if (c.gain! >= x.domain()[0] && c.gain! <= x.domain()[1]) g.append('line').attr('class', 'critical').attr('x1', x(c.gain!)).attr('x2', x(c.gain!)).attr('y1', 0).attr('y2', panelH).attr('stroke', color).attr('stroke-dasharray', '2,3');
      });
    }
    g.append('g').attr('transform', `translate(0,${panelH})`).call(logX ? axisBottom(x).tickValues(axis.values).tickFormat((v) => String(v)) : axisBottom(x).ticks(6)).attr('font-size', TICK_SIZE).attr('font-family', null);
    g.append('g').call(panel.log ? axisLeft(y).ticks(5, '.0e') : axisLeft(y).ticks(6)).attr('font-size', TICK_SIZE).attr('font-family', null);
    g.append('text').attr('x', panelW / 2).attr('y', panelH + 36).attr('text-anchor', 'middle').attr('font-size', LABEL_SIZE).text(`${option.replace(/_/g, '-')}${option === 'gain' && critical.length ? ' (dotted: χ₁ = 1)' : ''}`);
  });
  const rows = Math.ceil(panels.length / columns);
  const H = top + rows * (panelH + 90);
  svg.setAttribute('height', String(H));
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.querySelector('rect')!.setAttribute('height', String(H));
  return svg;
}
