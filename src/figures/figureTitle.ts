import type { Selection } from 'd3';
import { TITLE_SIZE, twoLines } from './theme.js';

/** A figure's bold title, centred over its `width`, on one line or broken into two where it needs the room. */
export function figureTitle(root: Selection<SVGSVGElement, unknown, null, undefined>, title: string, width: number): void {
  twoLines(title, width - 24, TITLE_SIZE).forEach((text, i, lines) =>
    root.append('text').attr('x', width / 2).attr('y', lines.length === 1 ? 30 : 20 + i * 18).attr('text-anchor', 'middle').attr('font-size', TITLE_SIZE).attr('font-weight', 'bold').text(text));
}
