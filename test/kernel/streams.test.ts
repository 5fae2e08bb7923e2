// RNG stream ids: today's kinds keep their ids, and an attention block's projections get new, distinct ones.
import { describe, expect, it } from 'vitest';
import { ATTENTION_ROLES, streamId, type StreamKind } from '../../src/model/streams.js';

describe('RNG stream ids', () => {
  it('weights, bias, the input\'s shared vector and the gradient keep the ids every earlier run drew from', () => {
    expect(streamId(0, 0)).toBe(0);
    expect(streamId(2, 7)).toBe(2 * 65536 + 7);
    expect(streamId(2, 7, 'bias')).toBe(2 * 65536 + 32768 + 7);
    expect(streamId(3, 0, 'gradient')).toBe(0x80000000 + 3);
    expect(streamId(3, 0, 'sharedInput')).toBe(0xc0000000 + 3);
  });

  it('W_Q, W_K, W_V and W_O of 64 patterns × 2000 layers draw from ids no other stream uses, all within 32 bits', () => {
    const seen = new Map<number, string>();
    const kinds: StreamKind[] = ['weights', 'bias', 'gradient', 'sharedInput', ...ATTENTION_ROLES];
    for (let p = 0; p < 64; p++) for (let l = 0; l < 2000; l++) for (const kind of kinds) {
      if ((kind === 'gradient' || kind === 'sharedInput') && l > 0) continue;
      const id = streamId(p, l, kind), name = `${kind} ${p}/${l}`;
      expect(seen.has(id), `${name} collides with ${seen.get(id)}`).toBe(false);
      expect(id >= 0 && id < 2 ** 32 && Number.isInteger(id)).toBe(true);
      seen.set(id, name);
    }
  });
});
