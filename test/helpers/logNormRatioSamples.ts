// An independent check on src/theory/finiteWidth.ts: the same law sampled by Monte Carlo, one draw of K
// and of χ²(K) per layer (Marsaglia–Tsang Gamma), as the project computed it before the exact grid.
/** mulberry32: a small fixed-seed generator for the Monte Carlo (not the kernel's RNG). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(u: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000); shape < 1 through the boost u^(1/shape). */
function gamma(shape: number, u: () => number): number {
  if (shape < 1) return gamma(shape + 1, u) * Math.pow(1 - u(), 1 / shape);
  const d = shape - 1 / 3, c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(u), v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const w = 1 - u();
    if (Math.log(w) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

function binomialHalf(n: number, u: () => number): number {
  // the normal approximation is indistinguishable here for n ≥ 64; exact counting below that
  if (n < 64) {
    let k = 0;
    for (let i = 0; i < n; i++) k += u() < 0.5 ? 1 : 0;
    return k;
  }
  return Math.min(n, Math.max(0, Math.round(n / 2 + (Math.sqrt(n) / 2) * normal(u))));
}

/** `samples` draws of log10(‖aᴸ‖²/‖x‖²) for L He + ReLU layers of width n. */
export function heReluLogNormRatios(n: number, layers: number, samples = 20000, seed = 12345): Float64Array {
  const u = mulberry32(seed), out = new Float64Array(samples);
  for (let s = 0; s < samples; s++) {
    let log = 0;
    for (let l = 0; l < layers; l++) {
      const k = binomialHalf(n, u);
      log += k === 0 ? -Infinity : Math.log((2 / n) * 2 * gamma(k / 2, u));
    }
    out[s] = log / Math.LN10;
  }
  return out;
}
