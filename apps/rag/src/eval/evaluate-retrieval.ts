import { readFile } from 'node:fs/promises';
import type { S3ConnectionOptions } from '@isthmus/storage';
import { type Embedder, type EmbedderSpec, type SearchMode, search } from '@isthmus/vectors';
import { rankDocuments, recallAtK, reciprocalRank } from './retrieval-metrics.js';

/** A question and the documents (`ls.1`, `open.2`…) that answer it. */
export interface LabelledQuestion {
  question: string;
  answers: string[];
}

/** Retrieval quality of one search mode over the labelled questions. */
export interface ModeMetrics {
  mode: SearchMode;
  /** Mean over the questions of the share of their answering documents among the top k documents. */
  recallAtK: number;
  /** Mean reciprocal rank of the first answering document (0 for a question none is found for). */
  mrr: number;
  /** Per question: the rank (from 1) of its first answering document, or undefined. */
  ranks: (number | undefined)[];
}

/** What `evaluateRetrieval` measured. */
export interface RetrievalEvaluation {
  table: string;
  k: number;
  questions: number;
  modes: ModeMetrics[];
}

/** Options of `evaluateRetrieval`. */
export interface EvaluateOptions {
  /** Default: vector, fts and hybrid. */
  modes?: SearchMode[];
  /** The cut-off of recall (default 5). */
  k?: number;
  /** Chunks fetched per question, ranked into documents (default 50). */
  depth?: number;
  embedder?: EmbedderSpec | Embedder;
  s3?: S3ConnectionOptions;
}

/** The labelled questions of the man-page corpus, `apps/rag/eval/questions.json` (or another file). */
export async function loadQuestions(
  path: string | URL = new URL('../../eval/questions.json', import.meta.url),
): Promise<LabelledQuestion[]> {
  return JSON.parse(await readFile(path, 'utf8')) as LabelledQuestion[];
}

/**
 * Measures recall@k and MRR of each search mode on `questions` against the table at `table`: each
 * question is searched for `depth` chunks, whose sources are ranked into distinct documents.
 */
export async function evaluateRetrieval(
  table: string,
  questions: LabelledQuestion[],
  options: EvaluateOptions = {},
): Promise<RetrievalEvaluation> {
  const k = options.k ?? 5;
  const modes: ModeMetrics[] = [];
  for (const mode of options.modes ?? (['vector', 'fts', 'hybrid'] as const)) {
    const ranks: (number | undefined)[] = [];
    let recall = 0;
    let reciprocal = 0;
    for (const { question, answers } of questions) {
      const hits = await search(table, question, {
        k: options.depth ?? 50,
        mode,
        embedder: options.embedder,
        s3: options.s3,
      });
      const ranked = rankDocuments(hits.map((hit) => hit.source));
      recall += recallAtK(ranked, answers, k);
      const rr = reciprocalRank(ranked, answers);
      reciprocal += rr;
      ranks.push(rr > 0 ? Math.round(1 / rr) : undefined);
    }
    modes.push({ mode, recallAtK: recall / questions.length, mrr: reciprocal / questions.length, ranks });
  }
  return { table, k, questions: questions.length, modes };
}
