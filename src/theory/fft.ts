// An in-place radix-2 complex FFT over separate real and imaginary arrays (length a power of two).
import { cos, sin } from './portableMath.js';

/** The discrete Fourier transform Σ x_j e^{∓2πi jk/N} (inverse: + and ÷ N), in place. */
export function fft(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if (n !== im.length || (n & (n - 1)) !== 0) throw new Error(`fft: length ${n} is not a power of two`);
  // bit-reversed order, then butterflies of doubling span
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  const sign = inverse ? 1 : -1;
  for (let span = 2; span <= n; span <<= 1) {
    const angle = (sign * 2 * Math.PI) / span, half = span >> 1;
    for (let k = 0; k < half; k++) {
      // the twiddle from cos/sin directly (not by repeated multiplication) keeps the error at ~1e-16·log N
      const wr = cos(angle * k), wi = sin(angle * k);
      for (let start = k; start < n; start += span) {
        const j = start + half;
        const tr = wr * re[j] - wi * im[j], ti = wr * im[j] + wi * re[j];
        re[j] = re[start] - tr;
        im[j] = im[start] - ti;
        re[start] += tr;
        im[start] += ti;
      }
    }
  }
  if (inverse) for (let i = 0; i < n; i++) (re[i] /= n), (im[i] /= n);
}
