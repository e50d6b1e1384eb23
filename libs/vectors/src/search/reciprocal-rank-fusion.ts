import type { SearchHit } from './search-options.js';

/** The rank offset of reciprocal-rank fusion (Cormack et al. 2009): damps the weight of the very first ranks. */
export const RRF_RANK_OFFSET = 60;

/**
 * Fuses rankings by reciprocal rank: a hit scores Σ 1/(60 + rank) over the rankings it appears in
 * (rank from 1), so a hit found by both vector and BM25 search beats one found by either alone at
 * similar ranks. Returns the best `k`, ties broken by id; `score` is the fused score.
 */
export function fuseByReciprocalRank(rankings: readonly (readonly SearchHit[])[], k: number): SearchHit[] {
  const fused = new Map<string, SearchHit>();
  for (const ranking of rankings) {
    ranking.forEach((hit, index) => {
      const share = 1 / (RRF_RANK_OFFSET + index + 1);
      const seen = fused.get(hit.id);
      fused.set(hit.id, seen ? { ...seen, score: seen.score + share } : { ...hit, score: share });
    });
  }
  return [...fused.values()].sort(byScoreThenId).slice(0, k);
}

/** Orders hits best first (higher score), equal scores by id, so merged results are deterministic. */
export function byScoreThenId(a: SearchHit, b: SearchHit): number {
  return b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
