// The law of D² = φ′(h)² for h ~ N(0, q): what one layer's activation contributes to the spectrum of
// JJᵀ (its S-transform enters the product of S-transforms, Pennington, Schoenholz & Ganguli 2018,
// arXiv 1802.09979, §2), and its transforms 1 + ψ(z) = E[1/(1 − zD²)] and ψ′(z) at complex z.
import { ACTIVATIONS, type ActivationName } from './activations.js';
import { halfNormalNodes } from './gaussianExpectation.js';
import { atan2, log } from './portableMath.js';
import { gaussLegendre } from './gaussLegendre.js';

/**
 * Atoms where φ′ is flat on an interval (ReLU's 0 and 1, SELU's λ²), and a continuous part as a
 * piecewise-linear density on contiguous cells: a smooth φ′ has no atoms, and a quadrature's nodes as
 * atoms would put spikes and gaps into the spectrum wherever a free product does not smooth them (one
 * orthogonal layer is the law itself).
 */
export interface SlopeLaw {
  atomValues: Float64Array;
  atomWeights: Float64Array;
  /** Cell k is [c − h, c + h] = [edges[k], edges[k+1]], with the density (mass[k]/2h)·(1 + gamma[k]·(s − c)/h) there. */
  edges: Float64Array;
  mass: Float64Array;
  gamma: Float64Array;
  /** E[(D²)ⁿ] for n = 0 … SERIES_TERMS, for ψ's power series at small z. */
  moments: Float64Array;
  /** The top of the support: ψ has its first singularity at z = 1/max. */
  max: number;
  /** P(D² = 0): the atom at 0 of JJᵀ that free products keep (the largest). */
  zeroMass: number;
  /** The largest atom above 0. */
  atomMass: number;
}

// the half-normal's panels with 20 nodes each (evenExpectation's): the cells' masses and means are theirs
const POINTS_PER_PANEL = 20;
// cells of the continuous part, by mass and by width: the spectrum's density is drawn on ~60 bins
const CELLS = 128;
// ψ(z) = Σ zⁿE[(D²)ⁿ] where |z|·max ≤ ¼: 40 terms leave 4⁻⁴⁰ ≈ 1e-24
const SERIES_LIMIT = 0.25, SERIES_TERMS = 40;

/**
 * φ′(±|z|)² at the half-normal's nodes, each sign with half the node's weight. Values that more than two
 * nodes share (a flat piece of φ′; an even φ′ pairs ±|z| at one value) are atoms; the rest is cut into
 * cells, each with the linear density that has the cell's mass and mean (E[D²] is the quadrature's to
 * rounding, and E[D⁴] within ~1e-4).
 */
export function slopeLaw(name: ActivationName, alpha: number, q: number): SlopeLaw {
  const slope = (z: number) => ACTIVATIONS[name].phiPrime(z, alpha);
  const nodes: [number, number][] = [];
  if (q === 0) nodes.push([slope(0) * slope(0), 1], [slope(0) * slope(0), 0], [slope(0) * slope(0), 0]);
  else {
    const { absZ, weight } = halfNormalNodes(q, POINTS_PER_PANEL);
    for (let i = 0; i < absZ.length; i++) {
      const up = slope(absZ[i]), down = slope(-absZ[i]);
      nodes.push([up * up, weight[i] / 2], [down * down, weight[i] / 2]);
    }
  }
  nodes.sort((a, b) => a[0] - b[0]);
  const groups: { value: number; mass: number; count: number }[] = [];
  for (const [value, mass] of nodes) {
    const last = groups[groups.length - 1];
    if (last && last.value === value) {
      last.mass += mass;
      last.count++;
    } else groups.push({ value, mass, count: 1 });
  }
  const atoms = groups.filter((g) => g.count > 2), rest = groups.filter((g) => g.count <= 2);
  const continuous = cellsOf(rest);
  const atomValues = Float64Array.from(atoms, (a) => a.value), atomWeights = Float64Array.from(atoms, (a) => a.mass);
  const max = Math.max(atoms.length > 0 ? atomValues[atomValues.length - 1] : 0, continuous.edges.length > 0 ? continuous.edges[continuous.edges.length - 1] : 0);
  const law: SlopeLaw = {
    atomValues, atomWeights, ...continuous, moments: new Float64Array(SERIES_TERMS + 1), max,
    zeroMass: atoms.length > 0 && atomValues[0] === 0 ? atomWeights[0] : 0,
    atomMass: atoms.reduce((m, a) => (a.value > 0 ? Math.max(m, a.mass) : m), 0),
  };
  fillMoments(law);
  return law;
}

function cellsOf(groups: { value: number; mass: number }[]): Pick<SlopeLaw, 'edges' | 'mass' | 'gamma'> {
  if (groups.length < 2) return { edges: new Float64Array(0), mass: new Float64Array(0), gamma: new Float64Array(0) };
  const total = groups.reduce((t, g) => t + g.mass, 0), width = (groups[groups.length - 1].value - groups[0].value) / CELLS;
  const edges = [groups[0].value], masses: number[] = [], gammas: number[] = [];
  let mass = 0, sum = 0, count = 0, closed = 0, massCells = 1;
  for (let i = 0; i < groups.length; i++) {
    mass += groups[i].mass;
    sum += groups[i].mass * groups[i].value;
    count++;
    // a cell closes at its share of the mass or at its share of the support's width, with two nodes at least
    // (the width keeps the sparse tails in narrow cells, where a linear density meets their mean)
    const last = i === groups.length - 1, full = closed + mass >= (total * massCells) / CELLS;
    if (!last && !(count >= 2 && (full || groups[i + 1].value - edges[edges.length - 1] > width))) continue;
    if (full) massCells++;
    const a = edges[edges.length - 1], b = last ? groups[i].value : (groups[i].value + groups[i + 1].value) / 2;
    // (m/2h)(1 + γ(s − c)/h) on [c − h, c + h] has mean c + γh/3; |γ| ≤ 1 keeps it ≥ 0
    const c = (a + b) / 2, h = (b - a) / 2;
    masses.push(mass);
    gammas.push(Math.max(-1, Math.min(1, (3 * (sum / mass - c)) / h)));
    edges.push(b);
    closed += mass;
    mass = sum = count = 0;
  }
  // where a cell's mean sat outside its middle third, |γ| = 1 moved it: one scale r of D² restores E[D²]
  // (the cells' masses and shapes stay), moving E[D⁴] and the support's top by ~1e-4 relative at most
  let moment = 0, modelled = 0;
  for (const g of groups) moment += g.mass * g.value;
  masses.forEach((m, k) => (modelled += m * ((edges[k] + edges[k + 1]) / 2 + (gammas[k] * (edges[k + 1] - edges[k])) / 6)));
  const r = moment / modelled;
  return { edges: Float64Array.from(edges, (e) => e * r), mass: Float64Array.from(masses), gamma: Float64Array.from(gammas) };
}

// Gauss–Legendre nodes on each cell: exact for the moments' polynomials (degree ≤ 47), and good to ~1e-16
// for 1/(1 − zs) where the cell is narrow beside its distance to the pole (|z|·h ≤ NARROW·|1 − zc|)
const MOMENT_NODES = gaussLegendre(24), CELL_NODES = gaussLegendre(6), NARROW = 0.05;

/** E[(D²)ⁿ]: the atoms' Σ w·dⁿ and each cell's ∫ ρ(s)sⁿ ds by Gauss–Legendre. */
function fillMoments(law: SlopeLaw): void {
  const m = law.moments;
  law.atomValues.forEach((d, i) => {
    let power = law.atomWeights[i];
    for (let n = 0; n <= SERIES_TERMS; n++, power *= d) m[n] += power;
  });
  law.mass.forEach((mass, k) => {
    const c = (law.edges[k] + law.edges[k + 1]) / 2, h = (law.edges[k + 1] - law.edges[k]) / 2, { x, w } = MOMENT_NODES;
    for (let i = 0; i < x.length; i++) {
      let power = (mass / 2) * w[i] * (1 + law.gamma[k] * x[i]);
      for (let n = 0; n <= SERIES_TERMS; n++, power *= c + h * x[i]) m[n] += power;
    }
  });
}

/**
 * ψ(z), 1 + ψ(z) and ψ′(z) at complex z (Im z ≤ 0, or real z < 1/max), as [ψr, ψi, Ψr, Ψi, ψ′r, ψ′i]:
 * by the power series where |z|·max ≤ ¼ (ψ keeps its digits at small z); otherwise each cell by
 * Gauss–Legendre where it is narrow beside its distance to the pole, in closed form where not.
 */
export function transformsOf(law: SlopeLaw, zr: number, zi: number): [number, number, number, number, number, number] {
  if (Math.sqrt(zr * zr + zi * zi) * law.max <= SERIES_LIMIT) {
    let pr = 0, pi = 0, dr = 0, di = 0, wr = 1, wi = 0;
    for (let n = 1; n <= SERIES_TERMS; n++) {
      // zⁿ⁻¹ for ψ′'s term, then zⁿ for ψ's
      dr += n * law.moments[n] * wr;
      di += n * law.moments[n] * wi;
      const r = wr * zr - wi * zi;
      wi = wr * zi + wi * zr;
      wr = r;
      pr += law.moments[n] * wr;
      pi += law.moments[n] * wi;
    }
    return [pr, pi, law.moments[0] + pr, pi, dr, di];
  }
  let qr = 0, qi = 0, dr = 0, di = 0;
  const add = (weight: number, s: number) => {
    const ar = 1 - zr * s, ai = -zi * s, m = ar * ar + ai * ai, ir = ar / m, ii = -ai / m;
    qr += weight * ir;
    qi += weight * ii;
    dr += weight * s * (ir * ir - ii * ii);
    di += weight * s * 2 * ir * ii;
  };
  law.atomValues.forEach((d, i) => add(law.atomWeights[i], d));
  law.mass.forEach((mass, k) => {
    const a = law.edges[k], b = law.edges[k + 1], c = (a + b) / 2, h = (b - a) / 2, gamma = law.gamma[k];
    if (Math.sqrt(zr * zr + zi * zi) * h <= NARROW * Math.sqrt((1 - zr * c) * (1 - zr * c) + zi * c * zi * c)) {
      const { x, w } = CELL_NODES;
      for (let i = 0; i < x.length; i++) add((mass / 2) * w[i] * (1 + gamma * x[i]), c + h * x[i]);
      return;
    }
    // a wide cell near the pole, in closed form with u = 1 − zs: ∫ds/u = −log u/z, ∫s/u = −s/z − log u/z²,
    // ∫s/u² = (1/u + log u)/z², ∫s²/u² = (1/u + 2 log u − u)/z³; the density is α + βs
    const beta = (mass * gamma) / (2 * h * h), alpha = mass / (2 * h) - beta * c;
    const [r1, i1] = reciprocal(zr, zi), r2 = r1 * r1 - i1 * i1, i2 = 2 * r1 * i1, r3 = r2 * r1 - i2 * i1, i3 = r2 * i1 + i2 * r1;
    const at = (s: number) => {
      const ur = 1 - zr * s, ui = -zi * s, lr = 0.5 * log(ur * ur + ui * ui), li = atan2(ui, ur), [vr, vi] = reciprocal(ur, ui);
      const hr = vr + 2 * lr - ur, hi = vi + 2 * li - ui;
      return [
        -(lr * r1 - li * i1), -(lr * i1 + li * r1),
        -(s * r1) - (lr * r2 - li * i2), -(s * i1) - (lr * i2 + li * r2),
        (vr + lr) * r2 - (vi + li) * i2, (vr + lr) * i2 + (vi + li) * r2,
        hr * r3 - hi * i3, hr * i3 + hi * r3,
      ];
    };
    const lo = at(a), up = at(b);
    qr += alpha * (up[0] - lo[0]) + beta * (up[2] - lo[2]);
    qi += alpha * (up[1] - lo[1]) + beta * (up[3] - lo[3]);
    dr += alpha * (up[4] - lo[4]) + beta * (up[6] - lo[6]);
    di += alpha * (up[5] - lo[5]) + beta * (up[7] - lo[7]);
  });
  return [qr - law.moments[0], qi, qr, qi, dr, di];
}

function reciprocal(re: number, im: number): [number, number] {
  const m = re * re + im * im;
  return [re / m, -im / m];
}

/** Whether two laws are the same: then layers share one unknown in the density's equations. */
export function sameLaw(a: SlopeLaw, b: SlopeLaw): boolean {
  const same = (x: Float64Array, y: Float64Array) => x.length === y.length && x.every((v, i) => v === y[i]);
  return same(a.atomValues, b.atomValues) && same(a.atomWeights, b.atomWeights) && same(a.edges, b.edges) && same(a.mass, b.mass) && same(a.gamma, b.gamma);
}
