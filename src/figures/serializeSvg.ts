const GEOMETRY_ATTRIBUTES = ['d', 'transform', 'x', 'y', 'x1', 'x2', 'y1', 'y2', 'width', 'height', 'cx', 'cy', 'r', 'points', 'viewBox'];

/** Rounds decimals in geometry attributes to 2 places: smaller files, stable snapshots. */
export function roundGeometry(svg: Element): void {
  const round = (s: string) => s.replace(/-?\d*\.\d+(e-?\d+)?/g, (m) => String(Math.round(Number(m) * 100) / 100));
  for (const el of [svg, ...Array.from(svg.querySelectorAll('*'))]) {
    for (const name of GEOMETRY_ATTRIBUTES) {
      const v = el.getAttribute(name);
      if (v !== null) el.setAttribute(name, round(v));
    }
  }
}

/** Standalone SVG file text for a figure built by one of the figure functions. */
export function serializeSvg(svg: SVGSVGElement): string {
  roundGeometry(svg);
  const view = svg.ownerDocument.defaultView as (Window & typeof globalThis) | null;
  const Serializer = view?.XMLSerializer ?? globalThis.XMLSerializer;
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new Serializer().serializeToString(svg) + '\n';
}
