import type { Selection } from 'd3';
import { markerPath } from './marks.js';
import { LABEL_SIZE, textWidth, type MarkerName } from './theme.js';

export interface LegendEntry {
  label: string;
  color: string;
  dashed?: boolean;
  /** A filled box (for bars) instead of a line. */
  box?: boolean;
  /** A measured series' marker shape (circle when absent). */
  marker?: MarkerName;
  /** A reference line (the identity): no marker. */
  lineOnly?: boolean;
}

/**
 * Horizontal legend that wraps into rows within `maxWidth`; returns its height so the caller
 * can place the plot below it.
 */
export function drawLegend(g: Selection<SVGGElement, unknown, null, undefined>, entries: LegendEntry[], maxWidth: number): number {
  const rowHeight = LABEL_SIZE + 8, swatch = 24, gap = 22;
  let x = 0, y = 0;
  for (const entry of entries) {
    const w = swatch + 6 + textWidth(entry.label, LABEL_SIZE);
    if (x > 0 && x + w > maxWidth) {
      x = 0;
      y += rowHeight;
    }
    const item = g.append('g').attr('transform', `translate(${x},${y})`);
    if (entry.box) item.append('rect').attr('x', 4).attr('y', -6).attr('width', swatch - 8).attr('height', 12).attr('fill', entry.color).attr('fill-opacity', 0.85);
    else item.append('line').attr('x1', 0).attr('x2', swatch).attr('y1', 0).attr('y2', 0)
      .attr('stroke', entry.color).attr('stroke-width', entry.dashed ? 1.5 : 2.5).attr('stroke-dasharray', entry.dashed ? '6,4' : null);
    if (!entry.dashed && !entry.box && !entry.lineOnly) item.append('path').attr('d', markerPath(entry.marker ?? 'circle', 1.15)).attr('transform', `translate(${swatch / 2},0)`).attr('fill', entry.color).attr('stroke', 'white').attr('stroke-width', 0.8);
    item.append('text').attr('x', swatch + 6).attr('y', 0).attr('dy', '0.35em').attr('font-size', LABEL_SIZE).text(entry.label);
    x += w + gap;
  }
  return y + rowHeight;
}
