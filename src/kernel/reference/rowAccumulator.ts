// Pure-TS twin of assembly/rowAccumulator.ts: statistics of a row in 8 lanes (lane c takes columns
// j ≡ c mod 8 in ascending j), combined by the same tree, so results are bit-identical.
import { STAT_A_MAX, STAT_A_MIN, STAT_A_SUM, STAT_A_SUMSQ, STAT_A_ZEROS, STAT_Z_MAX, STAT_Z_MIN, STAT_Z_SUM, STAT_Z_SUMSQ } from '../layout.js';

export class RowAccumulator {
  readonly zSum = new Float64Array(8);
  readonly zSq = new Float64Array(8);
  readonly aSum = new Float64Array(8);
  readonly aSq = new Float64Array(8);
  readonly zMin = new Float32Array(8);
  readonly zMax = new Float32Array(8);
  readonly aMin = new Float32Array(8);
  readonly aMax = new Float32Array(8);
  readonly zeros = new Int32Array(8);

  reset(): void {
    for (const a of [this.zSum, this.zSq, this.aSum, this.aSq, this.zeros]) a.fill(0);
    this.zMin.fill(Infinity);
    this.aMin.fill(Infinity);
    this.zMax.fill(-Infinity);
    this.aMax.fill(-Infinity);
  }

  /** Column j of the row, with z and a already f32 values. */
  add(j: number, z: number, a: number): void {
    const c = j & 7;
    this.zSum[c] += z;
    this.zSq[c] += z * z;
    this.aSum[c] += a;
    this.aSq[c] += a * a;
    this.zMin[c] = Math.min(this.zMin[c], z);
    this.zMax[c] = Math.max(this.zMax[c], z);
    this.aMin[c] = Math.min(this.aMin[c], a);
    this.aMax[c] = Math.max(this.aMax[c], a);
    this.zeros[c] += a === 0 ? 1 : 0;
  }

  /** Writes the STAT_FIELDS record at f64 index `at`. */
  finish(f64: Float64Array, at: number): void {
    const sum = (s: Float64Array) => (s[0] + s[2] + (s[4] + s[6])) + (s[1] + s[3] + (s[5] + s[7]));
    const min = (m: Float32Array) => Math.min(...m);
    const max = (m: Float32Array) => Math.max(...m);
    f64[at + STAT_Z_SUM] = sum(this.zSum);
    f64[at + STAT_Z_SUMSQ] = sum(this.zSq);
    f64[at + STAT_Z_MIN] = min(this.zMin);
    f64[at + STAT_Z_MAX] = max(this.zMax);
    f64[at + STAT_A_SUM] = sum(this.aSum);
    f64[at + STAT_A_SUMSQ] = sum(this.aSq);
    f64[at + STAT_A_MIN] = min(this.aMin);
    f64[at + STAT_A_MAX] = max(this.aMax);
    f64[at + STAT_A_ZEROS] = this.zeros.reduce((s, v) => s + v, 0);
  }
}
