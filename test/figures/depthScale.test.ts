import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { depthFigure } from '../../src/figures/depthFigure.js';
import { jsdomDocument } from '../../src/figures/jsdomDocument.js';
import type { PatternResult } from '../../src/metrics/results.js';

// depth-run.json: --batch 64 --width 32 --depth 6 --hist-layers all, Xavier + tanh's E[z²] falls 0.996 → 0.099
const tanh: PatternResult = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'depth-run.json'), 'utf8')).patterns[1];

/** The x extent (px) of the z strip's cells in the row of `layer`. */
function rowExtent(svg: SVGSVGElement, layer: number): number {
  const cells = [...svg.querySelectorAll('g.cells-z rect')];
  const ys = [...new Set(cells.map((c) => Number(c.getAttribute('y'))))].sort((a, b) => a - b);
  const row = cells.filter((c) => Number(c.getAttribute('y')) === ys[layer - 1]);
  const left = Math.min(...row.map((c) => Number(c.getAttribute('x')))), right = Math.max(...row.map((c) => Number(c.getAttribute('x')) + Number(c.getAttribute('width'))));
  return right - left;
}

describe('the depth view', () => {
  it('keeps the scale by default: a shrinking layer draws narrower (Xavier + tanh, √(0.099/0.996) ≈ 0.32), and on request each layer in its own units', () => {
    const document = jsdomDocument();
    const absolute = depthFigure(tanh, { document, width: 960 });
    const ratio = rowExtent(absolute, 6) / rowExtent(absolute, 1);
    // the histogram's extent follows the layer's spread; 64 × 32 samples make its ends noisy: ±40% of √ratio
    expect(ratio).toBeGreaterThan(0.32 * 0.6);
    expect(ratio).toBeLessThan(0.32 * 1.4);
    expect(absolute.textContent).toContain('z / √E[z²] of layer 1');
    const normalized = depthFigure(tanh, { document, width: 960 }, { normalized: true });
    expect(rowExtent(normalized, 6) / rowExtent(normalized, 1)).toBeGreaterThan(0.6);
    expect(normalized.textContent).toContain('z / √E[z²] of the layer');
  });
});
