// Layout of the per-row statistics record and exact histogram binning.
// Twin: src/kernel/layout.ts (STAT_*), src/kernel/reference/stats.ts (histogram).

export const STAT_Z_SUM: i32 = 0;
export const STAT_Z_SUMSQ: i32 = 1;
export const STAT_Z_MIN: i32 = 2;
export const STAT_Z_MAX: i32 = 3;
export const STAT_A_SUM: i32 = 4;
export const STAT_A_SUMSQ: i32 = 5;
export const STAT_A_MIN: i32 = 6;
export const STAT_A_MAX: i32 = 7;
export const STAT_A_ZEROS: i32 = 8;
export const STAT_FIELDS: i32 = 9;

/**
 * Adds to the u32 counts at `countsPtr` the number of values of a rows × cols f32 block that fall in
 * each of `bins` bins bounded by the bins+1 ascending f64 edges at `edgesPtr`: bin i is
 * [edge i, edge i+1), the last bin also takes its upper edge. The arithmetic guess is corrected
 * against the edges, so counts agree exactly with the published edges. NaN and out-of-range
 * values are not counted.
 */
export function histogram(ptr: usize, stride: i32, rows: i32, cols: i32, edgesPtr: usize, bins: i32, countsPtr: usize): void {
  const lo = load<f64>(edgesPtr);
  const hi = load<f64>(edgesPtr + (<usize>bins << 3));
  const perUnit = <f64>bins / (hi - lo);
  for (let r = 0; r < rows; r++) {
    let p = ptr + ((<usize>r * <usize>stride) << 2);
    for (let c = 0; c < cols; c++) {
      const v = <f64>load<f32>(p);
      p += 4;
      if (!(v >= lo && v <= hi)) continue;
      let i = <i32>Math.floor((v - lo) * perUnit);
      if (i >= bins) i = bins - 1;
      if (i < 0) i = 0;
      if (v < load<f64>(edgesPtr + (<usize>i << 3))) i--;
      else if (i < bins - 1 && v >= load<f64>(edgesPtr + (<usize>(i + 1) << 3))) i++;
      const at = countsPtr + (<usize>i << 2);
      store<u32>(at, load<u32>(at) + 1);
    }
  }
}
