// How two inputs' correlation moves through one layer (Poole et al. 2016; Schoenholz et al. 2017):
// with pre-activations (u₁, u₂) jointly normal, variances q₁, q₂ and correlation c, the next layer has
//   q₁₂ = σw²·E[φ(u₁)φ(u₂)] + σb²   and   c′ = q₁₂ / √(q₁′·q₂′),  qᵢ′ = σw²·E[φ(uᵢ)²] + σb².
// ReLU and leaky ReLU have the arc-cosine closed form (Cho & Saul 2009). GELU's and SELU's inner
// expectations E_{z₂}[φ(m + σz₂)] have closed forms, which leave one integral over z₁. Every other
// φ is integrated as E_{z₁}[φ(√q₁ z₁) · E_{z₂}[φ(√q₂ (c z₁ + √(1−c²) z₂))]] by Gauss–Legendre (GL-16)
// panels on meshes graded toward where φ's argument is 0, the one place φ may have a kink (or a jump)
// and where its own scale, 1 in its argument, sits:
//   inner, in z₂: toward z₂* = −c z₁/√(1−c²), with the scale 1/(√q₂·√(1−c²));
//   outer, in z₁: toward 0, with the scales 1/√q₁, 1/(√q₂|c|) and, for c near ±1, the width √(1−c²)/|c|
//   of the inner expectation's smoothed kink (SELU's, or ReLU's through this rule).
// Panels grow ×4 away from a feature (GL-16 then sees its poles at ρ ≥ 3), but span at most 4 of its
// scales within 8 of them (Gaussian-type structure: GELU's Φ, a smoothed kink) and at most 4 in z (the
// Gaussian), out to |z| = 8.5. Against references with far more panels (and closed-form inner moments
// for SELU and GELU) this is good to ≤ ~3e-14 relative on the activations here and their φ′, with
// ~13k evaluations of φ per call in the median and ≤ ~33k (the former fixed panels of ½ took ~1.2M).
import type { ActivationName } from './activations.js';
import { ACTIVATIONS, LEAKY_ALPHA_DEFAULT, SELU_ALPHA, SELU_LAMBDA } from './activations.js';
import { erfcx, normalCdf } from './erf.js';
import { gaussLegendre } from './gaussLegendre.js';
import { moments } from './moments.js';
import { lengthFixedPoint } from './criticality.js';
import { acos, exp, log } from './portableMath.js';

const INV_SQRT_2PI = 0.3989422804014327;
/** ∫_{|z|>8.5} z² dΦ(z) = 2·(8.5·φ(8.5) + Φ(−8.5)) ≈ 1.4e-15: nothing with linear growth is left. */
const REACH = 8.5;
/**
 * The widest panel, the Gaussian's: GL-16 on any panel of 4 integrates (1 + z²)·φ_N(z) to ≤ 3e-16 of the whole; the
 * last panel of a walk, which may take a sliver along (up to 6, over [2.5, 8.5] at the widest), to ≤ 1.5e-15.
 */
const WIDE = 4;
/** A panel starting at distance d from its mesh's feature spans up to GROWTH·d: panel ends ×4, and GL-16 sees a pole at the feature at ρ = 3 (3⁻³² ≈ 5e-16). */
const GROWTH = 3;
/** φ's own scale in units of its argument (tanh's poles at ±iπ/2 are the nearest to the real line here). */
const FEATURE = 1;
/** A panel whose end would leave less than SLIVER of its width before the end of the walk takes the rest along. */
const SLIVER = 0.5;
/**
 * Within ZONE scales of a feature panels span at most CAP scales: e^{−8²/2} ≈ 1e-14, and GL-16 on 4σ of a Gaussian
 * is good to 6e-16 of its mass, on the 5.7σ of a product of two such features of one scale to ~1e-14.
 */
const ZONE = 8;
const CAP = 4;
/** The smoothed kink's width below which it stays inside the first outer panel (its error there is ~ width², < 1e-14). */
const KINK_FLOOR = 1e-7;
/**
 * The finest scale a mesh resolves (φ's scale 1/√q reaches it at q = 1e24, which only an unbounded φ's length map
 * gets near): a panel of 1e-12 carries at most ~1e-12 of a bounded φ's moment and ~1e-24 of a linear one's,
 * however badly it is integrated, and the walks stay short (≤ ~20 panels per side) up to q = 1e300.
 */
const SCALE_FLOOR = 1e-12;
const ORDER = 16;
const { x: NODES, w: WEIGHTS } = gaussLegendre(ORDER);

/**
 * Where the panel that starts at p, at distance d from its mesh's features (scales a ≤ b ≤ c), ends, walking
 * in direction dir toward `to`. Past a few scales, poles (tanh's, sigmoid's) would allow panels ever wider
 * (×4 per panel), but a Gaussian-type feature (GELU's Φ, a kink smoothed by the inner Gaussian) has the
 * same fine structure at every distance, only fading as e^{−D²/2} at D scales out: within ZONE scales
 * of the centre a panel spans at most CAP scales.
 */
function panelEnd(p: number, dir: number, to: number, d: number, a: number, b: number, c: number): number {
  // never narrower than a few ulps of p, so the walk always moves (and ends) even for absurd q
  let h = Math.min(WIDE, Math.max(a, GROWTH * d, 1e-15 * Math.abs(p) + 1e-300));
  if (d < ZONE * a) h = Math.min(h, CAP * a);
  else if (d < ZONE * b) h = Math.min(h, CAP * b);
  else if (d < ZONE * c) h = Math.min(h, CAP * c);
  const next = p + dir * h;
  return dir * (to - next) < SLIVER * h ? to : next;
}

// Each walk serves ±z together: the outer mesh is symmetric, so it takes z₁ and −z₁ at once, and the inner
// moment at shift −m, ∫φ(−m + σz) dΦ(z) = ∫φ(−(m + σz)) dΦ(z), has its feature at the same z* as the one at
// m: one mesh and one e^{−z²/2} per node serve both.

/** Into out[0], out[1]: ∫ φ(±(m + spread·z)) dΦ(z) over [−REACH, REACH], i.e. the inner moments at shifts ±m, on a mesh graded toward z* = −m/spread. */
function innerMoments(phi: (v: number) => number, mirror: Mirror, m: number, spread: number, out: Float64Array): void {
  const center = -m / spread, hMin = Math.max(SCALE_FLOOR, FEATURE / spread);
  out[0] = out[1] = 0;
  if (center >= REACH) innerWalk(phi, mirror, m, spread, REACH, -REACH, center, hMin, out);
  else if (center <= -REACH) innerWalk(phi, mirror, m, spread, -REACH, REACH, center, hMin, out);
  else {
    innerWalk(phi, mirror, m, spread, center, REACH, center, hMin, out);
    innerWalk(phi, mirror, m, spread, center, -REACH, center, hMin, out);
  }
  out[0] *= INV_SQRT_2PI;
  out[1] *= INV_SQRT_2PI;
}

function innerWalk(phi: (v: number) => number, mirror: Mirror, m: number, spread: number, from: number, to: number, center: number, hMin: number, out: Float64Array): void {
  const dir = to > from ? 1 : -1;
  let plus = 0, minus = 0;
  for (let p = from; dir * (to - p) > 0; ) {
    const next = panelEnd(p, dir, to, Math.abs(p - center), hMin, Infinity, Infinity);
    const half = 0.5 * dir * (next - p), mid = 0.5 * (next + p);
    let sp = 0, sm = 0;
    for (let k = 0; k < ORDER; k++) {
      const z = mid + half * NODES[k], v = m + spread * z, weight = WEIGHTS[k] * exp(-0.5 * z * z);
      const at = phi(v);
      sp += weight * at;
      sm += weight * mirror(v, at);
    }
    plus += half * sp;
    minus += half * sm;
    p = next;
  }
  out[0] += plus;
  out[1] += minus;
}

/** ∫ g(z) dΦ(z) over [−REACH, REACH], on a mesh graded toward features at 0 of the given scales; pair(z) is g(z) + g(−z) for z > 0. */
function outerMoment(pair: (z: number) => number, scale1: number, scale2 = Infinity, scale3 = Infinity): number {
  const low = Math.min(scale1, scale2), high = Math.max(scale1, scale2);
  const a = Math.max(SCALE_FLOOR, Math.min(low, scale3)), b = Math.max(a, low, Math.min(high, scale3)), c = Math.max(b, high, scale3);
  let sum = 0;
  for (let p = 0; p < REACH; ) {
    const next = panelEnd(p, 1, REACH, p, a, b, c);
    const half = 0.5 * (next - p), mid = 0.5 * (next + p);
    let s = 0;
    for (let k = 0; k < ORDER; k++) {
      const z = mid + half * NODES[k];
      s += WEIGHTS[k] * pair(z) * exp(-0.5 * z * z);
    }
    sum += half * s;
    p = next;
  }
  return INV_SQRT_2PI * sum;
}

/**
 * GELU, φ(v) = v·Φ(v): with v = m + σz₂, E[Φ(v)] = Φ(t) and E[z₂Φ(v)] = σ·E[φ_N(v)] = σφ_N(t)/√(1+σ²) (Stein),
 * t = m/√(1+σ²), so E[φ(v)] = m·Φ(t) + σ²φ_N(t)/√(1+σ²): smooth in m on the scale √(1+σ²), and only the
 * outer integral is left.
 */
function geluPairMoment(q1: number, q2: number, c: number): number {
  if (!(q1 < Infinity && q2 < Infinity)) return NaN;
  const gelu = ACTIVATIONS.gelu.phi;
  const s1 = Math.sqrt(q1), s2 = Math.sqrt(q2), spread = s2 * Math.sqrt(Math.max(0, 1 - c * c)), slope = s2 * c;
  const widen = Math.sqrt(1 + spread * spread), gain = (spread * spread) / widen;
  const inner = (m: number) => {
    const t = m / widen;
    return m * normalCdf(t) + gain * INV_SQRT_2PI * exp(-0.5 * t * t);
  };
  if (slope === 0) return outerMoment((z1) => gelu(s1 * z1, 0) + gelu(-s1 * z1, 0), FEATURE / s1) * inner(0);
  return outerMoment((z1) => gelu(s1 * z1, 0) * inner(slope * z1) + gelu(-s1 * z1, 0) * inner(-slope * z1), FEATURE / s1, (FEATURE * widen) / Math.abs(slope));
}

/**
 * SELU, φ(v) = λ·v for v > 0 and λα·(eᵛ − 1) below: with v = m + σz₂ and t = m/σ, E[v; v > 0] = m·Φ(t) + σφ_N(t)
 * and E[eᵛ; v < 0] = e^{m+σ²/2}·Φ(−t−σ) = ½e^{−t²/2}·erfcx((t+σ)/√2) where t + σ ≥ 0 (so nothing overflows). That
 * leaves the outer integral, whose integrand has the inner moment's smoothed kink, of width √(1−c²)/|c|, at z₁ = 0.
 */
function seluPairMoment(q1: number, q2: number, c: number): number {
  if (!(q1 < Infinity && q2 < Infinity)) return NaN;
  const selu = ACTIVATIONS.selu.phi;
  const s1 = Math.sqrt(q1), s2 = Math.sqrt(q2), orthogonal = Math.sqrt(Math.max(0, 1 - c * c));
  const spread = s2 * orthogonal, slope = s2 * c;
  const inner = (m: number) => {
    if (spread === 0) return selu(m, 0);
    const t = m / spread, a = t + spread;
    const tail = a >= 0 ? 0.5 * exp(-0.5 * t * t) * erfcx(a / Math.SQRT2) : exp(m + 0.5 * spread * spread) * normalCdf(-a);
    return SELU_LAMBDA * (m * normalCdf(t) + spread * INV_SQRT_2PI * exp(-0.5 * t * t) + SELU_ALPHA * (tail - normalCdf(-t)));
  };
  if (slope === 0) return outerMoment((z1) => selu(s1 * z1, 0) + selu(-s1 * z1, 0), FEATURE / s1) * inner(0);
  const kink = orthogonal > 0 ? Math.max(KINK_FLOOR, orthogonal / Math.abs(c)) : Infinity;
  return outerMoment((z1) => selu(s1 * z1, 0) * inner(slope * z1) + selu(-s1 * z1, 0) * inner(-slope * z1), FEATURE / s1, FEATURE / Math.abs(slope), kink);
}

/** E[φ(u₁)φ(u₂)] for (u₁, u₂) normal with variances q₁, q₂ and correlation c. */
export function pairMoment(activation: ActivationName, q1: number, q2: number, c: number, alpha = LEAKY_ALPHA_DEFAULT): number {
  const scale = Math.sqrt(q1 * q2);
  if (activation === 'identity') return c * scale;
  if (activation === 'relu' || activation === 'leaky_relu') {
    // φ = (1 − α)·ReLU + α·id; E[ReLU·ReLU] = √(q₁q₂)·(sin θ + (π − θ) cos θ)/(2π), θ = arccos c;
    // E[ReLU(u₁)·u₂] = E[u₁u₂; u₁ > 0] = c√(q₁q₂)/2 by symmetry
    const a = activation === 'relu' ? 0 : alpha, clamped = Math.max(-1, Math.min(1, c)), theta = acos(clamped);
    // sin θ = √(1 − c²), formed from c directly
    const arcCosine = (Math.sqrt((1 - clamped) * (1 + clamped)) + (Math.PI - theta) * clamped) / (2 * Math.PI);
    return scale * ((1 - a) ** 2 * arcCosine + 2 * a * (1 - a) * (clamped / 2) + a * a * clamped);
  }
  if (activation === 'gelu') return geluPairMoment(q1, q2, c);
  if (activation === 'selu') return seluPairMoment(q1, q2, c);
  const phi = ACTIVATIONS[activation].phi, at = (z: number) => phi(z, alpha);
  // the φ that reach here (tanh, sigmoid, SiLU, identity-like) are analytic: no kink for the inner moment to smooth
  return nestedPairMoment(at, MIRRORS[activation] ?? ((v) => phi(-v, alpha)), q1, q2, c, false);
}

/**
 * E[φ(u₁)φ(u₂)] by the nested rule, for any φ that is smooth on the scale of its argument ~1 except for a kink or
 * a jump at 0 (ReLU, SELU, their φ′), with at most polynomial growth (the closed forms above are checked against it).
 */
export function pairMomentByQuadrature(phi: (z: number) => number, q1: number, q2: number, c: number): number {
  return nestedPairMoment(phi, (v) => phi(-v), q1, q2, c, true);
}

/** φ(−v) from v and φ(v): the nested rule needs both at every node. */
type Mirror = (v: number, phiOfV: number) => number;

/** Where φ(−v) follows from φ(v) for free: exactly for tanh; to ~1 ulp of φ's own scale (1, or |v|) for sigmoid and SiLU. */
const MIRRORS: Partial<Record<ActivationName, Mirror>> = {
  tanh: (_v, at) => -at,
  sigmoid: (_v, at) => 1 - at,
  silu: (v, at) => at - v,
};

/** `kinked`: φ may have a kink or jump at 0, whose smoothing by the inner Gaussian the outer mesh must resolve. */
function nestedPairMoment(phi: (z: number) => number, mirror: Mirror, q1: number, q2: number, c: number, kinked: boolean): number {
  if (!(q1 < Infinity && q2 < Infinity)) return NaN;
  const s1 = Math.sqrt(q1), s2 = Math.sqrt(q2), orthogonal = Math.sqrt(Math.max(0, 1 - c * c));
  const spread = s2 * orthogonal, slope = s2 * c;
  // c = 0: the inner moment does not depend on z₁
  if (slope === 0) {
    let inner = phi(0);
    if (spread !== 0) {
      const both = new Float64Array(2);
      innerMoments(phi, mirror, 0, spread, both);
      inner = both[0];
    }
    return outerMoment((z1) => {
      const at = phi(s1 * z1);
      return at + mirror(s1 * z1, at);
    }, FEATURE / s1) * inner;
  }
  // the outer integrand's features, all at z₁ = 0: φ(s₁z₁), the inner moment's φ(s₂c·z₁) and, for c near ±1,
  // the inner moment's smoothed kink of width √(1−c²)/|c| (without panels on that scale SELU is off by up to 2e-8 at c = 0.9999)
  const kink = kinked && orthogonal > 0 ? Math.max(KINK_FLOOR, orthogonal / Math.abs(c)) : Infinity;
  const inner = new Float64Array(2);
  return outerMoment((z1) => {
    const plus = phi(s1 * z1), minus = mirror(s1 * z1, plus), shift = slope * z1;
    if (spread === 0) {
      const at = phi(shift);
      return plus * at + minus * mirror(shift, at);
    }
    if (plus === 0 && minus === 0) return 0;
    innerMoments(phi, mirror, shift, spread, inner);
    return plus * inner[0] + minus * inner[1];
  }, FEATURE / s1, FEATURE / Math.abs(slope), kink);
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

const CORRELATION_STEPS = 60;
/**
 * ReLU and leaky ReLU have c* = 1 wherever q* > 0 exists, on both sides of χ₁ = 1 (Schoenholz et al. 2017 §3; Cho &
 * Saul 2009 eq. 6, n = 1): C(c) = [σw²·q*·k(c) + σb²]/q*, k(c) = (1−α)²(sin θ + (π−θ)c)/(2π) + (α − α² + α²)c is
 * strictly convex (α < 1), C(1) = 1, C′(1) = χ₁, and q* = σb²/(1 − χ₁) > 0 needs χ₁ < 1 (σb² > 0) or χ₁ = 1 (σb² = 0),
 * so C(c) > c below 1. --gain auto gives σw² = (√2)² = 2 + 1 ulp, where q creeps by 2⁻⁵² a layer and q* settles.
 */
const PIECEWISE_LINEAR: readonly ActivationName[] = ['relu', 'leaky_relu'];
/**
 * χ₁ within this of 1 is the edge, not chaos: S by quadrature to ≤ 3e-14 and q* to 1e-13 (criticality.ts), |d ln S/d ln q|
 * ≤ 1, so χ₁ is known to ≲ 2e-13; and 1 − c* ≈ 2(χ₁ − 1)/C″(1) is below the secant's clamp 1 − 1e-12 there anyway.
 */
const CRITICAL_BAND = 1e-12;

/** q*, c*, χ₁, χ_c and ξ_c for φ with σw², σb², starting from the first layer's q. */
export function phaseTheory(activation: ActivationName, sigmaW2: number, sigmaB2: number, firstQ: number, alpha = LEAKY_ALPHA_DEFAULT): PhaseTheory {
  const none: PhaseTheory = { q_star: null, c_star: null, chi1: null, chi_c: null, xi_c: null };
  const { S } = moments(activation, alpha);
  const qStar = lengthFixedPoint(activation, sigmaW2, sigmaB2, firstQ, alpha);
  if (qStar === null) return none;
  const chi1 = sigmaW2 * S(qStar);
  // at q* = 0 every unit sits at φ(0): there is no correlation to speak of
  if (qStar === 0) return { ...none, q_star: 0, chi1 };
  const ordered = chi1 <= 1 + CRITICAL_BAND || PIECEWISE_LINEAR.includes(activation);
  if (ordered) return { q_star: qStar, c_star: 1, chi1, chi_c: chi1, xi_c: chi1 < 1 ? -1 / log(chi1) : null };
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
  return { q_star: qStar, c_star: cStar, chi1, chi_c: chiC, xi_c: chiC > 0 && chiC < 1 ? -1 / log(chiC) : null };
}
