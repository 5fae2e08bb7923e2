// Geometry attributes anywhere in the serialized SVG (attribute values never contain a raw quote).
const GEOMETRY = / (d|transform|x|y|x1|x2|y1|y2|width|height|cx|cy|r|points|viewBox)="([^"]*)"/g;
const DECIMAL = /-?\d*\.\d+(e-?\d+)?/g;

/** Rounds the decimals of a geometry attribute value to 2 places: smaller files, stable snapshots. */
function roundDecimals(value: string): string {
  return value.replace(DECIMAL, (m) => String(Math.round(Number(m) * 100) / 100));
}

/**
 * Standalone SVG file text for a figure built by one of the figure functions, geometry rounded.
 * Rounding the text (not the DOM) leaves a live figure untouched and costs one pass.
 */
export function serializeSvg(svg: SVGSVGElement): string {
  const view = svg.ownerDocument.defaultView as (Window & typeof globalThis) | null;
  const Serializer = view?.XMLSerializer ?? globalThis.XMLSerializer;
  const text = new Serializer().serializeToString(svg).replace(GEOMETRY, (_, name: string, value: string) => ` ${name}="${roundDecimals(value)}"`);
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + '\n';
}
