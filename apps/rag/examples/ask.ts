// Ingest three manual pages through the RAG server's HTTP API and ask a question.
// Run: node --conditions=@isthmus/source --import tsx apps/rag/examples/ask.ts
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type IngestJobStatus, type RagAnswer, renderManPages, startRagServer } from '@isthmus/rag-app';
import type { SearchHit } from '@isthmus/vectors';

const dir = await mkdtemp(join(tmpdir(), 'rag-example-'));
await renderManPages(join(dir, 'man'), ['kill.1', 'du.1', 'tar.1']);
const server = await startRagServer({ table: pathToFileURL(join(dir, 'db', 'docs')).href, port: 0 });
try {
  const post = async <T>(path: string, body: unknown): Promise<T> =>
    (
      await fetch(`${server.url}${path}`, { method: 'POST', body: JSON.stringify(body) })
    ).json() as Promise<T>;
  let job = await post<IngestJobStatus>('/ingest', { source: join(dir, 'man') });
  while (job.state === 'ingesting' || job.state === 'indexing') {
    await new Promise((resolve) => setTimeout(resolve, 200));
    job = (await (await fetch(`${server.url}/ingest/${job.id}`)).json()) as IngestJobStatus;
  }
  console.log(`ingest ${job.state}: ${job.report?.chunks} chunks into ${job.table}`);
  const result = await post<RagAnswer & { hits: SearchHit[] }>('/answer', {
    question: 'How do I send a signal to a process?',
    k: 3,
  });
  console.log(`${result.answerer} answer: ${result.answer}`);
  for (const hit of result.hits) console.log(`  ${hit.score.toFixed(4)}  ${hit.source}`);
} finally {
  await server.close();
  await rm(dir, { recursive: true, force: true });
}
