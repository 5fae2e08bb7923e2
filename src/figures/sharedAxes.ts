// Two runs' versions of one line chart on the same axes, for the page's compare view: each chart keeps its own
// series and gains the other's extent (yInclude), and its title says which run it is.
import { plottedValues, type LineFigureSpec } from './lineFigure.js';

/** The pair of charts, each titled with its run's label, both spanning the union of their values (and of their own yInclude). */
export function onSharedAxes(a: LineFigureSpec, b: LineFigureSpec, labels: [string, string]): [LineFigureSpec, LineFigureSpec] {
  const log = a.yScale === 'log';
  const values = [...plottedValues(a, log), ...plottedValues(b, log), ...(a.yInclude ?? []), ...(b.yInclude ?? [])].filter((v) => !log || v > 0);
  const span: [number, number] | undefined = values.length ? [Math.min(...values), Math.max(...values)] : undefined;
  const xs = [...a.series, ...b.series].flatMap((s) => s.points.map((p) => p.x));
  const xDomain: [number, number] | undefined = xs.length ? [Math.min(...xs), Math.max(...xs)] : undefined;
  const titled = (chart: LineFigureSpec, label: string): LineFigureSpec => ({ ...chart, title: `${label}: ${chart.title}`, ...(span ? { yInclude: span } : {}), ...(xDomain ? { xDomain } : {}) });
  return [titled(a, labels[0]), titled(b, labels[1])];
}
