/**
 * RNG stream of the input (layer 0) or of layer l's weights (or bias) for the pattern at
 * `patternIndex`. Patterns draw fresh numbers, as in the original; rows of x are values
 * row·width… of stream (pattern, 0).
 */
export function streamId(patternIndex: number, layer: number, kind: 'weights' | 'bias' | 'gradient' | 'sharedInput' = 'weights'): number {
  // --input-corr: the one vector g every row of x shares
  if (kind === 'sharedInput') return 0xc0000000 + patternIndex;
  // the upstream gradient g of --backward is drawn like an input, from a stream of its own
  if (kind === 'gradient') return 0x80000000 + patternIndex;
  return patternIndex * 65536 + (kind === 'bias' ? 32768 : 0) + layer;
}
