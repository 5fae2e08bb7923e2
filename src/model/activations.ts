// The one table of activations: what every layer of the code base needs to know about φ beyond φ
// itself (the kernel's φ is in assembly/activations.ts, the theory's float64 φ in
// src/theory/activationFunctions.ts; test/activationTable.test.ts checks the three agree).
import { Activation, type ActivationName } from '../kernel/layout.js';

export interface ActivationInfo {
  readonly name: ActivationName;
  /** The kernel's code (ACT_<NAME> in assembly/layout.ts). */
  readonly code: number;
  /** As pattern names print it: "A) He + GELU". */
  readonly label: string;
  /**
   * φ is monotone, so a = φ(z) determines z: the backward pass reads φ′ off the kept a, and the law
   * of a has a density by change of variables. GELU and SiLU are not: the backward pass keeps z
   * for them, and their histograms get no analytic overlay for a.
   */
  readonly monotone: boolean;
  /** V(q) = E[φ(z)²] has a closed form (src/theory/closedForms.ts); the others use quadrature. */
  readonly closedForm: boolean;
  /** `--gain auto` (PyTorch's calculate_gain; SELU's 3/4 is that table's, and SELU needs gain 1 to self-normalize); GELU and SiLU have no entry: 1. */
  readonly autoGain: (leakyAlpha: number) => number;
}

const one = () => 1;

export const ACTIVATIONS: { readonly [A in ActivationName]: ActivationInfo } = {
  identity: { name: 'identity', code: Activation.identity, label: 'Identity', monotone: true, closedForm: true, autoGain: one },
  relu: { name: 'relu', code: Activation.relu, label: 'ReLU', monotone: true, closedForm: true, autoGain: () => Math.SQRT2 },
  leaky_relu: { name: 'leaky_relu', code: Activation.leaky_relu, label: 'leaky ReLU', monotone: true, closedForm: true, autoGain: (alpha) => Math.sqrt(2 / (1 + alpha * alpha)) },
  tanh: { name: 'tanh', code: Activation.tanh, label: 'tanh', monotone: true, closedForm: false, autoGain: () => 5 / 3 },
  sigmoid: { name: 'sigmoid', code: Activation.sigmoid, label: 'sigmoid', monotone: true, closedForm: false, autoGain: one },
  gelu: { name: 'gelu', code: Activation.gelu, label: 'GELU', monotone: false, closedForm: true, autoGain: one },
  selu: { name: 'selu', code: Activation.selu, label: 'SELU', monotone: true, closedForm: true, autoGain: () => 3 / 4 },
  silu: { name: 'silu', code: Activation.silu, label: 'SiLU', monotone: false, closedForm: false, autoGain: one },
};

export const ACTIVATION_NAMES = Object.keys(ACTIVATIONS) as ActivationName[];
