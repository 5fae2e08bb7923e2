// The page's sizes: the live size every run starts at (small enough that a change runs and draws in a few hundred
// ms on 2 cores: npm run bench:page), and the original's full size.

/** The live size, with every layer histogrammed for the depth view. */
export const PAGE_SIZES: Record<string, string> = { batch: '256', width: '128', 'hist-layers': 'all' };
/** "full size" and "The original's config": 8192 × 1024. */
export const FULL_SIZE: Record<string, string> = { batch: '8192', width: '1024' };
