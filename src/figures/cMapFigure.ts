import { figureTitle } from './figureTitle.js';
import { axisBottom, axisLeft, line, scaleLinear, select } from 'd3';
import type { PatternResult } from '../metrics/results.js';
import { drawLegend } from './legend.js';
import { markerPath, THEORY_WIDTH } from './marks.js';
import { svgRoot, type FigureContext } from './svgRoot.js';
import { GRID, INK, LABEL_SIZE, MUTED, seriesStyle, TICK_SIZE } from './theme.js';

const usable = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);

/**
 * The correlation map of one pattern (Poole et al. 2016, Fig. 3): C(c) at q* (dashed), the identity
 * line, where they meet (c*), and the measured steps (z_corr of layer l, of layer l + 1) joined in
 * layer order, every seed's where there are several.
 */
export function cMapFigure(pattern: PatternResult, patternIndex: number, context: FigureContext): SVGSVGElement {
  const map = pattern.c_map!;
  const W = context.width ?? 620, H = Math.min(W + 60, 680);
  const svg = svgRoot(W, H, context);
  const root = select(svg);
  const { color, marker } = seriesStyle(patternIndex);
  const runs = pattern.seeds ?? [pattern.layers];
  const steps = runs.map((layers) => layers.slice(1).map((l, i) => ({ from: layers[i].z_corr, to: l.z_corr, layer: layers[i].layer })).filter((s) => usable(s.from) && usable(s.to)) as { from: number; to: number; layer: number }[]);
  figureTitle(root, `Correlation map C(c), ${pattern.name}, at q = ${map.q.toPrecision(4)}${pattern.phase?.q_star === map.q ? ' (q*)' : ' (last layer)'}`, W);
  const cStar = pattern.phase?.c_star;
  const legendHeight = drawLegend(root.append('g').attr('transform', 'translate(70,56)'), [
    { label: `measured (z_corr of layer l, of l + 1)${runs.length > 1 ? `, ${runs.length} seeds` : ''}`, color, marker },
    { label: 'dashed: C(c), mean-field theory', color: INK, dashed: true },
    { label: `identity${usable(cStar) ? `; c* = ${cStar.toFixed(4)}` : ''}`, color: MUTED, lineOnly: true },
  ], W - 70 - 24);
  const margin = { left: 70, right: 24, top: 56 + legendHeight + 10, bottom: 56 };
  const size = Math.min(W - margin.left - margin.right, H - margin.top - margin.bottom);
  // the measured steps and the map's values set the range; the identity needs a square
  const values = [...steps.flat().flatMap((s) => [s.from, s.to])];
  const lo = Math.min(0, ...values), domain: [number, number] = [lo < 0 ? Math.max(-1, Math.floor(lo * 10) / 10) : 0, 1];
  const x = scaleLinear().domain(domain).range([0, size]), y = scaleLinear().domain(domain).range([size, 0]);
  const plot = root.append('g').attr('class', 'plot').attr('transform', `translate(${margin.left + (W - margin.left - margin.right - size) / 2},${margin.top})`);
  const ticks = x.ticks(6);
  for (const t of ticks) {
    plot.append('line').attr('x1', x(t)).attr('x2', x(t)).attr('y1', 0).attr('y2', size).attr('stroke', GRID);
    plot.append('line').attr('x1', 0).attr('x2', size).attr('y1', y(t)).attr('y2', y(t)).attr('stroke', GRID);
  }
  plot.append('line').attr('class', 'identity').attr('x1', x(domain[0])).attr('y1', y(domain[0])).attr('x2', x(1)).attr('y2', y(1)).attr('stroke', MUTED).attr('stroke-width', 1.2);
  const curve = map.c.map((c, i) => ({ c, v: map.next[i] })).filter((p) => p.c >= domain[0] - 1e-12 && usable(p.v));
  const path = line<{ c: number; v: number }>().x((p) => x(p.c)).y((p) => y(Math.max(domain[0], Math.min(1, p.v))));
  // the theory thin and under the measured steps, which are drawn after it
  plot.append('path').attr('class', 'theory').attr('d', path(curve) ?? '').attr('fill', 'none').attr('stroke', INK).attr('stroke-width', THEORY_WIDTH).attr('stroke-dasharray', '6,4');
  if (usable(cStar) && cStar >= domain[0]) plot.append('circle').attr('class', 'fixed-point').attr('cx', x(cStar)).attr('cy', y(cStar)).attr('r', 5).attr('fill', 'none').attr('stroke', INK).attr('stroke-width', 1.5);
  steps.forEach((run, k) => {
    const g = plot.append('g').attr('class', 'measured').attr('fill-opacity', k === 0 ? 1 : 0.45);
    g.append('path').attr('d', line<{ from: number; to: number }>().x((s) => x(s.from)).y((s) => y(s.to))(run) ?? '').attr('fill', 'none').attr('stroke', color).attr('stroke-width', 1.5).attr('stroke-opacity', k === 0 ? 0.9 : 0.3);
    for (const s of run) g.append('path').attr('class', 'marker').attr('d', markerPath(marker)).attr('transform', `translate(${x(s.from)},${y(s.to)})`).attr('fill', color).attr('stroke', 'white').attr('stroke-width', 0.8).attr('data-layer', s.layer);
  });
  const first = steps[0]?.[0], last = steps[0]?.at(-1);
  for (const [s, anchor] of [[first, 'start'], [last, 'end']] as const) {
    if (s) plot.append('text').attr('x', x(s.from) + (anchor === 'start' ? 7 : -7)).attr('y', y(s.to) - 7).attr('text-anchor', anchor).attr('font-size', TICK_SIZE).attr('fill', MUTED).text(`l = ${s.layer}`);
  }
  plot.append('g').attr('transform', `translate(0,${size})`).call(axisBottom(x).tickValues(ticks)).attr('font-size', TICK_SIZE).attr('font-family', null);
  plot.append('g').call(axisLeft(y).tickValues(ticks)).attr('font-size', TICK_SIZE).attr('font-family', null);
  plot.append('text').attr('x', size / 2).attr('y', size + 42).attr('text-anchor', 'middle').attr('font-size', LABEL_SIZE).text('c of layer l (z_corr)');
  plot.append('text').attr('transform', `translate(-48,${size / 2}) rotate(-90)`).attr('text-anchor', 'middle').attr('font-size', LABEL_SIZE).text('c of layer l + 1');
  return svg;
}
