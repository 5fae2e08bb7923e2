import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/model/config.js';
import { configRecord } from '../../src/metrics/metricsJson.js';
import { EXPERIMENT_KEYS, LIBRARY_KEYS, OPTIONS, allowedText, defaultText, type OptionSpec } from '../../src/model/optionTable.js';
import { parseRunOptions } from '../../src/options/parseOptions.js';
import { runExperiment } from '../../src/index.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** A value of the right type that every option's range refuses. */
function badValue(o: OptionSpec): unknown {
  switch (o.kind) {
    case 'integerList': return [0];
    case 'choice': return 'no-such-choice';
    case 'patterns': return ['no:such'];
    case 'boolean': return 'yes';
    default: return -5;
  }
}

describe('the option table is the one source of truth', () => {
  it('--help shows every option of a run, and sweep --help every option of a sweep, with its allowed values and default', () => {
    const runHelp = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), '--help'], { encoding: 'utf8' }).stdout;
    const sweepHelp = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'sweep', '--help'], { encoding: 'utf8' }).stdout;
    // a sweep takes every option but --config and those that shape only histograms; a run every option but the sweep's own
    const shown: [OptionSpec, string][] = [
      ...OPTIONS.filter((o) => o.scope !== 'sweep').map((o) => [o, runHelp] as [OptionSpec, string]),
      ...OPTIONS.filter((o) => o.flag !== 'config' && !('histogramsOnly' in o)).map((o) => [o, sweepHelp] as [OptionSpec, string]),
    ];
    expect(runHelp).not.toMatch(/^ {2}--(keep-layers|shard)\b/m);
    expect(sweepHelp).not.toMatch(/^ {2}--(hist-layers|bins|log-counts)\b/m);
    expect(sweepHelp).toMatch(/^ {2}--gain V +.*\[sweepable: START:STOP:COUNT or V,V,…\]/m);
    for (const [o, help] of shown) {
      const line = help.split('\n').find((l) => new RegExp(`^  (-[a-z], )?--${o.flag}( |$)`).test(l));
      if ('short' in o) expect(line, `-${o.short} shown with --${o.flag}`).toContain(`-${o.short}, --${o.flag}`);
      expect(line, `--${o.flag} in --help`).toBeDefined();
      expect(line).toContain(o.help);
      if (o.kind !== 'boolean') {
        if (allowedText(o)) expect(line).toContain(allowedText(o));
        if (o.flag !== 'threads') expect(line).toContain(`default ${defaultText(o)}`);
      }
    }
  });

  it('the README\'s option table has a row for every option, and its range and default for every integer option', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const rows = readme.split('\n').filter((l) => l.startsWith('| `--'));
    for (const o of OPTIONS) {
      const row = rows.find((r) => r.startsWith(`| \`--${o.flag}\``) || r.startsWith(`| \`--${o.flag} `));
      expect(row, `README row for --${o.flag}`).toBeDefined();
      if (o.kind === 'integer') {
        const [, , , allowed, dflt] = row!.split('|').map((c) => c.trim());
        expect(allowed, `--${o.flag} range`).toBe(`integer ${o.min} … ${o.max}`);
        if ('default' in o) expect(dflt, `--${o.flag} default`).toBe(String(o.default));
      }
    }
    expect(rows.length, 'no README row for an option that does not exist').toBe(OPTIONS.length);
  });

  it('metrics.json\'s config holds exactly the options that change results, in table order, and the kernel build; an option recorded with a measurement only when that measurement is on', () => {
    const withOff: string[] = OPTIONS.filter((o) => o.scope === 'experiment' && 'recordedWith' in o).map((o) => o.key);
    expect(withOff).toEqual(['spectrum', 'spectrumInputs']);
    // the sequence and attention options: recorded only when a run sets them, so every other run keeps its bytes
    const unlessDefault: string[] = OPTIONS.filter((o) => 'recordedUnlessDefault' in o).map((o) => o.key);
    expect(unlessDefault).toEqual(['seqLen', 'block', 'heads', 'qkGain', 'causal', 'attention']);
    const always = EXPERIMENT_KEYS.filter((k) => !unlessDefault.includes(k));
    expect(Object.keys(configRecord(defaultConfig(), 'wasm-simd'))).toEqual([...always.filter((k) => !withOff.includes(k)), 'kernel']);
    expect(Object.keys(configRecord(defaultConfig({ spectrum: true }), 'wasm-simd'))).toEqual([...always, 'kernel']);
    const attention = configRecord(defaultConfig({ block: 'attention', seqLen: 8, heads: 2, qkGain: 0, causal: true, attention: 'shaped' }), 'wasm-simd');
    expect(Object.keys(attention)).toEqual([...EXPERIMENT_KEYS.filter((k) => !withOff.includes(k)), 'kernel']);
    const parsed = parseRunOptions({}, 1).config;
    // every option but the two that may be absent (--widths: uniform; --residual: plain blocks, null in metrics.json)
    for (const key of EXPERIMENT_KEYS.filter((k) => k !== 'widths' && k !== 'residual')) expect(parsed, key).toHaveProperty(key);
    expect(configRecord(defaultConfig(), 'wasm-simd').residual).toBeNull();
    // the defaults of the parser and of defaultConfig are the same table's
    expect(parsed).toEqual(defaultConfig());
  });

  it.each(LIBRARY_KEYS)('the library takes %s and refuses a bad value naming that key', async (key) => {
    const spec = OPTIONS.find((o) => o.key === key)!;
    await expect(runExperiment({ [key]: badValue(spec) } as never)).rejects.toMatchObject({ name: 'OptionError', option: key, message: expect.stringContaining(key) });
  });

  it('every page field is an experiment, run or figures option, and every experiment option is on the page', () => {
    for (const o of OPTIONS) {
      if ('page' in o) expect(['experiment', 'run', 'figures']).toContain(o.scope);
      if (o.scope === 'experiment') expect('page' in o, `--${o.flag} on the page`).toBe(true);
    }
  });
});

describe('the CLI command the page offers', () => {
  it('parses back to the same config, quoting what the shell would split', async () => {
    const { cliCommand } = await import('../../src/options/cliCommand.js');
    const { parseOptions } = await import('../../src/cli/options.js');
    const texts = { batch: '256', widths: '8,16,4', pattern: ['he:relu', 'lsuv:tanh'], 'bias-std': '0.25', gain: 'auto', backward: true, kernel: 'simd' };
    const command = cliCommand(texts);
    expect(command).toBe('npx relu-spread-check --batch 256 --pattern he:relu --pattern lsuv:tanh --widths 8,16,4 --bias-std 0.25 --gain auto --backward --kernel simd');
    const argv = command.split(' ').slice(2);
    expect(parseOptions(argv).config).toEqual(parseRunOptions(texts, 1).config);
    expect(cliCommand({ out: "it's here" })).toBe("npx relu-spread-check --out 'it'\\''s here'");
  });
});
