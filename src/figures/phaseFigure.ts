import { figureTitle } from './figureTitle.js';
import { orderStatistic } from '../metrics/bands.js';
import { axisBottom, axisLeft, interpolateRdBu, interpolateViridis, line, scaleLinear, scaleSequential, select } from 'd3';
import type { SweepPoint, SweepRecord } from '../metrics/sweepRecord.js';
import { sweepAxisCoordinate, type SweepCoordinate } from './sweepCoordinates.js';
import { svgRoot, type FigureContext } from './svgRoot.js';
import { INK, LABEL_SIZE, MUTED, TICK_SIZE } from './theme.js';

interface Panel {
  title: string;
  value: (p: SweepPoint) => number | null;
  /** Its theory's value at a point, where the figure draws the theory's 0.5 contour. */
  theory?: (p: SweepPoint) => number | null;
  color: (v: number) => string;
  domain: [number, number];
}

const finite = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);

/** Cell edges halfway between neighbouring grid values (a single value gets a unit-wide cell). */
function cellEdges(values: number[]): number[] {
  if (values.length === 1) return [values[0] - 0.5, values[0] + 0.5];
  const mids = values.slice(1).map((v, i) => (v + values[i]) / 2);
  return [2 * values[0] - mids[0], ...mids, 2 * values[values.length - 1] - mids[mids.length - 1]];
}

/**
 * A 2-D sweep of one pattern as Poole et al.'s phase diagram: heat maps of the last layer's z_corr
 * and log10 E[a²] over the grid (σw² across, σb² up, where gain and bias-std are swept), with the
 * theory's χ₁ = 1 line on top where the sweep spans it. Attention and transformer blocks show the
 * last block's token_corr (rank collapse at 1) and attention entropy instead, measured only.
 */
export function phaseFigure(record: SweepRecord, pattern: string, context: FigureContext, marker?: { x: number; y: number }): SVGSVGElement {
  const points = record.points.filter((p) => p.pattern === pattern);
  const [yAxis, xAxis] = record.axes.some((a) => a.option === 'gain') && record.axes[0].option === 'gain' ? [record.axes[1], record.axes[0]] : [record.axes[0], record.axes[1]];
  const xc: SweepCoordinate = sweepAxisCoordinate(xAxis.option), yc: SweepCoordinate = sweepAxisCoordinate(yAxis.option);
  const xs = [...new Set(points.map((p) => xc.of(p)))].sort((a, b) => a - b), ys = [...new Set(points.map((p) => yc.of(p)))].sort((a, b) => a - b);
  const W = context.width ?? 980, narrow = W < 700;
  const panelW = narrow ? W - 110 : (W - 190) / 2, panelH = Math.min(360, panelW * 0.8);
  const H = 96 + (narrow ? 2 * (panelH + 136) : panelH + 110);
  const svg = svgRoot(W, H, context);
  const root = select(svg);
  const depth = (points[0]?.last as { layer?: number } | undefined)?.layer;
  // a phone's width has room for the pattern and the layer only; the axes say the rest
  const title = narrow ? `${pattern}: layer ${depth ?? ''}` : `Order and chaos, ${pattern}: the last layer${depth ? ` (${depth})` : ''} over ${xc.label} and ${yc.label}`;
  figureTitle(root, title, W);
  const last = (p: SweepPoint) => p.last as { z_corr?: number | null; a_ex2: number; token_corr?: number; attn_entropy?: number; theory?: { token_corr?: number | null; attn_entropy?: number | null } };
  // attention and transformer blocks: their order is the tokens of a sequence collapsing onto one vector
  const logA = points.map((p) => Math.log10(last(p).a_ex2)).filter(finite);
  // the colours span the 90th percentile of |log10 E[a²]| (at least 1), so a few dead or exploding cells do not wash out the rest
  const spread = Math.max(1, Math.ceil(orderStatistic(logA.map(Math.abs), 0.9) ?? 1));
  const zc = points.map((p) => last(p).z_corr).filter(finite);
  const tokens = points.some((p) => last(p).token_corr !== undefined);
  const tc = points.map((p) => last(p).token_corr).filter(finite);
  const panels: Panel[] = tokens
    ? [
        { title: "token_corr: mean pair cosine of a sequence's tokens", value: (p) => last(p).token_corr ?? null, theory: (p) => last(p).theory?.token_corr ?? null, color: (v) => interpolateViridis(v), domain: [Math.min(0, ...tc), 1] },
        { title: 'attn_entropy: attention rows\' entropy / log T', value: (p) => last(p).attn_entropy ?? null, theory: (p) => last(p).theory?.attn_entropy ?? null, color: (v) => interpolateViridis(v), domain: [0, 1] },
      ]
    : [
        { title: 'z_corr: mean pair cosine of z', value: (p) => last(p).z_corr ?? null, color: (v) => interpolateViridis(v), domain: [Math.min(0, ...zc), 1] },
        { title: 'log10 E[a²]', value: (p) => { const v = Math.log10(last(p).a_ex2); return finite(v) ? v : null; }, color: (v) => interpolateRdBu(1 - v), domain: [-spread, spread] },
      ];
  const xEdges = cellEdges(xs), yEdges = cellEdges(ys);
  const critical = (record.critical ?? []).filter((c) => c.pattern === pattern && finite(c.sigma_w2)).sort((a, b) => a.sigma_b2 - b.sigma_b2);
  panels.forEach((panel, k) => {
    const left = narrow ? 70 : 70 + k * (panelW + 110), top = 76 + (narrow ? k * (panelH + 136) : 0) + 20;
    const x = scaleLinear().domain([xEdges[0], xEdges[xEdges.length - 1]]).range([0, panelW]);
    const y = scaleLinear().domain([yEdges[0], yEdges[yEdges.length - 1]]).range([panelH, 0]);
    const g = root.append('g').attr('class', 'panel').attr('transform', `translate(${left},${top})`);
    g.append('text').attr('x', panelW / 2).attr('y', -10).attr('text-anchor', 'middle').attr('font-size', LABEL_SIZE).attr('font-weight', 'bold').text(panel.title);
    const scale = scaleSequential((t: number) => panel.color(t)).domain([0, 1]);
    for (const p of points) {
      const i = xs.indexOf(xc.of(p)), j = ys.indexOf(yc.of(p)), v = panel.value(p);
      const t = v === null ? null : Math.max(0, Math.min(1, (v - panel.domain[0]) / (panel.domain[1] - panel.domain[0])));
      g.append('rect').attr('class', 'cell').attr('x', x(xEdges[i])).attr('y', y(yEdges[j + 1])).attr('width', x(xEdges[i + 1]) - x(xEdges[i]) + 0.3).attr('height', y(yEdges[j]) - y(yEdges[j + 1]) + 0.3)
        .attr('fill', t === null ? '#bbbbbb' : scale(t)).attr('data-x', xc.of(p)).attr('data-y', yc.of(p)).attr('data-index', p.index).attr('data-value', v === null ? 'null' : v);
    }
    if (critical.length > 0 && xc.option === 'gain' && yc.option === 'bias_std') {
      const path = line<{ sigma_w2: number | null; sigma_b2: number }>().x((c) => x(c.sigma_w2 as number)).y((c) => y(c.sigma_b2));
      const d = critical.length === 1 ? `M${x(critical[0].sigma_w2!)},0V${panelH}` : path(critical) ?? '';
      g.append('path').attr('d', d).attr('fill', 'none').attr('stroke', 'white').attr('stroke-width', 5);
      g.append('path').attr('class', 'critical').attr('d', d).attr('fill', 'none').attr('stroke', INK).attr('stroke-width', 2).attr('stroke-dasharray', '7,4');
    }
    // the page's current point (σw², σb²), where the explorer stands
    if (marker && marker.x >= xEdges[0] && marker.x <= xEdges[xEdges.length - 1] && marker.y >= yEdges[0] && marker.y <= yEdges[yEdges.length - 1]) {
      g.append('circle').attr('class', 'current').attr('cx', x(marker.x)).attr('cy', y(marker.y)).attr('r', 7).attr('fill', 'none').attr('stroke', 'white').attr('stroke-width', 4);
      g.append('circle').attr('cx', x(marker.x)).attr('cy', y(marker.y)).attr('r', 7).attr('fill', 'none').attr('stroke', INK).attr('stroke-width', 2);
    }
    g.append('g').attr('transform', `translate(0,${panelH})`).call(axisBottom(x).ticks(6)).attr('font-size', TICK_SIZE).attr('font-family', null);
    g.append('g').call(axisLeft(y).ticks(6)).attr('font-size', TICK_SIZE).attr('font-family', null);
    g.append('text').attr('x', panelW / 2).attr('y', panelH + 38).attr('text-anchor', 'middle').attr('font-size', LABEL_SIZE).text(xc.label);
    g.append('text').attr('transform', `translate(-46,${panelH / 2}) rotate(-90)`).attr('text-anchor', 'middle').attr('font-size', LABEL_SIZE).text(yc.label);
    // the colour bar
    const bar = g.append('g').attr('class', 'colorbar').attr('transform', `translate(0,${panelH + 54})`), barW = Math.min(220, panelW);
    for (let s = 0; s < 40; s++) bar.append('rect').attr('x', (s * barW) / 40).attr('width', barW / 40 + 0.3).attr('height', 10).attr('fill', scale(s / 39));
    const label = (v: number) => (Object.is(Math.round(v * 100) / 100, -0) ? 0 : v).toFixed(2);
    const clipped = !tokens && k === 1 && logA.some((v) => Math.abs(v) > spread);
    bar.append('text').attr('x', 0).attr('y', 24).attr('font-size', TICK_SIZE).text(`${clipped ? '≤ ' : ''}${label(panel.domain[0])}`);
    bar.append('text').attr('x', barW).attr('y', 24).attr('text-anchor', 'end').attr('font-size', TICK_SIZE).text(`${clipped ? '≥ ' : ''}${label(panel.domain[1])}`);
    if (critical.length > 0 && k === 0) {
      const below = narrow || barW + 170 > panelW + 100;
      bar.append('text').attr('x', below ? barW : barW + 12).attr('y', below ? 40 : 10).attr('text-anchor', below ? 'end' : null).attr('font-size', TICK_SIZE).attr('fill', MUTED).text('dashed: χ₁ = 1 (theory)');
    }
    // attention: the theory's 0.5 contour over the measured cells (the map is the infinite-width one), or say there is none
    if (tokens && panel.theory) {
      const drawn = theoryContour(g, points, panel.theory, xs, ys, xc, yc, x, y);
      if (k === 0) bar.append('text').attr('class', drawn ? 'theory-note' : 'no-theory').attr('x', 0).attr('y', 42).attr('font-size', TICK_SIZE).attr('fill', MUTED).text(drawn ? 'dashed: theory = 0.5 (infinite width)' : 'measured only: no theory here');
    }
  });
  return svg;
}

/**
 * The 0.5 contour of a theory over the grid, by marching squares between neighbouring points (each at its cell's
 * centre, the level crossed by linear interpolation along the square's edges), drawn dashed in ink over white so
 * it shows on every colour; false where a point has no theory.
 */
function theoryContour(g: ReturnType<typeof select<SVGGElement, unknown>>, points: SweepPoint[], theory: (p: SweepPoint) => number | null, xs: number[], ys: number[], xc: SweepCoordinate, yc: SweepCoordinate, x: (v: number) => number, y: (v: number) => number): boolean {
  const value = (i: number, j: number) => grid[j * xs.length + i];
  const grid = new Array<number>(xs.length * ys.length).fill(NaN);
  for (const p of points) grid[ys.indexOf(yc.of(p)) * xs.length + xs.indexOf(xc.of(p))] = theory(p) ?? NaN;
  if (grid.some((v) => !Number.isFinite(v))) return false;
  const level = 0.5, segments: string[] = [];
  for (let j = 0; j + 1 < ys.length; j++) for (let i = 0; i + 1 < xs.length; i++) {
    // the square's corners in order around it, and where the level crosses each of its four edges
    const corners: [number, number][] = [[i, j], [i + 1, j], [i + 1, j + 1], [i, j + 1]];
    const crossings: [number, number][] = [];
    corners.forEach(([ai, aj], k) => {
      const [bi, bj] = corners[(k + 1) % 4], va = value(ai, aj), vb = value(bi, bj);
      if ((va < level) === (vb < level)) return;
      const t = (level - va) / (vb - va);
      crossings.push([x(xs[ai] + t * (xs[bi] - xs[ai])), y(ys[aj] + t * (ys[bj] - ys[aj]))]);
    });
    // two crossings: one segment; four (a saddle): two, pairing neighbouring edges
    for (let k = 0; k + 1 < crossings.length; k += 2) segments.push(`M${crossings[k][0]},${crossings[k][1]}L${crossings[k + 1][0]},${crossings[k + 1][1]}`);
  }
  const d = segments.join('');
  if (d === '') return true;
  g.append('path').attr('d', d).attr('fill', 'none').attr('stroke', 'white').attr('stroke-width', 5).attr('stroke-linecap', 'round');
  g.append('path').attr('class', 'theory-contour').attr('d', d).attr('fill', 'none').attr('stroke', INK).attr('stroke-width', 2).attr('stroke-dasharray', '7,4');
  return true;
}
