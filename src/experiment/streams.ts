/**
 * RNG stream of the input (layer 0) or of layer l's weights for the pattern at `patternIndex`.
 * Patterns draw fresh numbers, as in the original; rows of x are values row·width… of stream 0.
 */
export function streamId(patternIndex: number, layer: number): number {
  return patternIndex * 65536 + layer;
}
