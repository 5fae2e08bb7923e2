import { ACTIVATIONS, type ActivationName } from '../theory/activations.js';

export const INIT_NAMES = ['xavier', 'lecun', 'glorot', 'he', 'orthogonal', 'lsuv'] as const;
export type InitName = (typeof INIT_NAMES)[number];
export const FAN_MODES = ['in', 'out'] as const;
export type FanMode = (typeof FAN_MODES)[number];

export const INIT_LABELS: Record<InitName, string> = { xavier: 'Xavier', lecun: 'LeCun', glorot: 'Glorot', he: 'He', orthogonal: 'Orthogonal', lsuv: 'LSUV' };

/** `--gain auto`: the activation table's usual gain; He initialization has its √2 built in, so its automatic gain is 1. */
export function autoGain(init: InitName, activation: ActivationName, leakyAlpha: number): number {
  return init === 'he' ? 1 : ACTIVATIONS[activation].autoGain(leakyAlpha);
}

/** The gain a pattern's weights use: `--gain` as given, or autoGain's for `auto`. */
export function resolvedGain(gain: number | 'auto', init: InitName, activation: ActivationName, leakyAlpha: number): number {
  return gain === 'auto' ? autoGain(init, activation, leakyAlpha) : gain;
}

/** The negative slope He initialization is for: leaky ReLU's α (PyTorch's kaiming_normal_(a=α)), else 0 (ReLU's). */
export function heSlope(activation: ActivationName, leakyAlpha: number): number {
  return activation === 'leaky_relu' ? leakyAlpha : 0;
}

/**
 * Weight standard deviation of a Gaussian init, gain included. xavier: the original script's
 * 1/√fan_in (the same as LeCun normal; the name is kept); glorot: √(2/(fan_in + fan_out)) (Glorot &
 * Bengio 2010); he: √(2/((1 + a²)·fan)) with fan = fan_in or fan_out and a the slope it is for
 * (He et al. 2015; PyTorch's kaiming_normal_, so a = α for leaky ReLU and 0 otherwise).
 */
export function weightStd(init: InitName, fanIn: number, fanOut: number, gain: number, fanMode: FanMode, slope = 0): number {
  switch (init) {
    case 'glorot': return gain * Math.sqrt(2 / (fanIn + fanOut));
    case 'he': return gain * Math.sqrt(2 / ((1 + slope * slope) * (fanMode === 'in' ? fanIn : fanOut)));
    default: return gain / Math.sqrt(fanIn);
  }
}

/**
 * σw² of the mean-field theory: the layer's weight variance × fan_in. Orthogonal rows (fan_out ≤
 * fan_in) keep ‖x‖ per row-space, columns (fan_out > fan_in) keep ‖Wx‖ = ‖x‖: σw² = g²·min(1, in/out).
 * LSUV has no fixed σw² (it is fitted to the batch): undefined.
 */
export function sigmaW2(init: InitName, fanIn: number, fanOut: number, gain: number, fanMode: FanMode, slope = 0): number | undefined {
  if (init === 'lsuv') return undefined;
  const g2 = gain * gain;
  switch (init) {
    case 'orthogonal': return g2 * Math.min(1, fanIn / fanOut);
    case 'glorot': return (g2 * 2 * fanIn) / (fanIn + fanOut);
    case 'he': return (fanMode === 'in' ? 2 * g2 : (2 * g2 * fanIn) / fanOut) / (1 + slope * slope);
    default: return g2;
  }
}
