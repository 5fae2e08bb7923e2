// The run options as every front door takes them (CLI, library, page, sweeps): parsed and checked by
// options/, then checked against what one WASM instance can hold. The fit check needs the memory
// plan and the shard split, which the options leaf may not import; this is its one place.
import { CLI_NAMING, OptionError, OptionReader, parseRunOptions, type Naming, type OptionTexts, type RunChoices } from '../options/parseOptions.js';
import { OPTIONS } from '../model/optionTable.js';
import { checkFits } from './memoryFits.js';

/** parseRunOptions, then the refusal of shapes whose shard exceeds one WASM instance (naming the cause and what fits). */
export function parseRunChoices(texts: OptionTexts, threadsDefault: number, naming: Naming = CLI_NAMING): RunChoices {
  const choices = parseRunOptions(texts, threadsDefault, naming);
  checkFits(choices.config, choices.threads, new OptionReader(texts, naming));
  return choices;
}

/**
 * Every option error at once (a form marks them all): parse, and on an error drop the option it
 * names and parse again, until the rest passes. Empty when the texts are valid.
 */
export function allOptionErrors(texts: OptionTexts, threadsDefault: number, naming: Naming): OptionError[] {
  const errors: OptionError[] = [], rest: Record<string, OptionTexts[string]> = { ...texts };
  for (let tries = 0; tries <= OPTIONS.length; tries++) {
    try {
      parseRunChoices(rest, threadsDefault, naming);
      return errors;
    } catch (error) {
      if (!(error instanceof OptionError)) throw error;
      errors.push(error);
      const spec = OPTIONS.find((o) => naming.id(o) === error.option);
      if (!spec || rest[spec.flag] === undefined) return errors; // nothing left to drop (e.g. memory fits)
      delete rest[spec.flag];
    }
  }
  return errors;
}

