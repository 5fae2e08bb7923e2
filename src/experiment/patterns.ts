import type { ActivationName } from '../kernel/layout.js';

export type InitName = 'xavier' | 'he';

export interface PatternSpec {
  name: string;
  init: InitName;
  activation: ActivationName;
}

/** The original script's three patterns, in its order and with its names. */
export const ORIGINAL_PATTERNS: readonly PatternSpec[] = [
  { name: 'A) Xavier + Identity', init: 'xavier', activation: 'identity' },
  { name: 'B) Xavier + ReLU', init: 'xavier', activation: 'relu' },
  { name: 'C) He + ReLU', init: 'he', activation: 'relu' },
];

/**
 * Weight standard deviation. xavier: 1/√fan_in, as the original script defines it (LeCun normal);
 * he: √(2/fan_in) (He et al. 2015, "Delving deep into rectifiers", eq. 10).
 */
export function weightStd(init: InitName, fanIn: number): number {
  return init === 'he' ? Math.sqrt(2 / fanIn) : 1 / Math.sqrt(fanIn);
}
