// Elementary functions from IEEE-754 additions, multiplications, divisions and square roots only, so
// that every JavaScript engine gives the same bits: V8 does not keep Math.exp, Math.log, Math.sin and the
// like bit-identical across versions (Chromium 156.0.8078.114 differs from Node 20 in the last bit on
// about 5% of arguments), and the theory written to metrics.json must be the same in Node and in the
// page. The algorithms are those of fdlibm (Sun Microsystems, 1993): argument reduction, then a
// minimax polynomial; each is within about 1 ulp (test/theory/portableMath.test.ts measures it).

const view = new DataView(new ArrayBuffer(8));

/** 2ⁿ for integer n in −1022 … 1023, built from its bits. */
function pow2(n: number): number {
  view.setUint32(0, (n + 1023) << 20);
  view.setUint32(4, 0);
  return view.getFloat64(0);
}

/** y·2ᵏ for k in −1075 … 1024 (two steps where 2ᵏ itself is out of range). */
function scale(y: number, k: number): number {
  if (k > 1023) return y * 2 * pow2(k - 1);
  if (k < -1022) return y * pow2(k + 54) * pow2(-54);
  return y * pow2(k);
}

const LN2_HI = 6.93147180369123816490e-1, LN2_LO = 1.90821492927058770002e-10, INV_LN2 = 1.44269504088896338700;
const P1 = 1.66666666666666019037e-1, P2 = -2.77777777770155933842e-3, P3 = 6.61375632143793436117e-5, P4 = -1.65339022054652515390e-6, P5 = 4.13813679705723846039e-8;

/** eˣ: x = k·ln 2 + r with |r| ≤ ½ln 2, then e^r by a rational form of its Remez polynomial. */
export function exp(x: number): number {
  if (x !== x) return x;
  if (x > 709.782712893384) return Infinity;
  if (x < -745.1332191019412) return 0;
  const ax = Math.abs(x);
  if (ax < 3.725290298461914e-9) return 1 + x;
  let hi = x, lo = 0, k = 0;
  if (ax > 0.34657359027997264) {
    k = ax < 1.0397207708399179 ? (x > 0 ? 1 : -1) : Math.trunc(INV_LN2 * x + (x < 0 ? -0.5 : 0.5));
    hi = x - k * LN2_HI;
    lo = k * LN2_LO;
  }
  const r = hi - lo, t = r * r;
  const c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((r * c) / (c - 2) - r);
  return scale(1 - (lo - (r * c) / (2 - c) - hi), k);
}

const LG1 = 6.666666666666735130e-1, LG2 = 3.999999999940941908e-1, LG3 = 2.857142874366239149e-1, LG4 = 2.222219843214978396e-1;
const LG5 = 1.818357216161805012e-1, LG6 = 1.531383769920937332e-1, LG7 = 1.479819860511658591e-1;

/** ln x: x = 2ᵏ·m with m in [√2/2, √2), then ln m = 2·atanh(f/(2 + f)), f = m − 1, by its series in s². */
export function log(x: number): number {
  if (x !== x || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return x;
  let k = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984; // 2⁵⁴: subnormals scaled into the normal range
    k = -54;
  }
  view.setFloat64(0, x);
  let high = view.getUint32(0);
  k += (high >>> 20) - 1023;
  high &= 0x000fffff;
  // m or m/2, whichever lies in [√2/2, √2)
  const half = (high + 0x95f64) & 0x100000;
  view.setUint32(0, high | (half ^ 0x3ff00000));
  k += half >> 20;
  const f = view.getFloat64(0) - 1;
  const s = f / (2 + f), z = s * s, w = z * z;
  const R = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7))) + w * (LG2 + w * (LG4 + w * LG6));
  const hfsq = 0.5 * f * f;
  return k * LN2_HI - (hfsq - (s * (hfsq + R) + k * LN2_LO) - f);
}

const LN10 = 2.302585092994046;

export function log10(x: number): number {
  return log(x) / LN10;
}

/** ln(1 + x), accurate for small x: ln u·x/(u − 1) with u = 1 + x rounded (Goldberg 1991). */
export function log1p(x: number): number {
  const u = 1 + x;
  if (u === 1 || u === Infinity) return u === 1 ? x : u;
  return (log(u) * x) / (u - 1);
}

/** eˣ − 1, accurate for small x: (u − 1)·x/ln u with u = eˣ rounded (Kahan). */
export function expm1(x: number): number {
  const u = exp(x);
  if (u === 1) return x;
  if (u === Infinity) return u;
  const um1 = u - 1;
  return um1 === -1 ? -1 : (um1 * x) / log(u);
}

export function tanh(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  if (a > 22) return x > 0 ? 1 : -1;
  if (a < 3.725290298461914e-9) return x;
  const e = expm1(2 * a), t = e / (e + 2);
  return x < 0 ? -t : t;
}

/** atanh x = ½·ln((1 + |x|)/(1 − |x|)) with the sign of x, through log1p of a well-conditioned argument. */
export function atanh(x: number): number {
  const a = Math.abs(x);
  const t = a < 0.5 ? 0.5 * log1p(2 * a + (2 * a * a) / (1 - a)) : 0.5 * log1p((2 * a) / (1 - a));
  return x < 0 ? -t : t;
}

const ATAN_HI = [4.63647609000806093515e-1, 7.85398163397448278999e-1, 9.82793723247329054082e-1, 1.57079632679489655800];
const ATAN_LO = [2.26987774529616870924e-17, 3.06161699786838301793e-17, 1.39033110312309984516e-17, 6.12323399573676603587e-17];
const AT = [
  3.33333333333329318027e-1, -1.99999999998764832476e-1, 1.42857142725034663711e-1, -1.11111104054623557880e-1, 9.09088713343650656196e-2,
  -7.69187620504482999495e-2, 6.66107313738753120669e-2, -5.83357013379057348645e-2, 4.97687799461593236017e-2, -3.65315727442169155270e-2, 1.62858201153657823623e-2,
];

/** atan x: reduced to |x| < 7/16 around atan(½), atan(1), atan(3/2) or π/2, then an odd polynomial. */
export function atan(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  if (a >= 7.378697629483821e19) return x > 0 ? ATAN_HI[3] + ATAN_LO[3] : -ATAN_HI[3] - ATAN_LO[3];
  let id = -1, t = x;
  if (a < 0.4375) {
    if (a < 1.862645149230957e-9) return x;
  } else if (a < 1.1875) {
    if (a < 0.6875) [id, t] = [0, (2 * a - 1) / (2 + a)];
    else [id, t] = [1, (a - 1) / (a + 1)];
  } else if (a < 2.4375) [id, t] = [2, (a - 1.5) / (1 + 1.5 * a)];
  else [id, t] = [3, -1 / a];
  const z = t * t, w = z * z;
  const s1 = z * (AT[0] + w * (AT[2] + w * (AT[4] + w * (AT[6] + w * (AT[8] + w * AT[10])))));
  const s2 = w * (AT[1] + w * (AT[3] + w * (AT[5] + w * (AT[7] + w * AT[9]))));
  if (id < 0) return t - t * (s1 + s2);
  const r = ATAN_HI[id] - (t * (s1 + s2) - ATAN_LO[id] - t);
  return x < 0 ? -r : r;
}

const PI = 3.141592653589793, PI_LO = 1.2246467991473532e-16;

/** The angle of (x, y), in (−π, π]. */
export function atan2(y: number, x: number): number {
  if (x !== x || y !== y) return NaN;
  if (x === 0) return y > 0 ? PI / 2 : y < 0 ? -PI / 2 : 0;
  const base = atan(y / x);
  if (x > 0) return base;
  return y >= 0 ? base + PI_LO + PI : base - PI_LO - PI;
}

/** acos x = 2·atan(√((1 − x)/(1 + x))) for x in [−1, 1]. */
export function acos(x: number): number {
  if (!(x >= -1 && x <= 1)) return NaN;
  return 2 * atan(Math.sqrt((1 - x) / (1 + x)));
}

const S1 = -1.66666666666666324348e-1, S2 = 8.33333333332248946124e-3, S3 = -1.98412698298579493134e-4, S4 = 2.75573137070700676789e-6, S5 = -2.50507602534068634195e-8, S6 = 1.58969099521155010221e-10;
const C1 = 4.16666666666666019037e-2, C2 = -1.38888888888741095749e-3, C3 = 2.48015872894767294178e-5, C4 = -2.75573143513906633035e-7, C5 = 2.08757232129817482790e-9, C6 = -1.13596475577881948265e-11;
const PIO2_1 = 1.57079632673412561417, PIO2_1T = 6.07710050650619224932e-11, INV_PIO2 = 6.36619772367581382433e-1;

function kernelSin(x: number): number {
  const z = x * x;
  return x + z * x * (S1 + z * (S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)))));
}

function kernelCos(x: number): number {
  const z = x * x, r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6))))), hz = 0.5 * z, w = 1 - hz;
  return w + (1 - w - hz + z * r);
}

/** x = n·π/2 + r with |r| ≤ π/4 (for |x| below 2²⁰·π/2, which is all the theory asks for). */
function reduce(x: number): [number, number] {
  if (!(Math.abs(x) < 1647099.3291652855)) throw new RangeError(`portable sin/cos: |x| = ${Math.abs(x)} is beyond their reduction`);
  const n = Math.round(x * INV_PIO2);
  return [((n % 4) + 4) % 4, x - n * PIO2_1 - n * PIO2_1T];
}

export function sin(x: number): number {
  const [q, r] = reduce(x);
  return q === 0 ? kernelSin(r) : q === 1 ? kernelCos(r) : q === 2 ? -kernelSin(r) : -kernelCos(r);
}

export function cos(x: number): number {
  const [q, r] = reduce(x);
  return q === 0 ? kernelCos(r) : q === 1 ? -kernelSin(r) : q === 2 ? -kernelCos(r) : kernelSin(r);
}
