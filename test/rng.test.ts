import { describe, expect, it } from 'vitest';
import { KernelMemory } from '../src/kernel/kernelMemory.js';
import { loadNodeKernel } from '../src/kernel/wasmFile.js';
import { normalCdf } from '../src/theory/erf.js';

const N = 1 << 20;


async function wasm() {
  const kernel = await loadNodeKernel();
  const mem = new KernelMemory(kernel.memory);
  const base = Math.ceil(kernel.exports.heapBase() / 64) * 64;
  mem.ensure(base + 2 * N * 4);
  return { e: kernel.exports, mem, base };
}

describe('fillNormal: counter-based N(0,1)', () => {
  it('has mean 0 and variance 1 within 5 standard errors over 2^20 values', async () => {
    const { e, mem, base } = await wasm();
    e.fillNormal(base, N, 0, 0, 0, 1);
    const v = mem.f32.subarray(base >> 2, (base >> 2) + N);
    let s = 0, s2 = 0, s4 = 0;
    for (const x of v) (s += x), (s2 += x * x), (s4 += x ** 4);
    const mean = s / N, variance = s2 / N - mean * mean;
    // SE of the mean is 1/√N; SE of the variance is √((E[x⁴] − 1)/N) = √(2/N) for a normal.
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(N));
    expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / N));
    // kurtosis 3 within 5 SE (SE of E[x⁴] is √(96/N))
    expect(Math.abs(s4 / N - 3)).toBeLessThan(5 * Math.sqrt(96 / N));
  });

  it('follows N(0,1): Kolmogorov–Smirnov D below the α = 0.001 critical value, tail beyond the ziggurat base within 5 SE', async () => {
    const { e, mem, base } = await wasm();
    e.fillNormal(base, N, 11, 4, 0, 1);
    const v = mem.f32.slice(base >> 2, (base >> 2) + N).sort();
    let d = 0;
    for (let i = 0; i < N; i++) {
      const cdf = normalCdf(v[i]);
      d = Math.max(d, Math.abs(cdf - i / N), Math.abs((i + 1) / N - cdf));
    }
    expect(d).toBeLessThan(1.95 / Math.sqrt(N));
    // |z| > R = 3.4426 only comes from the ziggurat's tail algorithm: p = 2·Φ(−R)
    const p = 2 * normalCdf(-3.442619855899);
    const tail = v.filter((x) => Math.abs(x) > 3.442619855899).length;
    expect(Math.abs(tail - N * p)).toBeLessThan(5 * Math.sqrt(N * p * (1 - p)));
  });

  it('value i of (seed, stream) does not depend on how the buffer is chunked', async () => {
    const { e, mem, base } = await wasm();
    const count = 10_007;
    e.fillNormal(base, count, 42, 17, 123, 1);
    const whole = mem.f32.slice(base >> 2, (base >> 2) + count);
    const second = base + N * 4;
    for (let at = 0, step = 1; at < count; at += step, step = (step * 3 + 1) % 97 || 1) {
      const n = Math.min(step, count - at);
      e.fillNormal(second + at * 4, n, 42, 17, 123 + at, 1);
    }
    expect(mem.f32.slice(second >> 2, (second >> 2) + count)).toEqual(whole);
  });

  it('different seeds and streams give different numbers; scale multiplies', async () => {
    const { e, mem, base } = await wasm();
    const read = () => Array.from(mem.f32.slice(base >> 2, (base >> 2) + 8));
    e.fillNormal(base, 8, 1, 1, 0, 1);
    const a = read();
    e.fillNormal(base, 8, 2, 1, 0, 1);
    expect(read()).not.toEqual(a);
    e.fillNormal(base, 8, 1, 2, 0, 1);
    expect(read()).not.toEqual(a);
    e.fillNormal(base, 8, 1, 1, 0, 0.5);
    expect(read()).toEqual(a.map((x) => Math.fround(x * 0.5)));
  });
});
