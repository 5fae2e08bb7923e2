import { ACTIVATION_NAMES, ACTIVATIONS, type ActivationName } from '../theory/activations.js';
import { didYouMean } from './didYouMean.js';
import { INIT_LABELS, INIT_NAMES, type InitName } from './inits.js';
import { NORM_LABELS, NORMS, type NormName } from '../theory/residualStream.js';

export type { InitName } from './inits.js';

export interface PatternSpec {
  name: string;
  init: InitName;
  activation: ActivationName;
  /** The pattern's own normalization (INIT:ACT:NORM); absent: --norm's. */
  norm?: NormName;
}

/** The original script's three patterns, in its order and with its names. */
export const ORIGINAL_PATTERNS: readonly PatternSpec[] = [
  { name: 'A) Xavier + Identity', init: 'xavier', activation: 'identity' },
  { name: 'B) Xavier + ReLU', init: 'xavier', activation: 'relu' },
  { name: 'C) He + ReLU', init: 'he', activation: 'relu' },
];


/** "A) Glorot + tanh": a letter for the position, as the original names its patterns. */
export function patternName(index: number, init: InitName, activation: ActivationName, norm?: NormName): string {
  const letter = index < 26 ? String.fromCharCode(65 + index) : `P${index + 1}`;
  return `${letter}) ${INIT_LABELS[init]} + ${ACTIVATIONS[activation].label}${norm ? `, ${NORM_LABELS[norm]}` : ''}`;
}

/** Parses "INIT:ACT" or "INIT:ACT:NORM" (e.g. "he:gelu", "he:relu:batch"); returns an error message (naming the option as `option`) or the spec. */
export function parsePattern(text: string, index: number, option = '--pattern'): PatternSpec | string {
  const [init, activation, norm, extra] = text.split(':').map((s) => s.trim());
  if (extra !== undefined || !init || !activation || norm === '') return `${option} must be INIT:ACT or INIT:ACT:NORM (e.g. he:relu, he:relu:batch), got "${text}"`;
  if (!(INIT_NAMES as readonly string[]).includes(init)) return `${option}: unknown init "${init}"${didYouMean(init, INIT_NAMES)} (one of ${INIT_NAMES.join(', ')})`;
  if (!(ACTIVATION_NAMES as string[]).includes(activation)) return `${option}: unknown activation "${activation}"${didYouMean(activation, ACTIVATION_NAMES)} (one of ${ACTIVATION_NAMES.join(', ')})`;
  if (norm !== undefined && !(NORMS as readonly string[]).includes(norm)) return `${option}: unknown norm "${norm}"${didYouMean(norm, NORMS)} (one of ${NORMS.join(', ')})`;
  const spec: PatternSpec = { name: patternName(index, init as InitName, activation as ActivationName, norm as NormName | undefined), init: init as InitName, activation: activation as ActivationName };
  return norm === undefined ? spec : { ...spec, norm: norm as NormName };
}
