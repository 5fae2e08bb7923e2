/** The projections of an attention block, each drawn from its own stream. */
export const ATTENTION_ROLES = ['query', 'key', 'value', 'output'] as const;
export type AttentionRole = (typeof ATTENTION_ROLES)[number];
export type StreamKind = 'weights' | 'bias' | 'gradient' | 'sharedInput' | AttentionRole;

/**
 * RNG stream of the input (layer 0) or of layer l's weights (or bias) for the pattern at
 * `patternIndex`. Patterns draw fresh numbers, as in the original; rows of x are values
 * row·width… of stream (pattern, 0).
 */
export function streamId(patternIndex: number, layer: number, kind: StreamKind = 'weights'): number {
  // --input-corr: the one vector g every row of x shares
  if (kind === 'sharedInput') return 0xc0000000 + patternIndex;
  // the upstream gradient g of --backward is drawn like an input, from a stream of its own
  if (kind === 'gradient') return 0x80000000 + patternIndex;
  // an attention block's W_Q, W_K, W_V and W_O: a region of their own above every weight and bias stream
  // (those stay below 2³⁰ for fewer than 16384 patterns), so today's runs keep every value
  const role = ATTENTION_ROLES.indexOf(kind as AttentionRole);
  if (role >= 0) return 0x40000000 + (patternIndex * ATTENTION_ROLES.length + role) * 32768 + layer;
  return patternIndex * 65536 + (kind === 'bias' ? 32768 : 0) + layer;
}
