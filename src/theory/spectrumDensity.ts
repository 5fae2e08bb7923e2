// The density and the right edge of the spectrum of JJᵀ, J = D_L W_L ⋯ D_1 W_1 square, by free
// probability (Pennington, Schoenholz & Ganguli 2018, "The emergence of spectral universality in deep
// networks", arXiv 1802.09979, §2 and its density algorithm).
//
// With ψ(w) = ∫ wλ/(1 − wλ) dμ(λ) the moment generating function of μ = μ_{JJᵀ}, χ = ψ⁻¹ and
// S(y) = χ(y)(1 + y)/y, the S-transforms of the factors multiply (2018, eq. 8):
//   S_J(y) = Π_l S_{W_l}(y)·S_{D_l²}(y),  S_W = 1/(σw²(1 + y)) Gaussian, 1/σw² orthogonal.
// Writing S_{D²}(y) = z(1 + y)/y with z = χ_{D²}(y), i.e. ψ_{D²}(z) = y, gives
//   χ_J(y) = (y/(1 + y))^{1−L}·(1 + y)^{−G}·Π_l σw,l^{−2}·Π_l z_l    (G: the Gaussian layers).
// At x = λ + iε, ψ(1/x) = y solves χ_J(y) = 1/x, the Stieltjes transform is G(x) = (1 + y)/x and the
// density is −Im G/π. The unknowns y and z_l (one per distinct law of D²) are solved together by
// Newton's method, continued down a grid of λ from above the support, each point starting from the
// last (the 2018 paper solves for y with an inner inversion of each ψ_{D²}; the joint system is the
// same equations, with the inner solves folded into one sparse step).
import { atan2, exp, log } from './portableMath.js';
import type { SpectrumLayer } from './jacobianSpectrum.js';
import { sameLaw, slopeLaw, transformsOf, type SlopeLaw } from './slopeLaw.js';
import type { ActivationName } from './activations.js';

/** The layers as the equations see them: each distinct law of D² once, with how many layers share it. */
interface SpectrumSystem {
  laws: { law: SlopeLaw; count: number; mean: number }[];
  depth: number;
  gaussianLayers: number;
  logWeightScale: number;
  /** The atom at 0 of μ: free products keep the largest of their factors' (1802.09979, §2). */
  zeroMass: number;
}

function systemOf(name: ActivationName, alpha: number, layers: readonly SpectrumLayer[]): SpectrumSystem {
  const laws: SpectrumSystem['laws'] = [];
  let gaussianLayers = 0, logWeightScale = 0, zeroMass = 0;
  for (const layer of layers) {
    const law = slopeLaw(name, alpha, layer.q), same = laws.find((entry) => sameLaw(entry.law, law));
    if (same) same.count++;
    else laws.push({ law, count: 1, mean: law.moments[1] });
    if (layer.weights === 'gaussian') gaussianLayers++;
    logWeightScale += log(layer.sigmaW2);
    zeroMass = Math.max(zeroMass, law.zeroMass);
  }
  return { laws, depth: layers.length, gaussianLayers, logWeightScale, zeroMass };
}

const divide = (ar: number, ai: number, br: number, bi: number): [number, number] => {
  const m = br * br + bi * bi;
  return [(ar * br + ai * bi) / m, (ai * br - ar * bi) / m];
};
const logAbs = (re: number, im: number) => 0.5 * log(re * re + im * im);
// not Math.hypot, whose last bit differs between engines
const modulus = (re: number, im: number) => Math.sqrt(re * re + im * im);

/**
 * Newton's method on Log(x·χ_J(y)) = 0 and 1 + ψ_l(z_l) = 1 + y from (y, z) in place, at x = xr + i·xi.
 * y is held as [Re y, Re(1 + y), Im y], both real parts taking every step: y → 0 at large λ and
 * y → −1 at small λ, and either form alone would lose its digits at one end. Each step keeps y and z
 * in the closed lower half plane (Im x ≥ 0 ⇒ Im ψ(1/x) ≤ 0, and likewise for each z) and moves
 * neither by more than half its modulus.
 */
function solveAt(system: SpectrumSystem, xr: number, xi: number, y: number[], z: number[][]): boolean {
  const { laws, depth: L, gaussianLayers: Gn } = system;
  for (let iteration = 0; iteration < 100; iteration++) {
    const [yr, wr, yi] = y;
    // Log(x·χ_J(y)) with each factor's own principal logarithm: they all stay in one half plane
    let lr = logAbs(xr, xi) + (1 - L) * (logAbs(yr, yi) - logAbs(wr, yi)) - Gn * logAbs(wr, yi) - system.logWeightScale;
    let li = atan2(xi, xr) + (1 - L) * (atan2(yi, yr) - atan2(yi, wr)) - Gn * atan2(yi, wr);
    // A = d/dy of the y-only terms; B = Σ count/(z ψ′); E = Σ count·e/(z ψ′)
    const [ay, ayi] = divide(1, 0, yr, yi), [a1, a1i] = divide(1, 0, wr, yi);
    let br = (1 - L) * (ay - a1) - Gn * a1, bi = (1 - L) * (ayi - a1i) - Gn * a1i, er = 0, ei = 0;
    const residuals: [number, number, number, number][] = [];
    laws.forEach((entry, f) => {
      const [zr, zi] = z[f], [pr, pi, qr, qi, dr, di] = transformsOf(entry.law, zr, zi);
      lr += entry.count * logAbs(zr, zi);
      li += entry.count * atan2(zi, zr);
      const [kr, ki] = divide(1, 0, zr * dr - zi * di, zr * di + zi * dr);
      br += entry.count * kr;
      bi += entry.count * ki;
      // ψ − y where y is small, (1 + ψ) − (1 + y) where 1 + y is
      const nearZero = Math.abs(yr) < Math.abs(wr), eR = nearZero ? pr - yr : qr - wr, eI = nearZero ? pi - yi : qi - yi;
      er += entry.count * (eR * kr - eI * ki);
      ei += entry.count * (eR * ki + eI * kr);
      residuals.push([eR, eI, dr, di]);
    });
    const [dyr, dyi] = divide(er - lr, ei - li, br, bi);
    const dz = residuals.map(([eR, eI, dr, di]) => divide(dyr - eR, dyi - eI, dr, di));
    let t = 1;
    const keeps = (s: number) => {
      if (modulus(s * dyr, s * dyi) > 0.5 * Math.min(modulus(yr, yi), modulus(wr, yi)) || (xi > 0 && yi + s * dyi > 0)) return false;
      return dz.every(([r, i], f) => modulus(s * r, s * i) <= 0.5 * modulus(z[f][0], z[f][1]) && !(xi > 0 && z[f][1] + s * i > 0));
    };
    while (t > 1e-6 && !keeps(t)) t /= 2;
    if (!keeps(t)) return false;
    y[0] += t * dyr;
    y[1] += t * dyr;
    y[2] += t * dyi;
    dz.forEach(([r, i], f) => {
      z[f][0] += t * r;
      z[f][1] += t * i;
    });
    // converged to rounding: relative steps of 1e-12 (the system is solved in float64, with sums over ~10³ atoms)
    const small = modulus(dyr, dyi) <= 1e-12 * Math.min(modulus(y[0], y[2]), modulus(y[1], y[2])) && dz.every(([r, i], f) => modulus(r, i) <= 1e-12 * modulus(z[f][0], z[f][1]));
    if (t === 1 && small) return true;
  }
  return false;
}

const LN10 = 2.302585092994046;
// ε = η·λ: the density is the true one smoothed by a Cauchy kernel of relative width η (far below a
// histogram bin of log10 λ), which also spreads a tail of η·ln 10/π per decade outside the support
const ETA = 1e-9;

/**
 * The density of log10 λ over the nonzero eigenvalues of JJᵀ (it integrates to 1 over them; the atom
 * at 0 is `zeroMass` of the whole) at each point of `log10Grid` (increasing), for a square network of
 * these layers. Null where the nonzero part has an atom (orthogonal weights with identity, or one
 * orthogonal ReLU, leaky ReLU or SELU layer), which no density describes, or where the continuation fails.
 */
export function spectrumDensity(name: ActivationName, alpha: number, layers: readonly SpectrumLayer[], log10Grid: readonly number[]): { density: number[]; zeroMass: number } | null {
  const system = systemOf(name, alpha, layers);
  const edge = edgeOf(system);
  // an atom away from 0: with orthogonal weights only (Gaussian ones spread every atom), free products of laws
  // with atoms a_l of mass p_l have one at Π a_l of mass Σ p_l − (L − 1) when that is positive (orthogonal
  // identity: all of it; one ReLU, leaky or SELU layer: its ½), which no density describes
  if (system.gaussianLayers === 0) {
    const atomMass = system.laws.reduce((t, e) => t + e.count * e.law.atomMass, 0) - (system.depth - 1);
    if (atomMass > 1e-9) return null;
  }
  // start far above the support, where y ≈ m₁/λ and z_l ≈ y/E[D_l²], then walk down in log10 λ
  const top = Math.max(log10Grid[log10Grid.length - 1], log10(edge)) + 3;
  const logMean = system.laws.reduce((t, e) => t + e.count * log(e.mean), system.logWeightScale);
  const y0 = exp(logMean - top * LN10);
  const y = [y0, 1 + y0, 0], z = system.laws.map((e) => [y0 / e.mean, 0]);
  if (!solveAt(system, exp(top * LN10), 0, y, z)) return null;
  const density: number[] = [];
  let at = top;
  for (let k = log10Grid.length - 1; k >= 0; k--) {
    const target = log10Grid[k];
    let step = Math.min(0.05, at - target);
    while (at > target) {
      const next = Math.max(target, at - step), lambda = exp(next * LN10);
      const yTry = [...y], zTry = z.map((v) => [...v]);
      if (solveAt(system, lambda, ETA * lambda, yTry, zTry)) {
        y.splice(0, 3, ...yTry);
        zTry.forEach((v, f) => z[f].splice(0, 2, ...v));
        at = next;
        step = Math.min(0.05, step * 2);
      } else if ((step /= 4) < 1e-12) return null;
    }
    // G(x) = (1 + ψ(1/x))/x, and the density −Im G/π, per unit log10 λ, over the nonzero part
    const lambda = exp(target * LN10), gi = divide(y[1], y[2], lambda, ETA * lambda)[1];
    density.push((Math.max(0, -gi / Math.PI) * lambda * LN10) / (1 - system.zeroMass));
  }
  return { density: density.reverse(), zeroMass: system.zeroMass };
}

function log10(x: number): number {
  return log(x) / LN10;
}

/**
 * z = χ_{D²}(y) for real y > 0: the root of ψ(z) = y in (0, 1/max D²), where ψ rises from 0 to ∞
 * (safeguarded Newton: bisection whenever a step leaves the bracket).
 */
function realInverse(law: SlopeLaw, y: number, guess: number): number {
  let lo = 0, hi = 1 / law.max, z = Math.min(Math.max(guess, 0), hi);
  if (!(z > lo && z < hi)) z = hi / 2;
  for (let i = 0; i < 200; i++) {
    const [p, , , , dp] = transformsOf(law, z, 0);
    if (p > y) hi = z;
    else lo = z;
    let next = z - (p - y) / dp;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    // a tiny step alone is not convergence: next to the pole at 1/max D² every Newton step is tiny
    if (Math.abs(next - z) <= 1e-15 * z && (Math.abs(p - y) <= 1e-12 * y || hi - lo <= 1e-15 * hi)) return next;
    z = next;
  }
  return z;
}

/**
 * The right edge of the support: 1/χ_J(y*) at the maximum y* > 0 of χ_J on the real line, where ψ
 * stops being invertible (1802.09979, §2); d log χ_J/dy falls through 0 there. Without a maximum
 * (orthogonal layers only, at depth 1 with ReLU) the edge is χ_J's limit, Π σw²·max D².
 */

function edgeOf(system: SpectrumSystem): number {
  const { laws, depth: L, gaussianLayers: Gn } = system;
  const guesses = laws.map(() => 0);
  const logChi = (y: number, zs: number[]) => (1 - L) * (log(y) - log(1 + y)) - Gn * log(1 + y) - system.logWeightScale + zs.reduce((t, v, f) => t + laws[f].count * log(v), 0);
  const slopeAt = (y: number): [number, number[]] => {
    const zs = laws.map((e, f) => (guesses[f] = realInverse(e.law, y, guesses[f] || y / e.mean)));
    let s = (1 - L) * (1 / y - 1 / (1 + y)) - Gn / (1 + y);
    zs.forEach((v, f) => (s += laws[f].count / (v * transformsOf(laws[f].law, v, 0)[4])));
    return [s, zs];
  };
  // a bracket [lo, hi] of the maximum: hi grows until the slope turns, unless χ still rises where an inner
  // inverse sits on its pole (no maximum: atoms at the laws' tops, as one orthogonal ReLU layer has)
  let lo = -30, hi = 0;
  for (;;) {
    const [slope, zs] = slopeAt(exp(hi * LN10));
    if (slope <= 0) break;
    if (hi >= 15 || zs.some((z, f) => 1 - z * laws[f].law.max < 1e-12)) return exp(system.logWeightScale + laws.reduce((t, e) => t + e.count * log(e.law.max), 0));
    lo = hi;
    hi += 0.5;
  }
  for (let i = 0; i < 200 && hi - lo > 1e-13; i++) {
    const mid = (lo + hi) / 2;
    if (slopeAt(exp(mid * LN10))[0] > 0) lo = mid;
    else hi = mid;
  }
  const y = exp(((lo + hi) / 2) * LN10);
  return exp(-logChi(y, slopeAt(y)[1]));
}

/** The right edge of the spectrum of JJᵀ (any activation; the largest eigenvalue's limit at large width). */
export function spectrumRightEdge(name: ActivationName, alpha: number, layers: readonly SpectrumLayer[]): number {
  return edgeOf(systemOf(name, alpha, layers));
}

/** The fraction of the eigenvalues of JJᵀ at 0: the largest of the layers' P(φ′(h) = 0) (ReLU's ½). */
export function spectrumZeroFraction(name: ActivationName, alpha: number, layers: readonly SpectrumLayer[]): number {
  return systemOf(name, alpha, layers).zeroMass;
}
