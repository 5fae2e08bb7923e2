// Gauss–Legendre nodes and weights on [−1, 1] by Newton's method on Pₙ (three-term recurrence).
import { cos } from './portableMath.js';

const rules = new Map<number, { x: Float64Array; w: Float64Array }>();

export function gaussLegendre(n: number): { x: Float64Array; w: Float64Array } {
  const cached = rules.get(n);
  if (cached) return cached;
  const x = new Float64Array(n), w = new Float64Array(n);
  for (let i = 0; i < (n + 1) >> 1; i++) {
    let z = cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let pp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p1 = 1, p2 = 0;
      for (let j = 0; j < n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = ((2 * j + 1) * z * p2 - j * p3) / (j + 1);
      }
      pp = (n * (z * p1 - p2)) / (z * z - 1);
      const z1 = z;
      z = z1 - p1 / pp;
      if (Math.abs(z - z1) < 1e-16) break;
    }
    x[i] = -z;
    x[n - 1 - i] = z;
    w[i] = w[n - 1 - i] = 2 / ((1 - z * z) * pp * pp);
  }
  const rule = { x, w };
  rules.set(n, rule);
  return rule;
}
