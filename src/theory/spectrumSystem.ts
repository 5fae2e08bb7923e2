// The free-probability equations for the spectrum of JJᵀ, J = D_L W_L ⋯ D_1 W_1 of widths n_0 … n_L
// (Pennington, Schoenholz & Ganguli 2018, "The emergence of spectral universality in deep networks",
// arXiv 1802.09979, §2; rectangular layers after Chhaibi, Daouda & Kahn 2021, arXiv 2111.00841, Thm 3.1).
//
// With ψ(w) = ∫ wλ/(1 − wλ) dμ(λ), χ = ψ⁻¹ and S(y) = χ(y)(1 + y)/y, the S-transforms of free factors
// multiply. M_l = J_lJ_lᵀ (n_l × n_l) = D_l·(W_l M_{l−1} W_lᵀ)·D_l, and W M Wᵀ has the nonzero spectrum
// of M^½WᵀW M^½ (n_{l−1} × n_{l−1}); moving a spectrum from n_{l−1} to n_l dimensions rescales ψ by
// c_l = n_{l−1}/n_l, which turns S(y) into S(y/c)·(1 + y)/(c + y). The rescalings telescope into
//   S_{M_L}(y) = (n_L/n_0)·(1 + y)/(1 + u_0)·Π_l S_{D_l²}(u_l)·S_{W_lᵀW_l}(u_{l−1}),  u_l = y·n_L/n_l,
// with S_{WᵀW}(u) = 1/(σw²(n_l/n_{l−1})(1 + c_l u)) for Gaussian entries of variance σw²/n_{l−1}, and for
// orthogonal ones (1 + u)/(σw²(α + u)), α = n_l/n_{l−1}, when rows are orthonormal (n_l ≤ n_{l−1}: a
// projection), 1/(σw²n_l/n_{l−1}) when columns are. Square layers give S = Π S_W·S_D (2018, eq. 8).
// Writing S_{D²}(u) = z(1 + u)/u with ψ_{D²}(z) = u, χ_J(y) = y·S_{M_L}(y)/(1 + y) becomes a constant times
// powers of linear forms a + b·y, times Π z_l: the form the density's and the edge's solvers take.
import { log } from './portableMath.js';
import type { SpectrumLayer } from './jacobianSpectrum.js';
import { sameLaw, slopeLaw, type SlopeLaw } from './slopeLaw.js';
import type { ActivationName } from './activations.js';

/** A factor (a + b·y)^power of χ_J. */
export interface LinearFactor {
  a: number;
  b: number;
  power: number;
}

/** An unknown z with ψ_{D²}(z) = ratio·y, shared by `count` layers of the same law and width. */
export interface LawUnknown {
  law: SlopeLaw;
  count: number;
  ratio: number;
}

export interface SpectrumSystem {
  /** χ_J(y) = e^logConstant · Π (a + b·y)^power · Π z^count. */
  factors: LinearFactor[];
  logConstant: number;
  laws: LawUnknown[];
  /** rank(J)/n_L: the nonzero share of JJᵀ's eigenvalues (free products keep the largest kernel: the least rank). */
  rankShare: number;
  /** min(n_0, n_L)/n_L: the share of JJᵀ's eigenvalues the measurement holds (the smaller Gram's). */
  measuredShare: number;
}

/** Layer l's widths (n_{l−1}, n_l): square when the layer does not say. */
const widthsOf = (layer: SpectrumLayer): [number, number] => [layer.fanIn ?? 1, layer.fanOut ?? 1];

export function spectrumSystem(name: ActivationName, alpha: number, layers: readonly SpectrumLayer[]): SpectrumSystem {
  const n0 = widthsOf(layers[0])[0], nL = widthsOf(layers[layers.length - 1])[1];
  const raw: LinearFactor[] = [{ a: 0, b: 1, power: 1 }, { a: 1, b: nL / n0, power: -1 }];
  let logConstant = log(nL / n0), rank = n0;
  const laws: LawUnknown[] = [];
  for (const layer of layers) {
    const [nIn, nOut] = widthsOf(layer), r = nL / nOut;
    // S_{D²}(u_l)·(the y of χ's y/(1 + y) spread over the layers): (1 + u_l)/u_l and z_l
    raw.push({ a: 1, b: r, power: 1 }, { a: 0, b: r, power: -1 });
    const law = slopeLaw(name, alpha, layer.q), same = laws.find((u) => u.ratio === r && sameLaw(u.law, law));
    if (same) same.count++;
    else laws.push({ law, count: 1, ratio: r });
    rank = Math.min(rank, nOut * (1 - law.zeroMass));
    // S_{WᵀW}(u_{l−1}), with u_{l−1}·n_{l−1}/n_l = u_l: Gaussian 1/(σw²(n_l/n_{l−1})(1 + u_l)); orthogonal rows
    // (1 + u_{l−1})/(σw²(α + u_{l−1})) = (1 + u_{l−1})/(σw²α(1 + u_l)); orthogonal columns a constant
    if (layer.weights === 'gaussian') {
      logConstant -= log((layer.sigmaW2 * nOut) / nIn);
      raw.push({ a: 1, b: r, power: -1 });
    } else if (nOut <= nIn) {
      logConstant -= log((layer.sigmaW2 * nOut) / nIn);
      raw.push({ a: 1, b: (r * nOut) / nIn, power: 1 }, { a: 1, b: r, power: -1 });
    } else logConstant -= log((layer.sigmaW2 * nOut) / nIn);
  }
  // equal forms merged, and those whose powers cancel dropped (a square net keeps y^{1−L} and (1 + y)^{…})
  const factors: LinearFactor[] = [];
  for (const f of raw) {
    const same = factors.find((g) => g.a === f.a && g.b === f.b);
    if (same) same.power += f.power;
    else factors.push({ ...f });
  }
  return { factors: factors.filter((f) => f.power !== 0), logConstant, laws, rankShare: rank / nL, measuredShare: Math.min(n0, nL) / nL };
}

/** a + b·y from y held as (y, 1 + y): each form where it keeps its digits (b·(1 + y) + (a − b) near y = −1). */
export function linearAt(f: LinearFactor, yr: number, wr: number, yi: number): [number, number] {
  return Math.abs(yr) <= Math.abs(wr) ? [f.a + f.b * yr, f.b * yi] : [f.a - f.b + f.b * wr, f.b * yi];
}
