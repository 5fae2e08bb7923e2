import { describe, expect, it } from 'vitest';
import { FIRST_GROW_MS, growDelay } from '../../src/web/runController.js';

// Growing line charts cost a draw and a layout each; a run at the live size is done in well under
// FIRST_GROW_MS, so it should go straight to its figures rather than draw them half-way first.
describe('when the line charts grow during a run', () => {
  it('not before FIRST_GROW_MS after the start, then at most every 100 ms', () => {
    expect(FIRST_GROW_MS).toBe(250);
    expect(growDelay(1010, 1000)).toBe(240);
    expect(growDelay(1300, 1000)).toBe(0);
    expect(growDelay(1300, 1000, 1260)).toBe(60);
    expect(growDelay(1400, 1000, 1260)).toBe(0);
  });
});
