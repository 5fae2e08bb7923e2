// The checks of --seq-len, --block and the attention options: what an attention block can run with, and
// one line naming the option where it cannot.
import { attentionBlocks, normOf, type ExperimentConfig } from '../model/config.js';
import { OPTIONS } from '../model/optionTable.js';

/** The norms an attention block's pre-norm takes: a batch norm would couple every shard's sequences, and nf's predicted scale is the MLP stream's. */
const ATTENTION_NORMS = ['none', 'layer'];

/** What the checks need of parseOptions' reader: an option's name as the caller spells it, and the one-line refusal. */
interface Refusals {
  name(flag: string): string;
  fail(flag: string, message: string): never;
}

export function checkSequences(config: ExperimentConfig, read: Refusals): void {
  if (config.batch % config.seqLen !== 0) read.fail('seq-len', `${read.name('seq-len')} must divide ${read.name('batch')} (${config.batch}) so every sequence is whole, got ${config.seqLen}`);
  if (!attentionBlocks(config)) {
    // a value other than the default (the page's form sends every field, its defaults too)
    for (const o of OPTIONS) if ('attentionOnly' in o && config[o.key as keyof ExperimentConfig] !== o.default) read.fail(o.flag, `${read.name(o.flag)} shapes attention blocks: it needs ${read.name('block')} attention or transformer`);
    return;
  }
  const block = `${read.name('block')} ${config.block}`;
  if (config.seqLen < 2) read.fail('seq-len', `${block} needs ${read.name('seq-len')} of at least 2 (attention mixes a sequence's tokens; one token attends only to itself), got ${config.seqLen}`);
  if (config.widths) read.fail('widths', `${read.name('widths')} and ${block} exclude each other (an attention block maps width n to width n)`);
  if (config.width % config.heads !== 0) read.fail('heads', `${read.name('heads')} must divide ${read.name('width')} (${config.width}), got ${config.heads}`);
  const normed = config.patterns.find((p) => !ATTENTION_NORMS.includes(normOf(config, p)));
  if (normed) {
    const flag = normed.norm ? 'pattern' : 'norm';
    read.fail(flag, `${flag === 'pattern' ? `${read.name('pattern')} ${normed.init}:${normed.activation}:${normed.norm}` : `${read.name('norm')} ${config.norm}`} is not taken by ${block}: its norm must be ${ATTENTION_NORMS.join(' or ')} (a batch norm would couple the shards' sequences; nf's scale is the MLP stream's)`);
  }
  const lsuv = config.patterns.find((p) => p.init === 'lsuv');
  if (lsuv) read.fail('pattern', `${read.name('pattern')} lsuv:${lsuv.activation} is not taken by ${block}: LSUV fits one linear layer per block, an attention block has four`);
  if (config.spectrum) read.fail('spectrum', `${read.name('spectrum')} takes ${read.name('block')} mlp: through attention a token's Jacobian depends on its sequence's other tokens`);
}
