// The transformer case: 4096 tokens in sequences of T = 64, width 256, 12 pre-LN transformer blocks (4 heads,
// He + GELU, α = 1/√12), on every worker. Per-layer times come from the run's progress callbacks (so opening
// workers is left out), and the same run with --block mlp (the MLP sub-blocks alone) alternates with it, so
// the attention sub-block's share is taken round by round. GFLOP/s counts the multiply-adds a block does:
// the four projections and the MLP's W (5 GEMMs of tokens × width²) and per head QKᵀ and AV (2·T·d_h per token each).
import { availableParallelism } from 'node:os';
import { runExperiment } from '../src/index.js';
import { round1, round2, summarize } from './stats.js';

const TOKENS = 4096, T = 64, WIDTH = 256, DEPTH = 12, HEADS = 4;

export interface TransformerCost {
  tokens: number;
  seq_len: number;
  width: number;
  depth: number;
  heads: number;
  threads: number;
  layer_ms: number;
  mlp_layer_ms: number;
  gflops: number;
  min: number;
  max: number;
  /** (transformer − mlp)/transformer per round: the attention sub-block's share of a block. */
  attention_share: number;
}

/** 2 × the multiply-adds of one block over all tokens. */
export const transformerBlockFlops = (tokens: number, width: number, seqLen: number) => 2 * (5 * tokens * width * width + 2 * tokens * seqLen * width);

async function layerSeconds(block: 'transformer' | 'mlp', threads: number): Promise<number> {
  const done: number[] = [];
  const attention = block === 'transformer' ? { block, seqLen: T, heads: HEADS } : {};
  await runExperiment({ batch: TOKENS, width: WIDTH, depth: DEPTH, threads, kernel: 'auto', patterns: ['he:gelu'], norm: 'layer', residual: 1 / Math.sqrt(DEPTH), histLayers: [1], ...attention, onProgress: () => done.push(performance.now()) });
  // the first progress is the input; layer l takes from progress l to l + 1
  return summarize(done.slice(2).map((t, i) => (t - done[i + 1]) / 1000)).median;
}

export async function transformerCost(rounds: number): Promise<TransformerCost> {
  const threads = availableParallelism();
  await layerSeconds('transformer', threads); // warm-up
  const full: number[] = [], mlp: number[] = [];
  for (let r = 0; r < rounds; r++) {
    full.push(await layerSeconds('transformer', threads));
    mlp.push(await layerSeconds('mlp', threads));
  }
  const flops = transformerBlockFlops(TOKENS, WIDTH, T), g = summarize(full.map((s) => flops / s / 1e9));
  const cost = {
    tokens: TOKENS, seq_len: T, width: WIDTH, depth: DEPTH, heads: HEADS, threads,
    layer_ms: round2(summarize(full).median * 1000), mlp_layer_ms: round2(summarize(mlp).median * 1000),
    gflops: round1(g.median), min: round1(g.min), max: round1(g.max),
    attention_share: round2(summarize(full.map((s, i) => (s - mlp[i]) / s)).median),
  };
  console.error(`transformer, ${TOKENS} tokens (T = ${T}) × ${WIDTH}, ${threads} workers: ${cost.layer_ms} ms a block, ${cost.gflops} GFLOP/s (${cost.min}–${cost.max}); attention ${(cost.attention_share * 100).toFixed(0)}% of a block`);
  return cost;
}

export function transformerMarkdown(c: TransformerCost, gemm: { gflops: number; threads: number } | undefined): string {
  const against = gemm ? ` against the dense GEMM's **${gemm.gflops}** GFLOP/s at 2048×256·256×256 on ${gemm.threads} threads` : '';
  return `Transformer blocks (\`bench/transformerCost.ts\`: ${c.tokens} tokens in sequences of ${c.seq_len}, width ${c.width}, ${c.depth} pre-LN blocks of ${c.heads} heads, He + GELU, on ${c.threads} workers; per-block times from the run's progress): **${c.layer_ms} ms** a block, **${c.gflops} GFLOP/s** (${c.min}–${c.max} over the rounds)${against}. The same blocks without attention take ${c.mlp_layer_ms} ms, so the attention sub-block (four projections, the per-head softmax in float64, and QKᵀ, AV) is **${Math.round(c.attention_share * 100)}%** of a block.`;
}
