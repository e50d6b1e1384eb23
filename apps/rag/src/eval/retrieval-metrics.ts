import { sourceName } from '../answer/passage.js';

/** The document a hit's source names, as the labelled questions name it: `file:///c/ls.1.txt` → `ls.1`. */
export function documentOf(source: string): string {
  return sourceName(source).replace(/\.txt$/, '');
}

/** The distinct documents of hits (ranked best first), in the order they first appear. */
export function rankDocuments(sources: string[]): string[] {
  return [...new Set(sources.map(documentOf))];
}

/** The share of the `relevant` documents among the first `k` of `ranked`. */
export function recallAtK(ranked: string[], relevant: string[], k: number): number {
  if (relevant.length === 0) return 0;
  const top = new Set(ranked.slice(0, k));
  return relevant.filter((document) => top.has(document)).length / relevant.length;
}

/** 1 / the rank (from 1) of the first relevant document in `ranked`; 0 when none is there. */
export function reciprocalRank(ranked: string[], relevant: string[]): number {
  const index = ranked.findIndex((document) => relevant.includes(document));
  return index < 0 ? 0 : 1 / (index + 1);
}
