// The layer epilogue on the values that test its rules (assembly/epilogue.ts, assembly/activations.ts),
// bit for bit against the pure-TS twin.
import { describe, expect, it } from 'vitest';
import { ROW_ACC_BYTES, STAT_FIELDS } from '../../src/kernel/layout.js';
import { ACTIVATIONS } from '../../src/theory/activations.js';
import { kernelPair } from '../helpers/kernels.js';

const Activation = { identity: ACTIVATIONS.identity.code, relu: ACTIVATIONS.relu.code, leaky_relu: ACTIVATIONS.leaky_relu.code };

describe('the layer epilogue', () => {
  // The epilogue's ReLU is a mask (lanes ≤ 0 become +0) and ReLU's a extremes come from z's lanes; the
  // lanes sit in registers. NaN must stay NaN (an overflow is never hidden as zeros), −0 must become +0,
  // and lanes that only the partial last group fills (5 columns) or that hold only zeros must come out as
  // the twin's, bit for bit, signs of zero included.
  it.each([['identity', 5], ['relu', 5], ['relu', 8], ['relu', 21], ['leaky_relu', 21], ['identity', 29], ['relu', 37]] as const)('activateWithStats(%s, %i columns) on NaN, ±0, ±∞ and subnormals writes the twin\'s a and statistics, signs of zero included', async (name, cols) => {
    const rows = 9, stride = cols + 3;
    const z = 0, a = Math.ceil((rows * stride * 4) / 64) * 64, stats = a + Math.ceil((rows * stride * 4) / 64) * 64, acc = stats + rows * STAT_FIELDS * 8;
    const k = await kernelPair(acc + ROW_ACC_BYTES + 64);
    const specials = [NaN, -0, 0, Infinity, -Infinity, 1e-45, -1e-45, -2.5, 3.25, -0, 0];
    const values = new Float32Array(rows * stride);
    for (let r = 0; r < rows; r++) for (let c = 0; c < stride; c++) {
      const i = r * stride + c;
      // row 0 normal values, row 1 only zeros of both signs, row 2 only −0 and negatives, the rest mixed
      values[i] = r === 0 ? Math.sin(i * 7.1) * 3 : r === 1 ? (c % 3 === 0 ? -0 : 0) : r === 2 ? (c % 2 ? -0 : -1 - c) : r === 3 && c !== 6 ? -Math.abs(Math.cos(i)) : specials[(i * 5 + r) % specials.length];
    }
    for (const mem of [k.wasmMem, k.refMem]) mem.f32.set(values, (k.base + z) >> 2);
    for (const kernel of [k.wasm, k.ref]) kernel.exports.activateWithStats(k.base + z, stride, k.base + a, stride, rows, cols, Activation[name], 0.1, k.base + stats, k.base + acc);
    const shown = (v: number) => (Object.is(v, -0) ? '-0' : String(v));
    const s = (k.base + stats) >> 3, av = (k.base + a) >> 2;
    const statsOf = (mem: typeof k.wasmMem) => Array.from(mem.f64.subarray(s, s + rows * STAT_FIELDS), shown);
    const aOf = (mem: typeof k.wasmMem) => Array.from({ length: rows * cols }, (_, i) => shown(mem.f32[av + Math.floor(i / cols) * stride + (i % cols)]));
    expect(statsOf(k.wasmMem)).toEqual(statsOf(k.refMem));
    expect(aOf(k.wasmMem)).toEqual(aOf(k.refMem));
    // and what that means: ReLU keeps NaN, turns −0 into +0, and row 1's a extremes are +0
    if (name === 'relu') {
      expect(aOf(k.wasmMem)).not.toContain('-0');
      expect(statsOf(k.wasmMem).slice(STAT_FIELDS + 6, STAT_FIELDS + 8)).toEqual(['0', '0']);
      if (cols > 5) expect(aOf(k.wasmMem)).toContain('NaN');
    }
  });
});
