// How two inputs' correlation moves through one layer (Poole et al. 2016; Schoenholz et al. 2017):
// with pre-activations (u₁, u₂) jointly normal, variances q₁, q₂ and correlation c, the next layer has
//   q₁₂ = σw²·E[φ(u₁)φ(u₂)] + σb²   and   c′ = q₁₂ / √(q₁′·q₂′),  qᵢ′ = σw²·E[φ(uᵢ)²] + σb².
// ReLU and leaky ReLU have the arc-cosine closed form (Cho & Saul 2009); every other φ is integrated
// as E_{z₁}[φ(√q₁ z₁) · E_{z₂}[φ(√q₂ (c z₁ + √(1−c²) z₂))]], both by Gauss–Legendre panels that
// break where φ has a kink or its own scale, as the 1-D rule does (gaussianExpectation.ts).
import type { ActivationName } from './activations.js';
import { ACTIVATIONS, LEAKY_ALPHA_DEFAULT } from './activations.js';
import { gaussLegendre } from './gaussLegendre.js';
import { moments } from './moments.js';

const INV_SQRT_2PI = 0.3989422804014327;
/** e^{−z²/2} at 9 is 2.6e-18: beyond it nothing with polynomial growth is left at 1e-10. */
const REACH = 9;
const STEP = 0.5;
/** Where φ changes its character, in units of its argument: 0 (ReLU-like kinks, SELU) and its own scale. */
const ACTIVATION_BREAKS = [0, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64];

/** ∫ g(z) dΦ(z) over the line, with panel breaks where offset + scale·z crosses an activation break. */
function gaussian(g: (z: number) => number, offset: number, scale: number): number {
  const { x, w } = gaussLegendre(20);
  const breaks: number[] = [];
  for (let t = -REACH; t <= REACH + 1e-12; t += STEP) breaks.push(t);
  if (scale !== 0) {
    for (const b of ACTIVATION_BREAKS) {
      for (const at of b === 0 ? [0] : [b, -b]) {
        const z = (at - offset) / scale;
        if (z > -REACH && z < REACH) breaks.push(z);
      }
    }
  }
  breaks.sort((a, b) => a - b);
  let sum = 0;
  for (let i = 1; i < breaks.length; i++) {
    const from = breaks[i - 1], to = breaks[i];
    if (to - from < 1e-15) continue;
    const half = (to - from) / 2, mid = (from + to) / 2;
    for (let k = 0; k < x.length; k++) {
      const z = mid + half * x[k];
      sum += w[k] * half * g(z) * Math.exp(-0.5 * z * z);
    }
  }
  return INV_SQRT_2PI * sum;
}

/** E[φ(u₁)φ(u₂)] for (u₁, u₂) normal with variances q₁, q₂ and correlation c. */
export function pairMoment(activation: ActivationName, q1: number, q2: number, c: number, alpha = LEAKY_ALPHA_DEFAULT): number {
  const scale = Math.sqrt(q1 * q2);
  if (activation === 'identity') return c * scale;
  if (activation === 'relu' || activation === 'leaky_relu') {
    // φ = (1 − α)·ReLU + α·id; E[ReLU·ReLU] = √(q₁q₂)·(sin θ + (π − θ) cos θ)/(2π), θ = arccos c;
    // E[ReLU(u₁)·u₂] = E[u₁u₂; u₁ > 0] = c√(q₁q₂)/2 by symmetry
    const a = activation === 'relu' ? 0 : alpha, clamped = Math.max(-1, Math.min(1, c)), theta = Math.acos(clamped);
    const arcCosine = (Math.sin(theta) + (Math.PI - theta) * clamped) / (2 * Math.PI);
    return scale * ((1 - a) ** 2 * arcCosine + 2 * a * (1 - a) * (clamped / 2) + a * a * clamped);
  }
  const phi = ACTIVATIONS[activation].phi;
  return pairMomentByQuadrature((z) => phi(z, alpha), q1, q2, c);
}

/** E[φ(u₁)φ(u₂)] by the nested rule, for any φ (the closed forms above are checked against it). */
export function pairMomentByQuadrature(phi: (z: number) => number, q1: number, q2: number, c: number): number {
  const s1 = Math.sqrt(q1), s2 = Math.sqrt(q2), orthogonal = Math.sqrt(Math.max(0, 1 - c * c));
  return gaussian((z1) => {
    const outer = phi(s1 * z1);
    if (outer === 0) return 0;
    const shift = s2 * c * z1, spread = s2 * orthogonal;
    const inner = spread === 0 ? phi(shift) : gaussian((z2) => phi(shift + spread * z2), shift, spread);
    return outer * inner;
  }, 0, s1);
}

/** The correlation one layer later, for inputs of equal length q: C(c) at q. */
export function correlationStep(activation: ActivationName, q: number, c: number, sigmaW2: number, sigmaB2: number, alpha = LEAKY_ALPHA_DEFAULT): number {
  const next = sigmaW2 * moments(activation, alpha).V(q) + sigmaB2;
  return (sigmaW2 * pairMoment(activation, q, q, c, alpha) + sigmaB2) / next;
}

/** Where a pattern sits between order and chaos (Poole et al. 2016; Schoenholz et al. 2017); null where undefined. */
export interface PhaseTheory {
  /** The length map's fixed point q* = σw²·V(q*) + σb², reached from the first layer's q. */
  q_star: number | null;
  /** The correlation map's stable fixed point at q*: 1 in the ordered phase (χ₁ ≤ 1), below 1 in the chaotic one. */
  c_star: number | null;
  /** χ₁ = σw²·E[φ′(z)²] at q*: the slope of C at c = 1, and how a small perturbation grows per layer. */
  chi1: number | null;
  /** χ_c = σw²·E[φ′(u₁)φ′(u₂)] at (q*, c*): the slope of C at c*. */
  chi_c: number | null;
  /** The depth scale −1/ln χ_c over which correlations approach c* (null where χ_c ≥ 1). */
  xi_c: number | null;
}

const LENGTH_STEPS = 10_000;
const CORRELATION_STEPS = 60;

/** q*, c*, χ₁, χ_c and ξ_c for φ with σw², σb², starting from the first layer's q. */
export function phaseTheory(activation: ActivationName, sigmaW2: number, sigmaB2: number, firstQ: number, alpha = LEAKY_ALPHA_DEFAULT): PhaseTheory {
  const none: PhaseTheory = { q_star: null, c_star: null, chi1: null, chi_c: null, xi_c: null };
  const { V, S } = moments(activation, alpha);
  // the length map settles geometrically except at the edge of a phase; one that does not settle has no q*
  let q = firstQ, qStar: number | null = null;
  for (let step = 0; step < LENGTH_STEPS && Number.isFinite(q); step++) {
    const next = sigmaW2 * V(q) + sigmaB2;
    if (Math.abs(next - q) <= 1e-13 * Math.max(q, next) || next < 1e-300) {
      qStar = next < 1e-300 ? 0 : next;
      break;
    }
    q = next;
  }
  if (qStar === null) return none;
  const chi1 = sigmaW2 * S(qStar);
  // at q* = 0 every unit sits at φ(0): there is no correlation to speak of
  if (qStar === 0) return { ...none, q_star: 0, chi1 };
  if (chi1 <= 1) return { q_star: qStar, c_star: 1, chi1, chi_c: chi1, xi_c: chi1 < 1 ? -1 / Math.log(chi1) : null };
  // chaotic: c* < 1 is the root of C(c) − c, by the secant method from c = 0 (C is increasing and convex)
  const gap = (c: number) => correlationStep(activation, qStar, c, sigmaW2, sigmaB2, alpha) - c;
  let c0 = 0, g0 = gap(c0);
  let c1 = Math.min(0.99, c0 + g0), g1 = gap(c1);
  for (let step = 0; step < CORRELATION_STEPS && Math.abs(c1 - c0) > 1e-13 && g1 !== g0; step++) {
    const c2 = Math.max(-1, Math.min(1 - 1e-12, c1 - (g1 * (c1 - c0)) / (g1 - g0)));
    [c0, g0, c1] = [c1, g1, c2];
    g1 = gap(c1);
  }
  const cStar = Math.abs(g1) < 1e-11 ? c1 : null;
  if (cStar === null) return { ...none, q_star: qStar, chi1 };
  const phiPrime = ACTIVATIONS[activation].phiPrime;
  const chiC = sigmaW2 * pairMomentByQuadrature((z) => phiPrime(z, alpha), qStar, qStar, cStar);
  return { q_star: qStar, c_star: cStar, chi1, chi_c: chiC, xi_c: chiC > 0 && chiC < 1 ? -1 / Math.log(chiC) : null };
}
