// The marks every line chart shares: seed bands, theory lines and measured lines with their markers,
// drawn so that a prediction never hides a measurement.
import { area, line, symbol, symbolCircle, symbolCross, symbolDiamond, symbolSquare, symbolStar, symbolTriangle, symbolWye, type Selection, type SymbolType } from 'd3';
import type { MarkerName } from './theme.js';

const SYMBOLS: Record<MarkerName, SymbolType> = { circle: symbolCircle, square: symbolSquare, triangle: symbolTriangle, diamond: symbolDiamond, cross: symbolCross, star: symbolStar, wye: symbolWye };
/** Marker area in px² (d3's symbol size): about a 7 px circle. */
export const MARKER_AREA = 40;
export const THEORY_WIDTH = 1.3;
export const MEASURED_WIDTH = 2;

/** The path of a marker centred on the origin; `scale` enlarges it (the page's read-out). */
export function markerPath(marker: MarkerName, scale = 1): string {
  return symbol(SYMBOLS[marker], MARKER_AREA * scale * scale)() ?? '';
}

export interface MarkedSeries {
  name: string;
  color: string;
  marker?: MarkerName;
  dashed?: boolean;
  points: { x: number; y: number | null }[];
  band?: { x: number; lo: number | null; hi: number | null }[];
}

type Group = Selection<SVGGElement, unknown, null, undefined>;

/**
 * Bands at the back; every theory line thin and dashed under the measurements; the measured lines;
 * then every measured point's marker on top, the first pattern's last, so where two patterns
 * measure the same value (Xavier + Identity and He + ReLU at E[a²] ≈ 1) both stay visible.
 */
export function drawMarks(g: Group, series: readonly MarkedSeries[], x: (v: number) => number, y: (v: number) => number, usable: (v: number | null) => v is number): void {
  for (const s of series) {
    if (!s.band) continue;
    const shade = area<{ x: number; lo: number | null; hi: number | null }>().defined((b) => usable(b.lo) && usable(b.hi)).x((b) => x(b.x)).y0((b) => y(b.lo as number)).y1((b) => y(b.hi as number));
    g.append('path').attr('class', 'band').attr('d', shade(s.band) ?? '').attr('fill', s.color).attr('fill-opacity', 0.18).attr('stroke', 'none');
  }
  const path = line<{ x: number; y: number | null }>().defined((p) => usable(p.y)).x((p) => x(p.x)).y((p) => y(p.y as number));
  const theory = series.filter((s) => s.dashed), measured = series.filter((s) => !s.dashed);
  for (const s of theory) {
    g.append('g').attr('class', 'series theory').attr('data-name', s.name).append('path').attr('d', path(s.points) ?? '')
      .attr('fill', 'none').attr('stroke', s.color).attr('stroke-width', THEORY_WIDTH).attr('stroke-dasharray', '6,4');
  }
  for (const s of measured) {
    g.append('g').attr('class', 'series').attr('data-name', s.name).append('path').attr('d', path(s.points) ?? '')
      .attr('fill', 'none').attr('stroke', s.color).attr('stroke-width', MEASURED_WIDTH);
  }
  for (let i = measured.length - 1; i >= 0; i--) {
    const s = measured[i], d = markerPath(s.marker ?? 'circle'), mg = g.append('g').attr('class', 'markers').attr('data-name', s.name);
    for (const p of s.points.filter((q) => usable(q.y))) {
      mg.append('path').attr('class', 'marker').attr('data-x', p.x).attr('data-marker', s.marker ?? 'circle').attr('d', d)
        .attr('transform', `translate(${x(p.x)},${y(p.y as number)})`).attr('fill', s.color).attr('stroke', 'white').attr('stroke-width', 0.8);
    }
  }
}
