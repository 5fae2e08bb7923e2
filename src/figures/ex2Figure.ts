import type { PatternResult } from '../experiment/results.js';
import { lineFigure } from './lineFigure.js';
import type { FigureContext } from './svgRoot.js';
import { SERIES_COLORS } from './theme.js';

/** E[a²] per layer for every pattern on a log axis: Xavier + ReLU's halving shows as a straight fall. */
export function ex2Figure(patterns: PatternResult[], context: FigureContext): SVGSVGElement {
  return lineFigure(
    {
      title: 'Propagation of E[a^2] across layers',
      xLabel: 'layer',
      yLabel: 'E[a^2]',
      yScale: 'log',
      series: patterns.map((p, i) => ({ name: p.name, color: SERIES_COLORS[i % SERIES_COLORS.length], points: p.layers.map((l) => ({ x: l.layer, y: l.a_ex2 })) })),
    },
    context,
  );
}
