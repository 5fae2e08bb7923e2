// The finite-width law of one sample's squared norm through He + ReLU layers (zero bias, Gaussian
// weights): each layer multiplies ‖a‖² by R = (2/n)·χ²(K), K ~ Binomial(n, ½) the units the ReLU lets
// through, independently across layers, so ln(‖aᴸ‖²/‖x‖²) = Σ ln Rₗ. With χ²(k) = 2·Gamma(k/2), one
// layer's ln R is ln(4/n) + ln G, G ~ Gamma(k/2), whose density is exp(s·t − eᵗ − ln Γ(s)) at t = ln G.
// The sum over L layers is the L-fold convolution of that mixture, done exactly on a fine grid by
// FFT (no Monte Carlo, so no sampling noise). K = 0 sends the norm to 0: that mass is left out.
import { fft } from './fft.js';
import { digamma, logGamma, trigamma } from './gammaFunctions.js';
import { atan2, cos, exp, log, sin } from './portableMath.js';

/** A law on a grid of cells: cell i is centred at start + i·step (log10 units) and holds mass[i]. */
export interface GridLaw {
  start: number;
  step: number;
  mass: Float64Array;
  /** Σ mass: the probability that no layer has K = 0, (1 − 2⁻ⁿ)ᴸ (up to ~1e-12 of grid and FFT error). */
  finite: number;
}

/** The binomial weights P(K = k), k ≥ 1, that are above 1e-18, with their Gamma shapes s = k/2. */
function activeUnitWeights(n: number): { s: number; weight: number }[] {
  const out: { s: number; weight: number }[] = [];
  const logAll = logGamma(n + 1) - n * Math.LN2;
  for (let k = 1; k <= n; k++) {
    const logWeight = logAll - logGamma(k + 1) - logGamma(n - k + 1);
    if (logWeight > -41.4) out.push({ s: k / 2, weight: exp(logWeight) });
  }
  return out;
}

/**
 * The exact mean and variance of ln R for one layer, given K ≥ 1: E ln G = ψ(s), Var ln G = ψ′(s),
 * mixed over K.
 */
export function layerLogMoments(n: number): { mean: number; variance: number } {
  const parts = activeUnitWeights(n), c = log(4 / n);
  const total = parts.reduce((t, p) => t + p.weight, 0);
  const mean = parts.reduce((t, p) => t + p.weight * (c + digamma(p.s)), 0) / total;
  const variance = parts.reduce((t, p) => t + p.weight * (trigamma(p.s) + (c + digamma(p.s) - mean) ** 2), 0) / total;
  return { mean, variance };
}

/** Cells per narrowest component's SD: the rounding of L cell centres adds L·h²/12, ≤ 1/3072 of the variance. */
export const CELLS_PER_SD = 16;
/** The grid spans the sum's mean ± 14 SD, plus the slow left tail e^{s·t} of the smallest shape to e^-46. */
const SD_SPAN = 14;
const TAIL_LOG = 46;
const MAX_CELLS = 2 ** 20;

/**
 * The laws last worked out, newest last, up to KEPT_CELLS cells in all (2 MB; the newest is kept whatever
 * its size): a run works its law out while its shards compute and reads it back once they are done, and
 * the page's live changes go back and forth between a few depths and widths (a law took the page's main
 * thread ~12 ms at its live size, 8192 cells).
 */
const keptLaws = new Map<string, { shape: [number, number]; law: GridLaw }>();
export const KEPT_CELLS = 2 ** 18;

/** The (n, L) of the laws kept, oldest first. */
export const keptLawShapes = (): [number, number][] => [...keptLaws.values()].map((k) => [...k.shape]);

/** The law of log10(‖aᴸ‖²/‖x‖²) for L He + ReLU layers of width n (the same object for the same n and L while it is kept: read it, never change it). */
export function heReluLogNormLaw(n: number, layers: number): GridLaw {
  const key = `${n} ${layers}`;
  const kept = keptLaws.get(key);
  if (kept) return keptLaws.delete(key), keptLaws.set(key, kept), kept.law;
  const law = workOutLaw(n, layers);
  keptLaws.set(key, { shape: [n, layers], law });
  let cells = 0;
  for (const k of keptLaws.values()) cells += k.law.mass.length;
  // the oldest go first; the newest stays whatever its size
  for (const [k, { law: l }] of keptLaws) {
    if (cells <= KEPT_CELLS || k === key) break;
    keptLaws.delete(k);
    cells -= l.mass.length;
  }
  return law;
}

function workOutLaw(n: number, layers: number): GridLaw {
  const parts = activeUnitWeights(n), c = log(4 / n);
  const { mean, variance } = layerLogMoments(n);
  const sMin = parts[0].s, sMax = parts[parts.length - 1].s;
  const halfSpan = SD_SPAN * Math.sqrt(variance * layers) + TAIL_LOG / sMin;
  let h = Math.sqrt(trigamma(sMax)) / CELLS_PER_SD;
  // the smallest power of two ≥ the span in cells, by doubling (exact, unlike a rounded log2)
  let cells = 1;
  while (cells < (2 * halfSpan) / h + 1) cells *= 2;
  if (cells > MAX_CELLS) (cells = MAX_CELLS), (h = (2 * halfSpan) / (cells - 1));
  const half = cells / 2;

  // one layer: cell d (−N/2 ≤ d < N/2) is centred at mean + d·h and stored at d mod N, so that the
  // circular convolution of L layers puts the sum's cell d at L·mean + d·h
  const re = new Float64Array(cells), im = new Float64Array(cells);
  // y − c and e^(y−c) at a cell's left end, centre and right end are the same for every shape s: worked
  // out once per cell (lazily, NaN until then) instead of once per cell and shape, with the same
  // operations, so every value is the same to the bit
  const shifted = new Float64Array(3 * cells).fill(NaN), grown = new Float64Array(3 * cells);
  const at = (d: number, end: number): number => {
    const i = 3 * (d + half) + end;
    if (Number.isNaN(shifted[i])) {
      const y = mean + d * h, u = (end === 0 ? y - h / 2 : end === 1 ? y : y + h / 2) - c;
      shifted[i] = u;
      grown[i] = exp(u);
    }
    return i;
  };
  for (const { s, weight } of parts) {
    const logNorm = log(weight) - logGamma(s);
    const logDensity = (y: number) => s * (y - c) - exp(y - c) + logNorm;
    // logDensity at end `end` of cell d, from the cell's table
    const cellLogDensity = (d: number, end: number) => {
      const i = at(d, end);
      return s * shifted[i] - grown[i] + logNorm;
    };
    const peak = logDensity(c + log(s));
    // Simpson over the cell: its error is ~(h/SD)⁴/2880 of the cell's mass
    const massOf = (d: number, centre: number) => (h / 6) * (exp(cellLogDensity(d, 0)) + 4 * exp(centre) + exp(cellLogDensity(d, 2)));
    const mode = Math.round((c + log(s) - mean) / h);
    for (let d = Math.min(mode, half - 1), centre: number; d >= -half && (centre = cellLogDensity(d, 1)) > peak - TAIL_LOG - 4; d--) re[(d + cells) % cells] += massOf(d, centre);
    for (let d = Math.max(mode + 1, -half), centre: number; d < half && (centre = cellLogDensity(d, 1)) > peak - TAIL_LOG - 4; d++) re[(d + cells) % cells] += massOf(d, centre);
  }

  // the sum of L independent layers: the L-th power of the transform
  fft(re, im);
  for (let i = 0; i < cells; i++) {
    // exp(L·ln r), not r ** L: V8's pow differs in the last bit between Node 20 and Chromium, exp and ln do not
    const r = exp(layers * 0.5 * log(re[i] * re[i] + im[i] * im[i])), angle = atan2(im[i], re[i]) * layers;
    re[i] = r * cos(angle);
    im[i] = r * sin(angle);
  }
  fft(re, im, true);
  const mass = new Float64Array(cells);
  let finite = 0;
  for (let i = 0; i < cells; i++) {
    // round-off leaves |values| ~1e-17 where the law has no mass; a probability is not negative
    mass[i] = Math.max(0, re[(i - half + cells) % cells]);
    finite += mass[i];
  }
  return { start: (layers * mean - half * h) / Math.LN10, step: h / Math.LN10, mass, finite };
}

/** P(X ≤ x) at each x under the law (the K = 0 mass excluded), each cell's mass spread evenly over the cell; one pass over the cells for all of them. */
function lawCdfs(law: GridLaw, xs: ArrayLike<number>): number[] {
  const cumulative = new Float64Array(law.mass.length + 1);
  for (let i = 0; i < law.mass.length; i++) cumulative[i + 1] = cumulative[i] + law.mass[i];
  return Array.from(xs, (x) => {
    const position = (x - law.start) / law.step + 0.5;
    const whole = Math.min(law.mass.length, Math.max(0, Math.floor(position)));
    return cumulative[whole] + (whole < law.mass.length ? law.mass[whole] * Math.max(0, position - whole) : 0);
  });
}

/** P(X ≤ x) under the law (the K = 0 mass excluded). */
export const lawCdf = (law: GridLaw, x: number): number => lawCdfs(law, [x])[0];

/** The probability of each of the bins between consecutive edges. */
export function lawBinMasses(law: GridLaw, edges: ArrayLike<number>): number[] {
  const cdf = lawCdfs(law, edges);
  return cdf.slice(1).map((p, i) => p - cdf[i]);
}

/** The p-quantile of the finite part of the law (conditional on no layer with K = 0). */
export function lawQuantile(law: GridLaw, p: number): number {
  const target = p * law.finite;
  let sum = 0;
  for (let i = 0; i < law.mass.length; i++) {
    if (sum + law.mass[i] >= target) return law.start + (i - 0.5 + (law.mass[i] > 0 ? (target - sum) / law.mass[i] : 0)) * law.step;
    sum += law.mass[i];
  }
  return law.start + (law.mass.length - 0.5) * law.step;
}
