// The one table of activations. A row holds everything the host knows about φ: the kernel's code (the
// kernel's own f32 φ is assembly/activations.ts), the label, φ and φ′ in float64 (the theory uses them,
// and the kernel's pure-TS twin rounds them to f32), PyTorch's gain, and, when φ is monotone, how to
// read φ′ and the law of a = φ(z) off a. Closed forms of the moments, where they exist, are in
// closedForms.ts. test/theory/activationTable.test.ts and test/kernel/kernelParity.test.ts check the rows against
// the kernel.

import { erfc } from './erf.js';
import { atanh, exp, expm1, log, log1p, tanh } from './portableMath.js';

export const SELU_LAMBDA = 1.0507009873554805;
export const SELU_ALPHA = 1.6732632423543772;
export const LEAKY_ALPHA_DEFAULT = 0.01;

/** What a = φ(z) tells about z when φ is monotone. */
export interface ReadOffA {
  /** φ′(z) from a = φ(z): what the backward pass multiplies by when it keeps a and not z. */
  slopeFromA(a: number, alpha: number): number;
  /** The density of a = φ(z) at a, by change of variables, given the density pz of z. */
  pdfOfA(a: number, pz: (z: number) => number, alpha: number): number;
  /** P(a = 0): the mass of a flat piece of φ (ReLU's z < 0). */
  zeroMass(alpha: number): number;
}

export interface ActivationRow {
  /** The kernel's code for it (ACT_<NAME> in assembly/activations.ts). */
  readonly code: number;
  /** As pattern names print it: "A) He + GELU". */
  readonly label: string;
  readonly phi: (z: number, alpha: number) => number;
  readonly phiPrime: (z: number, alpha: number) => number;
  /** `--gain auto` (PyTorch's calculate_gain; SELU's 3/4 is that table's, and SELU needs gain 1 to self-normalize); GELU and SiLU have no entry: 1. */
  readonly autoGain: (alpha: number) => number;
  /**
   * Present exactly when φ is monotone, so a determines z. GELU and SiLU are not: the backward pass
   * keeps z for them, and their histograms of a get no analytic overlay.
   */
  readonly readOffA?: ReadOffA;
}

const sigmoid = (z: number) => 1 / (1 + exp(-z));
const one = () => 1;
const noZeroMass = () => 0;

const ROWS = {
  identity: {
    code: 0, label: 'Identity', phi: (z) => z, phiPrime: one, autoGain: one,
    readOffA: { slopeFromA: one, pdfOfA: (a, pz) => pz(a), zeroMass: noZeroMass },
  },
  relu: {
    // max(z, 0): −0 → +0 and NaN stays NaN, as in the kernel
    code: 1, label: 'ReLU', phi: (z) => Math.max(z, 0), phiPrime: (z) => (z > 0 ? 1 : 0), autoGain: () => Math.SQRT2,
    readOffA: { slopeFromA: (a) => (a > 0 ? 1 : 0), pdfOfA: (a, pz) => (a > 0 ? pz(a) : 0), zeroMass: () => 0.5 },
  },
  leaky_relu: {
    code: 2, label: 'leaky ReLU', phi: (z, alpha) => (z > 0 ? z : alpha * z), phiPrime: (z, alpha) => (z > 0 ? 1 : alpha),
    autoGain: (alpha) => Math.sqrt(2 / (1 + alpha * alpha)),
    readOffA: {
      slopeFromA: (a, alpha) => (a > 0 ? 1 : alpha),
      pdfOfA: (a, pz, alpha) => (a > 0 ? pz(a) : alpha > 0 ? pz(a / alpha) / alpha : 0),
      // α = 0 is ReLU
      zeroMass: (alpha) => (alpha === 0 ? 0.5 : 0),
    },
  },
  tanh: {
    code: 3, label: 'tanh', phi: tanh, phiPrime: (z) => 1 - tanh(z) ** 2, autoGain: () => 5 / 3,
    readOffA: { slopeFromA: (a) => 1 - a * a, pdfOfA: (a, pz) => (Math.abs(a) < 1 ? pz(atanh(a)) / (1 - a * a) : 0), zeroMass: noZeroMass },
  },
  sigmoid: {
    code: 4, label: 'sigmoid', phi: sigmoid, phiPrime: (z) => sigmoid(z) * (1 - sigmoid(z)), autoGain: one,
    readOffA: { slopeFromA: (a) => a * (1 - a), pdfOfA: (a, pz) => (a > 0 && a < 1 ? pz(log(a / (1 - a))) / (a * (1 - a)) : 0), zeroMass: noZeroMass },
  },
  gelu: {
    // z·Φ(z) with Φ(z) = ½·erfc(−z/√2): 1 + erf(z/√2) would cancel to nothing where z ≪ 0
    code: 5, label: 'GELU', phi: (z) => 0.5 * z * erfc(-z / Math.SQRT2),
    phiPrime: (z) => 0.5 * erfc(-z / Math.SQRT2) + (z * exp(-0.5 * z * z)) / Math.sqrt(2 * Math.PI), autoGain: one,
  },
  selu: {
    code: 6, label: 'SELU', phi: (z) => SELU_LAMBDA * (z > 0 ? z : SELU_ALPHA * expm1(z)),
    phiPrime: (z) => SELU_LAMBDA * (z > 0 ? 1 : SELU_ALPHA * exp(z)), autoGain: () => 3 / 4,
    readOffA: {
      slopeFromA: (a) => (a > 0 ? SELU_LAMBDA : a + SELU_LAMBDA * SELU_ALPHA),
      pdfOfA: (a, pz) => (a > 0 ? pz(a / SELU_LAMBDA) / SELU_LAMBDA : a > -SELU_LAMBDA * SELU_ALPHA ? pz(log1p(a / (SELU_LAMBDA * SELU_ALPHA))) / (SELU_LAMBDA * SELU_ALPHA + a) : 0),
      zeroMass: noZeroMass,
    },
  },
  silu: {
    code: 7, label: 'SiLU', phi: (z) => z * sigmoid(z), phiPrime: (z) => sigmoid(z) * (1 + z * (1 - sigmoid(z))), autoGain: one,
  },
} satisfies Record<string, ActivationRow>;

export type ActivationName = keyof typeof ROWS;

export interface ActivationInfo extends ActivationRow {
  readonly name: ActivationName;
  /** φ is monotone (readOffA is present). */
  readonly monotone: boolean;
}

export const ACTIVATIONS = Object.fromEntries(
  Object.entries(ROWS).map(([name, row]: [string, ActivationRow]) => [name, { ...row, name, monotone: row.readOffA !== undefined }]),
) as { readonly [A in ActivationName]: ActivationInfo };

/** In code order. */
export const ACTIVATION_NAMES = (Object.keys(ROWS) as ActivationName[]).sort((a, b) => ROWS[a].code - ROWS[b].code);

const BY_CODE: ActivationInfo[] = ACTIVATION_NAMES.map((name) => ACTIVATIONS[name]);

/** The row of a kernel code (the twin's way in). */
export function activationOfCode(code: number): ActivationInfo {
  const row = BY_CODE[code];
  if (row === undefined || row.code !== code) throw new Error(`no activation has kernel code ${code}`);
  return row;
}
