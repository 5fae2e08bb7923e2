// The density and the right edge of the spectrum of JJᵀ by free probability (Pennington, Schoenholz &
// Ganguli 2018, "The emergence of spectral universality in deep networks", arXiv 1802.09979, §2 and its
// density algorithm), from the equations of spectrumSystem.ts.
//
// At x = λ + iε, ψ(1/x) = y solves χ_J(y) = 1/x, the Stieltjes transform is G(x) = (1 + y)/x and the
// density is −Im G/π. The unknowns y and z_l (one per distinct law of D² and width) are solved together
// by Newton's method, continued down a grid of λ from above the support, each point starting from the
// last (the 2018 paper solves for y with an inner inversion of each ψ_{D²}; the joint system is the same
// equations, with the inner solves folded into one sparse step).
import { atan2, exp, log } from './portableMath.js';
import type { SpectrumLayer } from './jacobianSpectrum.js';
import { transformsOf, type SlopeLaw } from './slopeLaw.js';
import { linearAt, spectrumSystem, type SpectrumSystem } from './spectrumSystem.js';
import type { ActivationName } from './activations.js';

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
  const { laws } = system;
  for (let iteration = 0; iteration < 100; iteration++) {
    const [yr, wr, yi] = y;
    // Log(x·χ_J(y)) with each factor's own principal logarithm (they all stay in one half plane), and
    // A = its derivative in y through the linear factors
    let lr = logAbs(xr, xi) + system.logConstant, li = atan2(xi, xr), br = 0, bi = 0, er = 0, ei = 0;
    for (const f of system.factors) {
      const [cr, ci] = linearAt(f, yr, wr, yi), [kr, ki] = divide(f.b, 0, cr, ci);
      lr += f.power * logAbs(cr, ci);
      li += f.power * atan2(ci, cr);
      br += f.power * kr;
      bi += f.power * ki;
    }
    // B = Σ count·ratio/(z ψ′) joins A; E = Σ count·e/(z ψ′) with e = ψ(z) − ratio·y
    const residuals: [number, number, number, number][] = [];
    laws.forEach((entry, f) => {
      const [zr, zi] = z[f], [pr, pi, qr, , dr, di] = transformsOf(entry.law, zr, zi);
      lr += entry.count * logAbs(zr, zi);
      li += entry.count * atan2(zi, zr);
      const [kr, ki] = divide(1, 0, zr * dr - zi * di, zr * di + zi * dr);
      br += entry.count * entry.ratio * kr;
      bi += entry.count * entry.ratio * ki;
      // ψ − u where u = ratio·y is small, (1 + ψ) − (1 + u) where 1 + u is
      const [ur, ui] = [entry.ratio * yr, entry.ratio * yi], [vr] = linearAt({ a: 1, b: entry.ratio, power: 1 }, yr, wr, yi);
      const nearZero = Math.abs(ur) < Math.abs(vr), eR = nearZero ? pr - ur : qr - vr, eI = pi - ui;
      er += entry.count * (eR * kr - eI * ki);
      ei += entry.count * (eR * ki + eI * kr);
      residuals.push([eR, eI, dr, di]);
    });
    const [dyr, dyi] = divide(er - lr, ei - li, br, bi);
    const dz = residuals.map(([eR, eI, dr, di], f) => divide(laws[f].ratio * dyr - eR, laws[f].ratio * dyi - eI, dr, di));
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
 * The density of log10 λ over the nonzero eigenvalues of JJᵀ (it integrates to 1 over them) at each point
 * of `log10Grid` (increasing). Null where the nonzero part has an atom (orthogonal weights with identity,
 * or one orthogonal ReLU, leaky ReLU or SELU layer), which no density describes, or where the continuation fails.
 */
export function spectrumDensity(name: ActivationName, alpha: number, layers: readonly SpectrumLayer[], log10Grid: readonly number[]): number[] | null {
  const system = spectrumSystem(name, alpha, layers);
  return densityOf(system, layers, log10Grid, edgeOf(system));
}

/**
 * The theory of one measured layer from one system of equations: the right edge, the density on the grid that
 * `gridFor` draws from it (null as spectrumDensity's), and the zero share of the measured eigenvalues.
 */
export function spectrumLaw(name: ActivationName, alpha: number, layers: readonly SpectrumLayer[], gridFor: (edge: number) => number[]): { edge: number; grid: number[]; density: number[] | null; zeroFraction: number } {
  const system = spectrumSystem(name, alpha, layers), edge = edgeOf(system), grid = gridFor(edge);
  return { edge, grid, density: densityOf(system, layers, grid, edge), zeroFraction: zeroShare(system) };
}

function densityOf(system: SpectrumSystem, layers: readonly SpectrumLayer[], log10Grid: readonly number[], edge: number): number[] | null {
  // an atom away from 0: with orthogonal weights only (Gaussian ones spread every atom), free products of laws
  // with atoms a_l of mass p_l have one at Π a_l of mass Σ p_l − (L − 1) when that is positive (orthogonal
  // identity: all of it; one ReLU, leaky or SELU layer: its ½), which no density describes
  if (layers.every((l) => l.weights === 'orthogonal')) {
    const atomMass = system.laws.reduce((t, e) => t + e.count * e.law.atomMass, 0) - (layers.length - 1);
    if (atomMass > 1e-9) return null;
  }
  // start far above the support, where y ≈ m₁/λ and z ≈ ratio·y/E[D²], then walk down in log10 λ
  const top = Math.max(log10Grid[log10Grid.length - 1], log10(edge)) + 3;
  const tiny = 1e-30, y0 = exp(log(tiny) - logChiReal(system, tiny, system.laws.map((e) => (e.ratio * tiny) / e.law.moments[1])) - top * LN10);
  const y = [y0, 1 + y0, 0], z = system.laws.map((e) => [(e.ratio * y0) / e.law.moments[1], 0]);
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
    // G(x) = (1 + ψ(1/x))/x, and the density −Im G/π, per unit log10 λ, over the nonzero share
    const lambda = exp(target * LN10), gi = divide(y[1], y[2], lambda, ETA * lambda)[1];
    density.push((Math.max(0, -gi / Math.PI) * lambda * LN10) / system.rankShare);
  }
  return density.reverse();
}

/** log χ_J(y) at real y > 0 with the inner unknowns z. */
function logChiReal(system: SpectrumSystem, y: number, zs: readonly number[]): number {
  let sum = system.logConstant;
  for (const f of system.factors) sum += f.power * log(f.a + f.b * y);
  zs.forEach((v, f) => (sum += system.laws[f].count * log(v)));
  return sum;
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
 * (orthogonal layers only, at depth 1 with ReLU) the edge is χ_J's limit where an inner inverse reaches its pole.
 */
function edgeOf(system: SpectrumSystem): number {
  const { laws } = system;
  const guesses = laws.map(() => 0);
  const slopeAt = (y: number): [number, number[]] => {
    const zs = laws.map((e, f) => (guesses[f] = realInverse(e.law, e.ratio * y, guesses[f] || (e.ratio * y) / e.law.moments[1])));
    let s = 0;
    for (const f of system.factors) s += (f.power * f.b) / (f.a + f.b * y);
    zs.forEach((v, f) => (s += (laws[f].count * laws[f].ratio) / (v * transformsOf(laws[f].law, v, 0)[4])));
    return [s, zs];
  };
  // a bracket [lo, hi] of the maximum: hi grows until the slope turns, unless χ still rises where an inner
  // inverse sits on its pole (no maximum: atoms at the laws' tops, as one orthogonal ReLU layer has)
  let lo = -30, hi = 0;
  for (;;) {
    const y = exp(hi * LN10), [slope, zs] = slopeAt(y);
    if (slope <= 0) break;
    if (hi >= 15 || zs.some((z, f) => 1 - z * laws[f].law.max < 1e-12)) return exp(-logChiReal(system, y, zs));
    lo = hi;
    hi += 0.5;
  }
  for (let i = 0; i < 200 && hi - lo > 1e-13; i++) {
    const mid = (lo + hi) / 2;
    if (slopeAt(exp(mid * LN10))[0] > 0) lo = mid;
    else hi = mid;
  }
  const y = exp(((lo + hi) / 2) * LN10);
  return exp(-logChiReal(system, y, slopeAt(y)[1]));
}

/** The right edge of the spectrum of JJᵀ (any activation; the largest eigenvalue's limit at large width). */
export function spectrumRightEdge(name: ActivationName, alpha: number, layers: readonly SpectrumLayer[]): number {
  return edgeOf(spectrumSystem(name, alpha, layers));
}

/**
 * The share of the measured eigenvalues (the smaller Gram's, min(n_0, n_L) per input) at 0: 1 − rank/min(n_0, n_L),
 * the rank being the least of n_0 and each layer's n_l·P(φ′(h) ≠ 0) (ReLU's ½ of it).
 */
export function spectrumZeroFraction(name: ActivationName, alpha: number, layers: readonly SpectrumLayer[]): number {
  return zeroShare(spectrumSystem(name, alpha, layers));
}

const zeroShare = (system: SpectrumSystem) => Math.max(0, 1 - system.rankShare / system.measuredShare);
