// The page's read-out over a line chart: the pointer, or the arrow keys once the chart has focus, picks
// the nearest layer; a crosshair marks it, its points grow, and a box lists every measured series'
// value there beside its theory. The chart's SVG stays a drawing; the values come from its data.
import { bisector } from 'd3';
import type { LineFigureSpec, LineSeries } from '../figures/lineFigure.js';
import { markerPath } from '../figures/marks.js';
import type { MarkerName } from '../figures/theme.js';

const format = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(3) : v.toPrecision(4));

/** One row per measured series: its value at `layer` and its theory line's, if it has one. */
export function readoutRows(chart: LineFigureSpec, layer: number): { name: string; color: string; value: number | null; theory: number | null | undefined }[] {
  const at = (s: LineSeries | undefined) => s?.points.find((p) => p.x === layer)?.y;
  return chart.series
    .filter((s) => !s.dashed)
    .map((s) => {
      const theory = chart.series.find((t) => t.theoryOf === s.name);
      return { name: s.name, color: s.color, value: at(s) ?? null, theory: theory ? (at(theory) ?? null) : undefined };
    });
}

/** Makes the chart in `card` answer the pointer and the keyboard. */
export function attachReadout(card: HTMLElement, svg: SVGSVGElement, chart: LineFigureSpec): void {
  const plot = svg.querySelector<SVGGElement>('g.plot');
  if (!plot) return;
  const [left, top] = /translate\(([-\d.]+),([-\d.]+)\)/.exec(plot.getAttribute('transform') ?? '')!.slice(1).map(Number);
  const plotW = Number(plot.dataset.plotWidth), plotH = Number(plot.dataset.plotHeight);
  const first = Number(plot.dataset.xFirst), last = Number(plot.dataset.xLast);
  const layers = [...new Set(chart.series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  if (layers.length === 0) return;
  const toPx = (layer: number) => ((layer - first + 0.5) / (last - first + 1)) * plotW;
  const nearest = (value: number) => {
    const i = bisector((l: number) => l).center(layers, value);
    return layers[i];
  };

  const crosshair = document.createElementNS('http://www.w3.org/2000/svg', 'line');
  crosshair.setAttribute('class', 'crosshair');
  crosshair.setAttribute('y1', '0');
  crosshair.setAttribute('y2', String(plotH));
  crosshair.setAttribute('stroke', '#444');
  crosshair.setAttribute('stroke-dasharray', '3,3');
  crosshair.setAttribute('visibility', 'hidden');
  plot.append(crosshair);
  const box = Object.assign(document.createElement('div'), { className: 'readout', hidden: true });
  box.setAttribute('role', 'status');
  box.setAttribute('aria-live', 'polite');
  card.append(box);

  svg.setAttribute('tabindex', '0');
  svg.setAttribute('role', 'group');
  svg.setAttribute('aria-label', `${chart.title}: the arrow keys move the read-out over the layers`);

  let current: number | undefined;
  const show = (layer: number) => {
    current = layer;
    const x = toPx(layer);
    crosshair.setAttribute('x1', String(x));
    crosshair.setAttribute('x2', String(x));
    crosshair.setAttribute('visibility', 'visible');
    for (const m of svg.querySelectorAll<SVGPathElement>('path.marker[data-x]')) {
      const here = m.dataset.x === String(layer);
      m.classList.toggle('current', here);
      m.setAttribute('d', markerPath(m.dataset.marker as MarkerName, here ? 1.8 : 1));
    }
    const title = Object.assign(document.createElement('div'), { className: 'readout-title', textContent: `${chart.xLabel} ${layer}: ${chart.yLabel}` });
    const table = document.createElement('table');
    for (const row of readoutRows(chart, layer)) {
      const tr = table.insertRow();
      const swatch = Object.assign(document.createElement('span'), { className: 'swatch' });
      swatch.style.background = row.color;
      tr.insertCell().append(swatch, row.name);
      tr.insertCell().textContent = format(row.value);
      if (row.theory !== undefined) tr.insertCell().textContent = `theory ${format(row.theory)}`;
    }
    box.replaceChildren(title, table);
    box.hidden = false;
    // beside the crosshair, on whichever side has room; in the card's CSS pixels
    const svgBox = svg.getBoundingClientRect(), cardBox = card.getBoundingClientRect();
    const scale = svgBox.width / Number(svg.getAttribute('width')) || 1;
    const offsetLeft = svgBox.left - cardBox.left, offsetTop = svgBox.top - cardBox.top;
    const anchor = offsetLeft + (left + x) * scale;
    const onRight = left + x < Number(svg.getAttribute('width')) / 2;
    box.style.left = '0px';
    const width = box.offsetWidth, wanted = onRight ? anchor + 12 : anchor - 12 - width;
    box.style.left = `${Math.max(4, Math.min(card.clientWidth - width - 4, wanted))}px`;
    box.style.top = `${offsetTop + top * scale + 4}px`;
  };
  const hide = () => {
    crosshair.setAttribute('visibility', 'hidden');
    for (const m of svg.querySelectorAll<SVGPathElement>('path.marker[data-x]')) m.classList.remove('current'), m.setAttribute('d', markerPath(m.dataset.marker as MarkerName));
    box.hidden = true;
  };

  svg.addEventListener('pointermove', (event) => {
    const rect = svg.getBoundingClientRect();
    const px = ((event.clientX - rect.left) / rect.width) * Number(svg.getAttribute('width')) - left;
    if (px < 0 || px > plotW) return;
    const layer = nearest(first - 0.5 + (px / plotW) * (last - first + 1));
    if (layer !== current || box.hidden) show(layer);
  });
  svg.addEventListener('pointerleave', () => document.activeElement !== svg && hide());
  svg.addEventListener('focus', () => show(current ?? layers[layers.length - 1]));
  svg.addEventListener('blur', hide);
  svg.addEventListener('keydown', (event) => {
    const i = layers.indexOf(current ?? layers[layers.length - 1]);
    const next = { ArrowLeft: i - 1, ArrowRight: i + 1, ArrowDown: i - 1, ArrowUp: i + 1, Home: 0, End: layers.length - 1, PageDown: i - 10, PageUp: i + 10 }[event.key];
    if (event.key === 'Escape') return hide();
    if (next === undefined) return;
    event.preventDefault();
    show(layers[Math.max(0, Math.min(layers.length - 1, next))]);
  });
}
