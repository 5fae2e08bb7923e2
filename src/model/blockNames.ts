// The network's block kinds a user chooses (--block) and the attention variants (--attention), defined once.
export const BLOCK_NAMES = ['mlp', 'attention', 'transformer'] as const;
export type BlockName = (typeof BLOCK_NAMES)[number];

export const ATTENTION_KINDS = ['softmax', 'shaped'] as const;
export type AttentionKind = (typeof ATTENTION_KINDS)[number];

/** Whether the blocks hold an attention sub-block (which couples the tokens of a sequence). */
export function hasAttention(block: BlockName): boolean {
  return block !== 'mlp';
}
