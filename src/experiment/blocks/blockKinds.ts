// The block kinds, registered once: a pattern's kind follows from the config (a residual α makes
// every block residual; else a norm makes it normalized; else plain).
import { normOf, type ExperimentConfig } from '../../model/config.js';
import type { PatternSpec } from '../../model/patterns.js';
import type { BlockNorm } from '../blockNorm.js';
import type { ShardCore } from '../shardCore.js';
import type { Block } from './block.js';
import { normalizedBlock } from './normalizedBlock.js';
import { plainBlock } from './plainBlock.js';
import { residualBlock } from './residualBlock.js';

export const BLOCK_KINDS = {
  plain: plainBlock,
  normalized: normalizedBlock,
  residual: residualBlock,
} as const satisfies Record<string, (core: ShardCore, norm: BlockNorm) => Block>;

export type BlockKind = keyof typeof BLOCK_KINDS;

export function blockKindOf(config: ExperimentConfig, pattern: PatternSpec): BlockKind {
  if (config.residual !== undefined) return 'residual';
  return normOf(config, pattern) !== 'none' ? 'normalized' : 'plain';
}

/** The rows each kind couples: shards split the batch at multiples of it (every kind today treats rows apart). */
const ROW_GROUPS: Record<BlockKind, (config: ExperimentConfig) => number> = {
  plain: () => 1,
  normalized: () => 1,
  residual: () => 1,
};

/** The row group the config's blocks need kept in one shard: the largest any pattern's kind couples. */
export function rowGroupOf(config: ExperimentConfig): number {
  return Math.max(1, ...config.patterns.map((p) => ROW_GROUPS[blockKindOf(config, p)](config)));
}
