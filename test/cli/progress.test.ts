import { describe, expect, it } from 'vitest';
import { ProgressReport } from '../../src/cli/progress.js';

/** A report on a fake clock that advances 1 s per call, writing into `out`. */
function report(tty: boolean, seeds = 1) {
  const out: string[] = [];
  let t = 0;
  const r = new ProgressReport((s) => out.push(s), tty, { patterns: 2, depth: 2, seeds, figures: true }, () => (t += 1000));
  return { r, out };
}

describe('progress on stderr', () => {
  it('on a terminal: one line rewritten in place with the pattern, the layer, the overall percentage, the elapsed time and an ETA, through the figures', () => {
    const { r, out } = report(true);
    r.layer({ patternIndex: 0, pattern: 'A) X', layer: 1, depth: 2 });
    expect(out[0]).toMatch(/^\r\x1b\[2KA\) X: layer 1\/2  22%  \d+\.\d s, ETA \d+\.\d s$/);
    for (const [i, layer] of [[0, 2], [1, 1], [1, 2]]) r.layer({ patternIndex: i, pattern: i ? 'B) Y' : 'A) X', layer, depth: 2 });
    expect(out[3]).toMatch(/B\) Y: layer 2\/2  90%/);
    r.figure(1, 2);
    expect(out[4]).toMatch(/figures: 1\/2  95%/);
    r.figure(2, 2);
    expect(out[5]).toMatch(/figures: 2\/2  100%  \d+\.\d s$/);
    r.finish();
    expect(out[6]).toBe('\r\x1b[2K');
    expect(out.every((l) => !l.includes('\n'))).toBe(true);
  });

  it('elsewhere: a line per finished pattern (and seed) and one for the figures', () => {
    const { r, out } = report(false, 2);
    for (let seed = 0; seed < 2; seed++) for (const [i, layer] of [[0, 1], [0, 2], [1, 1], [1, 2]]) r.layer({ patternIndex: i, pattern: i ? 'B) Y' : 'A) X', layer, depth: 2 });
    r.figure(1, 3);
    r.figure(3, 3);
    r.finish();
    expect(out).toHaveLength(5);
    expect(out[0]).toMatch(/^\[PROGRESS\] seed 1\/2  A\) X: 2 layers done  \(1\/4\)  22%/);
    expect(out[3]).toMatch(/^\[PROGRESS\] seed 2\/2  B\) Y: 2 layers done  \(4\/4\)  90%/);
    expect(out[4]).toMatch(/^\[PROGRESS\] figures: 3 drawn  100%  \d+\.\d s\n$/);
  });
});
