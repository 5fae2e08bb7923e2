import { BACKGROUND, FONT_STACK, INK } from './theme.js';

export const SVG_NS = 'http://www.w3.org/2000/svg';

export interface FigureContext {
  /** A DOM document: the page's own, or jsdom's in Node. */
  document: Document;
  /** The width to draw at, in px, for figures that reflow (line charts, the depth view): the page passes its column's. */
  width?: number;
}

/**
 * An <svg> of the given pixel size with a white background and the figure font. No xmlns attribute:
 * the serializer writes it from the element's namespace, and a second one is malformed XML.
 */
export function svgRoot(width: number, height: number, { document }: FigureContext): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg') as SVGSVGElement;
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('font-family', FONT_STACK);
  svg.setAttribute('fill', INK);
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('width', String(width));
  bg.setAttribute('height', String(height));
  bg.setAttribute('fill', BACKGROUND);
  svg.appendChild(bg);
  return svg;
}
