// The block kinds, registered once: a pattern's kind follows from the config (--block attention or
// transformer; else a residual α makes every block residual; else a norm makes it normalized; else plain).
import { normOf, type ExperimentConfig } from '../../model/config.js';
import type { PatternSpec } from '../../model/patterns.js';
import type { BlockNorm } from '../blockNorm.js';
import type { ShardCore } from '../shardCore.js';
import { attentionBlock } from './attentionBlock.js';
import type { Block } from './block.js';
import { normalizedBlock } from './normalizedBlock.js';
import { plainBlock } from './plainBlock.js';
import { residualBlock } from './residualBlock.js';
import { transformerBlock } from './transformerBlock.js';

const MLP_KINDS = {
  plain: plainBlock,
  normalized: normalizedBlock,
  residual: residualBlock,
} as const satisfies Record<string, (core: ShardCore, norm: BlockNorm) => Block>;

type MlpKind = keyof typeof MLP_KINDS;

/** The MLP block today's networks have for a pattern: residual with α, else normalized with a norm, else plain. */
function mlpKindOf(config: ExperimentConfig, pattern: PatternSpec): MlpKind {
  if (config.residual !== undefined) return 'residual';
  return normOf(config, pattern) !== 'none' ? 'normalized' : 'plain';
}

export const BLOCK_KINDS = {
  ...MLP_KINDS,
  attention: attentionBlock,
  // the MLP sub-block is the kind the same options give without attention
  transformer: (core: ShardCore, norm: BlockNorm) => transformerBlock(core, norm, MLP_KINDS[mlpKindOf(core.config, core.config.patterns[core.patternIndex])](core, norm)),
} as const satisfies Record<string, (core: ShardCore, norm: BlockNorm) => Block>;

export type BlockKind = keyof typeof BLOCK_KINDS;

export function blockKindOf(config: ExperimentConfig, pattern: PatternSpec): BlockKind {
  return config.block === 'mlp' ? mlpKindOf(config, pattern) : config.block;
}

/**
 * Whether what a histogram layer's histograms count (histogramA, and z) stays intact until the next
 * histogram layer: then the layers after it can run before its histograms are asked. The plain block
 * keeps z apart from x and forms a from it; the others overwrite what their histograms read.
 */
export const histogramsOutlastLayer = (config: ExperimentConfig, pattern: PatternSpec): boolean => blockKindOf(config, pattern) === 'plain';

/**
 * The row group the config's blocks need kept in one shard: a sequence's tokens, which attention couples
 * and every block's token_corr reduces together (1 while rows are apart).
 */
export function rowGroupOf(config: ExperimentConfig): number {
  return config.seqLen;
}
