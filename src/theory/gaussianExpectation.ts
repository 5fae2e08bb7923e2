import { gaussLegendre } from './gaussLegendre.js';
import { exp } from './portableMath.js';

// E[g(|z|)] for z ~ N(0, q), by 20-point Gauss–Legendre on panels of t = |z|/√q over [0, 14].
// Two scales need panels: the Gaussian's (steps of ½ in t) and the activation's own, near |z| ≈ 1
// (breaks at |z| = ¼, ½, 1, …, 64 wherever they fall inside). With only the first, tanh's dip of
// width 1 inside a Gaussian of width 1000 is missed by 1e-6; with both, every integrand here is
// good to ~1e-14 relative for q from 1e-300 to 1e8. Callers pass the even part of φ (folding z
// onto |z|), which keeps odd parts that cancel, such as SiLU's z/2 in E[φ], out of the sum.

const GAUSSIAN_STEP = 0.5;
const GAUSSIAN_REACH = 14; // e^{−98}: beyond it nothing with polynomial growth is left
const ACTIVATION_BREAKS = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64];
const INV_SQRT_2PI = 0.3989422804014327;

/** The panels' right ends in t = |z|/√q: the Gaussian's steps and the activation's breaks that fall inside. */
function panelBreaks(sigma: number): number[] {
  const breaks: number[] = [];
  for (let t = GAUSSIAN_STEP; t <= GAUSSIAN_REACH; t += GAUSSIAN_STEP) breaks.push(t);
  for (const z of ACTIVATION_BREAKS) if (z / sigma < GAUSSIAN_REACH) breaks.push(z / sigma);
  return breaks.sort((a, b) => a - b);
}

export function evenExpectation(g: (absZ: number) => number, q: number): number {
  if (q === 0) return g(0);
  if (!(q > 0) || !Number.isFinite(q)) return NaN;
  const sigma = Math.sqrt(q), { x, w } = gaussLegendre(20);
  const breaks = panelBreaks(sigma);
  let sum = 0, from = 0;
  for (const to of breaks) {
    const half = (to - from) / 2, mid = (from + to) / 2;
    for (let i = 0; i < x.length; i++) {
      const t = mid + half * x[i];
      sum += w[i] * half * g(sigma * t) * exp(-0.5 * t * t);
    }
    from = to;
  }
  return 2 * INV_SQRT_2PI * sum;
}

/**
 * The same panels as a discrete law of |z| for z ~ N(0, q) with `points` Gauss–Legendre nodes per
 * panel: values |z|_i and weights summing to 1 (E[g(|z|)] ≈ Σ weight_i·g(|z|_i)). For laws that other
 * sums run over many times (the spectrum's D²), where fewer nodes than evenExpectation's 20 suffice.
 */
export function halfNormalNodes(q: number, points: number): { absZ: Float64Array; weight: Float64Array } {
  const sigma = Math.sqrt(q), { x, w } = gaussLegendre(points), breaks = panelBreaks(sigma);
  const absZ = new Float64Array(breaks.length * points), weight = new Float64Array(breaks.length * points);
  let from = 0, k = 0, total = 0;
  for (const to of breaks) {
    const half = (to - from) / 2, mid = (from + to) / 2;
    for (let i = 0; i < points; i++, k++) {
      const t = mid + half * x[i];
      absZ[k] = sigma * t;
      weight[k] = w[i] * half * exp(-0.5 * t * t);
      total += weight[k];
    }
    from = to;
  }
  // normalized so that the law has mass 1 exactly (the tail beyond t = 14 is e^{−98})
  for (let i = 0; i < k; i++) weight[i] /= total;
  return { absZ, weight };
}
