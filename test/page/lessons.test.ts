// The page's lessons: each preset parses as the page parses it (over the live size), and every number a lesson's
// text states is the run's own, for each kernel build this Node can run (Chromium runs the relaxed one).
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/experiment/runExperiment.js';
import { loadNodeKernel, nodeHasRelaxedSimd } from '../../src/kernel/wasmFile.js';
import type { KernelBuild } from '../../src/model/kernelBuilds.js';
import { PAGE_NAMING, type OptionTexts } from '../../src/options/parseOptions.js';
import { parseRunChoices } from '../../src/run/runChoices.js';
import { localShards } from '../../src/shards/localShards.js';
import { FIELDS } from '../../src/web/formControls.js';
import { LESSONS, type Lesson } from '../../src/web/lessons.js';
import { PAGE_SIZES } from '../../src/web/liveSize.js';
import { patternTokens } from '../../src/web/patternEditor.js';

/** The option texts the page's form sends for a lesson: its preset over the live size, the rest at their defaults. */
function lessonTexts(lesson: Lesson): OptionTexts {
  const texts: Record<string, string | string[] | boolean> = {};
  for (const f of FIELDS) {
    const value = lesson.preset[f.flag] ?? PAGE_SIZES[f.flag];
    if (value === undefined || f.scope === 'figures') continue;
    texts[f.flag] = f.page === 'checkbox' ? value === '1' : f.kind === 'patterns' ? patternTokens(value) : value;
  }
  return texts;
}

const BUILDS: KernelBuild[] = nodeHasRelaxedSimd() ? ['wasm-simd', 'wasm-relaxed-simd'] : ['wasm-simd'];

describe('lessons', () => {
  it('eight lessons with unique ids, each explanation at least 200 characters, each preset valid on the page', () => {
    expect(LESSONS.map((l) => l.id)).toEqual(['seed', 'activations', 'edge-of-chaos', 'gradients', 'finite-width', 'resnet-bn', 'isometry', 'rank-collapse']);
    for (const lesson of LESSONS) {
      expect(lesson.paragraphs.join(' ').length, lesson.id).toBeGreaterThanOrEqual(200);
      for (const flag of [...Object.keys(lesson.preset), ...Object.keys(lesson.tryThis.set)]) expect(FIELDS.some((f) => f.flag === flag), `${lesson.id}: ${flag}`).toBe(true);
      expect(() => parseRunChoices(lessonTexts(lesson), 2, PAGE_NAMING), lesson.id).not.toThrow();
      expect(() => parseRunChoices(lessonTexts({ ...lesson, preset: { ...lesson.preset, ...lesson.tryThis.set } }), 2, PAGE_NAMING), `${lesson.id}: try this`).not.toThrow();
    }
  });

  for (const build of BUILDS) {
    it.each(LESSONS.map((l) => [l.id, l] as const))(`%s: every number its text states is the run's own (${build})`, async (_, lesson) => {
      // the lesson's run, then the run its "try this" change gives, each against the numbers its text states
      const runs = [[lesson, lesson.numbers, lesson.paragraphs.join(' ')], [{ ...lesson, preset: { ...lesson.preset, ...lesson.tryThis.set } }, lesson.tryThis.numbers ?? [], lesson.tryThis.text]] as const;
      for (const [shown, numbers, text] of runs) {
        if (numbers.length === 0) continue;
        const { config } = parseRunChoices(lessonTexts(shown), 2, PAGE_NAMING);
        const patterns = await runExperiment(config, { openShards: (c) => localShards(c, () => loadNodeKernel(build), 2), createKernel: () => loadNodeKernel(build) });
        for (const n of numbers) {
          expect(text, `${lesson.id} states "${n.shown}"`).toContain(n.shown);
          const value = n.value(patterns);
          expect(value, `${lesson.id}: ${n.shown}`).toBeTypeOf('number');
          expect(Math.abs((value as number) / n.expected - 1), `${lesson.id}: "${n.shown}" against the run's ${value}`).toBeLessThanOrEqual(n.tolerance);
        }
      }
    }, 60_000);
  }
});
