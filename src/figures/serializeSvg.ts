// Geometry attributes anywhere in the serialized SVG (attribute values never contain a raw quote).
const GEOMETRY = / (d|transform|x|y|x1|x2|y1|y2|width|height|cx|cy|r|points|viewBox)="([^"]*)"/g;
const DECIMAL = /-?\d*\.\d+(e-?\d+)?/g;

const SVG_NS = 'http://www.w3.org/2000/svg';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** Rounds the decimals of a geometry attribute value to 2 places: smaller files, stable snapshots. */
function roundDecimals(value: string): string {
  return value.replace(DECIMAL, (m) => String(Math.round(Number(m) * 100) / 100));
}

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const ATTRIBUTE_ESCAPES: Record<string, string> = { ...TEXT_ESCAPES, '"': '&quot;', '\t': '&#x9;', '\n': '&#xA;', '\r': '&#xD;' };
const escapeText = (s: string) => s.replace(/[&<>]/g, (c) => TEXT_ESCAPES[c]);
const escapeAttribute = (s: string) => s.replace(/[&<>"\t\n\r]/g, (c) => ATTRIBUTE_ESCAPES[c]);

/**
 * The XML of an SVG tree as the DOM's XMLSerializer writes it (the default namespace declared on the
 * root, attributes in order, empty elements as <name/>), for what figures are made of: SVG elements,
 * attributes without a namespace or in xml:, and text. Anything else returns null. It is one pass over
 * the tree; jsdom's serializer takes ~8× as long on a cold start.
 */
function figureXml(root: Element): string | null {
  const out: string[] = [];
  const write = (node: Node): boolean => {
    if (node.nodeType === 3) return out.push(escapeText((node as Text).data)), true;
    if (node.nodeType !== 1) return false;
    const el = node as Element;
    if (el.namespaceURI !== SVG_NS || el.prefix !== null) return false;
    out.push('<', el.localName);
    if (el === root) out.push(` xmlns="${SVG_NS}"`);
    for (const a of Array.from(el.attributes)) {
      if (a.namespaceURI !== null && a.namespaceURI !== XML_NS) return false;
      if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) return false;
      // the XML namespace always has the prefix xml, however the attribute was set
      out.push(' ', a.namespaceURI === XML_NS ? `xml:${a.localName}` : a.name, '="', escapeAttribute(a.value), '"');
    }
    if (!el.firstChild) return out.push('/>'), true;
    out.push('>');
    for (let child: ChildNode | null = el.firstChild; child; child = child.nextSibling) if (!write(child)) return false;
    out.push('</', el.localName, '>');
    return true;
  };
  return write(root) ? out.join('') : null;
}

/**
 * Standalone SVG file text for a figure built by one of the figure functions, geometry rounded.
 * Rounding the text (not the DOM) leaves a live figure untouched and costs one pass.
 */
export function serializeSvg(svg: SVGSVGElement): string {
  const xml = figureXml(svg) ?? domXml(svg);
  const text = xml.replace(GEOMETRY, (_, name: string, value: string) => ` ${name}="${roundDecimals(value)}"`);
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + '\n';
}

/** The text of the document's own XMLSerializer (jsdom's in Node, the browser's in the page). */
function domXml(svg: SVGSVGElement): string {
  const view = svg.ownerDocument.defaultView as (Window & typeof globalThis) | null;
  return new (view?.XMLSerializer ?? globalThis.XMLSerializer)().serializeToString(svg);
}

/** Both serializations of an SVG tree, for checking figureXml against the DOM's. */
export function domSvgXml(svg: SVGSVGElement): { ours: string | null; dom: string } {
  return { ours: figureXml(svg), dom: domXml(svg) };
}
