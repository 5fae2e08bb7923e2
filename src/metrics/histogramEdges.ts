/**
 * bins + 1 equal-width edges over [lo, hi]; the last edge is hi exactly. A degenerate range
 * (all values equal) widens to [lo − ½, hi + ½], as numpy.histogram does.
 */
export function histogramEdges(lo: number, hi: number, bins: number): Float64Array {
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const edges = new Float64Array(bins + 1);
  for (let i = 0; i < bins; i++) edges[i] = lo + ((hi - lo) * i) / bins;
  edges[bins] = hi;
  return edges;
}
