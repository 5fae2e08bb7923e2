import { ACTIVATION_NAMES, ACTIVATIONS, type ActivationName } from '../theory/activations.js';
import { didYouMean } from './didYouMean.js';
import { INIT_LABELS, INIT_NAMES, type InitName } from './inits.js';

export type { InitName } from './inits.js';

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


/** "A) Glorot + tanh": a letter for the position, as the original names its patterns. */
export function patternName(index: number, init: InitName, activation: ActivationName): string {
  const letter = index < 26 ? String.fromCharCode(65 + index) : `P${index + 1}`;
  return `${letter}) ${INIT_LABELS[init]} + ${ACTIVATIONS[activation].label}`;
}

/** Parses "INIT:ACT" (e.g. "he:gelu"); returns an error message (naming the option as `option`) or the spec. */
export function parsePattern(text: string, index: number, option = '--pattern'): PatternSpec | string {
  const [init, activation, extra] = text.split(':').map((s) => s.trim());
  if (extra !== undefined || !init || !activation) return `${option} must be INIT:ACT (e.g. he:relu), got "${text}"`;
  if (!(INIT_NAMES as readonly string[]).includes(init)) return `${option}: unknown init "${init}"${didYouMean(init, INIT_NAMES)} (one of ${INIT_NAMES.join(', ')})`;
  if (!(ACTIVATION_NAMES as string[]).includes(activation)) return `${option}: unknown activation "${activation}"${didYouMean(activation, ACTIVATION_NAMES)} (one of ${ACTIVATION_NAMES.join(', ')})`;
  return { name: patternName(index, init as InitName, activation as ActivationName), init: init as InitName, activation: activation as ActivationName };
}
