const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

/** "10⁻⁶" for 1e-6: the label matplotlib puts on a log axis. */
export function powerOfTenLabel(value: number): string {
  const exponent = Math.round(Math.log10(value));
  return '10' + String(exponent).split('').map((c) => SUPERSCRIPT[c]).join('');
}

/** Powers of ten spanning [lo, hi] (both > 0), thinned to at most ~maxTicks. */
export function powerOfTenTicks(lo: number, hi: number, maxTicks = 12): number[] {
  const a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi));
  const step = Math.max(1, Math.ceil((b - a + 1) / maxTicks));
  const ticks: number[] = [];
  for (let e = a; e <= b; e += step) ticks.push(Number(`1e${e}`));
  return ticks;
}
