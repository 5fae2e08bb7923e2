import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { autoGain } from '../../src/model/inits.js';
import { patternName } from '../../src/model/patterns.js';
import { ACTIVATION_NAMES, ACTIVATIONS, activationOfCode } from '../../src/theory/activations.js';
import { aDensity } from '../../src/theory/densities.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('the activation table is the one source of truth', () => {
  it('gives the kernel\'s codes 0, 1, 2, … in order, one per activation (the kernel parity tests run each code against its row\'s φ)', () => {
    expect(ACTIVATION_NAMES.map((name) => ACTIVATIONS[name].code)).toEqual(ACTIVATION_NAMES.map((_, i) => i));
    for (const name of ACTIVATION_NAMES) expect(activationOfCode(ACTIVATIONS[name].code).name).toBe(name);
    expect(() => activationOfCode(ACTIVATION_NAMES.length)).toThrow(/no activation has kernel code/);
  });

  it.each(ACTIVATION_NAMES)('%s: monotone exactly when φ never decreases, and then (only) a has an analytic density; φ′ read off a is φ′ at z', (name) => {
    const phi = (z: number) => ACTIVATIONS[name].phi(z, 0.01);
    let decreases = false;
    for (let z = -8; z < 8; z += 1 / 64) if (phi(z + 1 / 64) < phi(z)) decreases = true;
    expect(ACTIVATIONS[name].monotone).toBe(!decreases);
    expect(aDensity(name, 1) !== undefined).toBe(ACTIVATIONS[name].monotone);
    const read = ACTIVATIONS[name].readOffA;
    if (read === undefined) return;
    // where φ is strictly monotone, φ′ read off a = φ(z) is φ′(z) (to float64 rounding of the inverse)
    for (let z = -4; z <= 4; z += 1 / 8) {
      if (z === 0) continue;
      expect(read.slopeFromA(phi(z), 0.01), `z = ${z}`).toBeCloseTo(ACTIVATIONS[name].phiPrime(z, 0.01), 12);
    }
    // the law of a is z's pushed through φ: p_a(φ(z))·φ′(z) = p_z(z) where φ′ > 0, and the atoms hold the
    // mass of the flat pieces (ReLU: P(z < 0) = ½)
    const law = aDensity(name, 1, 0.01)!, pz = (z: number) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    for (let z = -4; z <= 4; z += 1 / 8) if (z !== 0 && ACTIVATIONS[name].phiPrime(z, 0.01) > 0) expect(law.pdf(phi(z)) * ACTIVATIONS[name].phiPrime(z, 0.01), `z = ${z}`).toBeCloseTo(pz(z), 12);
    expect(law.atoms.reduce((t, atom) => t + atom.p, 0)).toBe(name === 'relu' ? 0.5 : 0);
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
