import { join } from 'node:path';
import { createBackend, executor } from '@isthmus/faas';
import { answerQuestion, renderManPages, SMALL_MAN_CORPUS, sourceName } from '@isthmus/rag-app';
import type { ObjectStore, S3ConnectionOptions } from '@isthmus/storage';
import { buildIndexes, ingest, search, vectorFunctionsBundle } from '@isthmus/vectors';
import { DEMO_DIR } from './demo-store.js';

/** The demo's questions about the manual pages it ingests. */
export const RAG_QUESTIONS = [
  'How do I extract a gzip-compressed tar archive?',
  'Which signals cannot be caught or ignored?',
  'How do I send a signal to a process?',
];

/** What the RAG step did. */
export interface RagDemoReport {
  table: string;
  documents: number;
  chunks: number;
  answers: { question: string; answer: string; sources: string[] }[];
}

/**
 * Retrieval-augmented answers, end to end: renders a dozen of this machine's manual pages, ingests
 * them into the LanceDB table `tableUrl` with the embedding functions on `backend` (their payloads
 * through `store`, the demo's store), builds
 * the indexes, and answers three questions extractively from the hybrid search's passages.
 */
export async function ragDemo(
  tableUrl: string,
  store: ObjectStore,
  backend: string,
  runtimeEnv: NodeJS.ProcessEnv,
  s3: S3ConnectionOptions | undefined,
): Promise<RagDemoReport> {
  const corpus = join(DEMO_DIR, 'corpus', 'man');
  await renderManPages(corpus, SMALL_MAN_CORPUS);
  const ex = await executor({
    backend: createBackend(backend, { env: runtimeEnv }),
    bundle: await vectorFunctionsBundle(),
    storage: store,
  });
  let ingested: Awaited<ReturnType<typeof ingest>>;
  try {
    ingested = await ingest(corpus, { table: tableUrl, executor: ex, s3 });
  } finally {
    await ex.close();
  }
  await buildIndexes(tableUrl, { s3 });
  const answers: RagDemoReport['answers'] = [];
  for (const question of RAG_QUESTIONS) {
    const hits = await search(tableUrl, question, { k: 3, mode: 'hybrid', s3 });
    const { answer } = await answerQuestion(question, hits);
    answers.push({ question, answer, sources: hits.map((hit) => sourceName(hit.source)) });
  }
  return { table: tableUrl, documents: ingested.units, chunks: ingested.chunks, answers };
}
