import { KERNEL_BUILDS } from '../model/kernelBuilds.js';
import { OPTIONS, optionByKey } from '../model/optionTable.js';
import { OptionError, optionText, type OptionTexts } from './parseOptions.js';

/** The kernel choice that runs a recorded build. */
const CHOICE_OF_BUILD: Record<keyof typeof KERNEL_BUILDS, string> = { 'wasm-simd': 'simd', 'wasm-relaxed-simd': 'relaxed' };

/**
 * The option texts that rerun the run a metrics.json config records (its experiment options and
 * kernel build), to be checked by the same parser as any other input. `source` names the file in messages.
 */
export function configTexts(record: unknown, source: string): OptionTexts {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) throw new OptionError('config', `--config ${source}: no "config" object (is it a metrics.json?)`);
  const config = record as Record<string, unknown>;
  const texts: Record<string, string | string[] | boolean> = {};
  const widths = config.widths;
  const uniform = Array.isArray(widths) && widths.every((w) => w === widths[0]);
  for (const [key, value] of Object.entries(config)) {
    if (key === 'kernel') {
      const choice = CHOICE_OF_BUILD[value as keyof typeof KERNEL_BUILDS];
      if (!choice) throw new OptionError('config', `--config ${source}: unknown kernel build ${JSON.stringify(value)}`);
      texts.kernel = choice;
      continue;
    }
    const spec = optionByKey(key);
    if (!spec || spec.scope !== 'experiment') throw new OptionError('config', `--config ${source}: "${key}" is not an option that changes results`);
    // uniform widths are --width and --depth; others are --widths, which sets both
    if (key === 'widths' && uniform) continue;
    if ((key === 'width' || key === 'depth') && !uniform) continue;
    // null: an option left out (--residual's plain blocks)
    if (value === null && !('default' in spec)) continue;
    texts[spec.flag] = optionText(spec, value);
  }
  return texts;
}

/** The flags --config replaces, which may not be given beside it. */
export const REPLACED_BY_CONFIG: readonly string[] = OPTIONS.filter((o) => o.scope === 'experiment' || o.flag === 'kernel').map((o) => o.flag);
