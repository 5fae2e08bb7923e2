import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Activation } from '../src/kernel/layout.js';
import { ACTIVATION_NAMES, ACTIVATIONS } from '../src/model/activations.js';
import { autoGain } from '../src/model/inits.js';
import { patternName } from '../src/model/patterns.js';
import { phiOf, type TheoryActivation } from '../src/theory/activationFunctions.js';
import { closedForm } from '../src/theory/closedForms.js';
import { aDensity } from '../src/theory/densities.js';

const ROOT = join(import.meta.dirname, '..');

describe('the activation table is the one source of truth', () => {
  it('names the kernel\'s activations with their codes, in code order', () => {
    expect(ACTIVATION_NAMES).toEqual(Object.keys(Activation));
    for (const name of ACTIVATION_NAMES) expect(ACTIVATIONS[name]).toMatchObject({ name, code: Activation[name] });
  });

  it.each(ACTIVATION_NAMES)('%s: monotone exactly when φ never decreases, and then (only) a has an analytic density; closed form exactly when the theory has one', (name) => {
    const phi = phiOf(name as TheoryActivation);
    let decreases = false;
    for (let z = -8; z < 8; z += 1 / 64) if (phi(z + 1 / 64) < phi(z)) decreases = true;
    expect(ACTIVATIONS[name].monotone).toBe(!decreases);
    expect(aDensity(name as TheoryActivation, 1) !== undefined).toBe(ACTIVATIONS[name].monotone);
    expect(closedForm(name as TheoryActivation).V !== undefined).toBe(ACTIVATIONS[name].closedForm);
  });

  it('labels pattern names and sets --gain auto (He has its √2 built in)', () => {
    expect(patternName(1, 'he', 'gelu')).toBe('B) He + GELU');
    expect(autoGain('xavier', 'relu', 0.01)).toBe(Math.SQRT2);
    expect(autoGain('he', 'relu', 0.01)).toBe(1);
    expect(autoGain('glorot', 'leaky_relu', 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 15);
  });

  it('--help and the README\'s --pattern row list every activation', () => {
    const help = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), '--help'], { encoding: 'utf8' }).stdout;
    const readmeRow = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n').find((l) => l.startsWith('| `--pattern'))!;
    for (const name of ACTIVATION_NAMES) {
      expect(help).toMatch(new RegExp(`ACT ∈ [a-z_ ]*\\b${name}\\b`));
      expect(readmeRow).toContain(`\`${name}\``);
    }
  });
});
