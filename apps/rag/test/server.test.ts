import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createUniqueBucket } from '@isthmus/services';
import type { SearchHit } from '@isthmus/vectors';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  evaluateRetrieval,
  type IngestJobStatus,
  loadQuestions,
  type RagAnswer,
  type RagServer,
  renderManPages,
  SMALL_MAN_CORPUS,
  startRagServer,
} from '../src/index.js';
import { requestJson, waitForJob } from './support/http.js';

const TOKEN = 'test-token-7f3a';

interface SearchBody {
  table: string;
  mode: string;
  k: number;
  hits: SearchHit[];
}

const pageOf = (hit: SearchHit) =>
  hit.source
    .split('/')
    .pop()!
    .replace(/\.txt$/, '');

// The server over real HTTP, with a bearer token: the page, ingest of a dozen manual pages into a
// file:// table (a job polled for progress), search in every mode, extractive answers, the
// OpenAI-compatible embeddings routes, and the errors of bad requests.
describe('the RAG server', () => {
  let dir: string;
  let corpus: string;
  let server: RagServer;
  let ingested: IngestJobStatus;
  let states: string[];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isthmus-rag-server-'));
    corpus = join(dir, 'corpus');
    await renderManPages(corpus, SMALL_MAN_CORPUS);
    server = await startRagServer({
      table: pathToFileURL(join(dir, 'db', 'docs')).href,
      port: 0,
      token: TOKEN,
    });
    const started = await requestJson<IngestJobStatus>(`${server.url}/ingest`, {
      body: { source: corpus },
      token: TOKEN,
    });
    expect(started.status).toBe(202);
    expect(started.body.state).toBe('ingesting');
    ({ job: ingested, states } = await waitForJob(server.url, started.body.id, TOKEN));
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the page to anyone, and the API only with the bearer token', async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<title>Isthmus RAG</title>');
    expect((await fetch(`${server.url}/app.js`)).status).toBe(200);
    for (const token of [undefined, 'wrong-token']) {
      const refused = await requestJson(`${server.url}/info`, { token });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer');
      expect(refused.body.error.code).toBe('ERR_RAG_UNAUTHORIZED');
    }
    expect((await requestJson(`${server.url}/v1/models`)).status).toBe(401);
    const info = await requestJson<{ table: string; answerer: { kind: string } }>(`${server.url}/info`, {
      token: TOKEN,
    });
    expect(info.body).toMatchObject({ table: server.table, answerer: { kind: 'extractive' } });
  });

  it('ingests a folder as a job with progress, then builds the indexes', () => {
    expect(ingested.state).toBe('succeeded');
    expect(states.at(-1)).toBe('succeeded');
    expect(ingested.progress).toMatchObject({
      units: SMALL_MAN_CORPUS.length,
      unitsDone: SMALL_MAN_CORPUS.length,
    });
    expect(ingested.report).toMatchObject({ units: SMALL_MAN_CORPUS.length, alreadyPresent: 0 });
    expect(ingested.report!.inserted).toBe(ingested.report!.chunks);
    expect(ingested.indexes!.indexes.map((index) => index.type)).toContain('FTS');
  });

  it('searches by vector, BM25 and hybrid, k hits with sources and scores', async () => {
    const query = encodeURIComponent('tar archive compressed with gzip');
    for (const mode of ['vector', 'fts', 'hybrid']) {
      const { status, body } = await requestJson<SearchBody>(
        `${server.url}/search?q=${query}&k=4&mode=${mode}`,
        {
          token: TOKEN,
        },
      );
      expect(status).toBe(200);
      expect(body).toMatchObject({ mode, k: 4, table: server.table });
      expect(body.hits).toHaveLength(4);
      expect(pageOf(body.hits[0]!)).toBe('tar.1');
      const scores = body.hits.map((hit) => hit.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    }
    const filtered = await requestJson<SearchBody>(
      `${server.url}/search?q=${query}&mode=fts&filter=${encodeURIComponent("source LIKE '%grep.1.txt'")}`,
      { token: TOKEN },
    );
    expect(filtered.body.hits.length).toBeGreaterThan(0);
    expect(filtered.body.hits.every((hit) => pageOf(hit) === 'grep.1')).toBe(true);
  });

  it('answers extractively with sentences of the passages and their sources', async () => {
    const { status, body } = await requestJson<RagAnswer & SearchBody>(`${server.url}/answer`, {
      body: { question: 'How do I disable the Nagle algorithm on a TCP socket?', mode: 'fts' },
      token: TOKEN,
    });
    expect(status).toBe(200);
    expect(body.answerer).toBe('extractive');
    expect(pageOf(body.hits[0]!)).toBe('tcp.7');
    expect(body.sentences!.length).toBeGreaterThan(0);
    expect(body.answer).toContain('Nagle');
    const sources = new Set(body.hits.map((hit) => hit.source));
    for (const sentence of body.sentences!) {
      expect(sources.has(sentence.source)).toBe(true);
      expect(body.hits[sentence.passage - 1]!.text.replace(/\s+/g, ' ')).toContain(
        sentence.text.replace(/…$/, ''),
      );
    }
  });

  it('serves the embedder as an OpenAI-compatible /v1/models and /v1/embeddings', async () => {
    const models = await requestJson<{ data: { id: string }[] }>(`${server.url}/v1/models`, { token: TOKEN });
    expect(models.status).toBe(200);
    const model = models.body.data[0]!.id;
    expect(model).toMatch(/wink/);
    const embedded = await requestJson<{ data: { embedding: number[]; index: number }[]; model: string }>(
      `${server.url}/v1/embeddings`,
      { body: { model, input: ['send a signal to a process', 'copy files'] }, token: TOKEN },
    );
    expect(embedded.status).toBe(200);
    expect(embedded.body.data.map((item) => item.index)).toEqual([0, 1]);
    expect(embedded.body.data[0]!.embedding).toHaveLength(100);
    expect(embedded.body.data[0]!.embedding).not.toEqual(embedded.body.data[1]!.embedding);
  });

  it('measures recall@5 and MRR of the labelled questions this corpus answers', async () => {
    const questions = (await loadQuestions()).filter((question) =>
      question.answers.every((answer) => (SMALL_MAN_CORPUS as readonly string[]).includes(answer)),
    );
    expect(questions.length).toBeGreaterThanOrEqual(5);
    const evaluation = await evaluateRetrieval(server.table, questions, {
      modes: ['fts', 'hybrid'],
      depth: 20,
    });
    expect(evaluation.modes.map((metrics) => metrics.mode)).toEqual(['fts', 'hybrid']);
    for (const metrics of evaluation.modes) {
      expect(metrics.ranks).toHaveLength(questions.length);
      const reciprocal = metrics.ranks.map((rank) => (rank === undefined ? 0 : 1 / rank));
      expect(metrics.mrr).toBeCloseTo(
        reciprocal.reduce((sum, value) => sum + value, 0) / questions.length,
        10,
      );
      expect(metrics.recallAtK).toBeGreaterThan(0);
    }
  });

  it('answers bad requests with 4xx and a stable code, and reports a failed ingest', async () => {
    const cases: [string, { method?: string; body?: unknown; rawBody?: string }, number, string][] = [
      ['/search', {}, 400, 'ERR_RAG_BAD_REQUEST'],
      ['/search?q=x&mode=semantic', {}, 400, 'ERR_RAG_BAD_REQUEST'],
      ['/search?q=x&k=0', {}, 400, 'ERR_RAG_BAD_REQUEST'],
      ['/answer', { rawBody: '{"question":' }, 400, 'ERR_RAG_BAD_REQUEST'],
      ['/answer', { body: { question: 42 } }, 400, 'ERR_RAG_BAD_REQUEST'],
      ['/ingest', { body: ['not', 'an', 'object'] }, 400, 'ERR_RAG_BAD_REQUEST'],
      ['/ingest/no-such-job', {}, 404, 'ERR_RAG_NOT_FOUND'],
      ['/nothing-here', {}, 404, 'ERR_RAG_NOT_FOUND'],
      [
        `/search?q=x&table=${encodeURIComponent(`${server.table}-missing`)}`,
        {},
        404,
        'ERR_VECTORS_TABLE_NOT_FOUND',
      ],
      [
        '/answer',
        { rawBody: JSON.stringify({ question: 'x'.repeat(1024 * 1024) }) },
        413,
        'ERR_RAG_PAYLOAD_TOO_LARGE',
      ],
    ];
    for (const [path, init, status, code] of cases) {
      const answer = await requestJson(`${server.url}${path}`, { ...init, token: TOKEN });
      expect({ path, status: answer.status, code: answer.body.error.code }).toEqual({ path, status, code });
    }
    const started = await requestJson<IngestJobStatus>(`${server.url}/ingest`, {
      body: { source: join(dir, 'no-such-folder'), table: `${server.table}_other` },
      token: TOKEN,
    });
    const { job } = await waitForJob(server.url, started.body.id, TOKEN);
    expect(job.state).toBe('failed');
    expect(job.error!.message).toBeTruthy();
  });
});

// The table on the S3 server (RGW): ingest from a local folder, then search.
describe('the RAG server with its table on S3', () => {
  let dir: string;
  let server: RagServer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isthmus-rag-s3-'));
    await renderManPages(dir, ['kill.1', 'du.1', 'fork.2']);
    const s3 = inject('s3');
    server = await startRagServer({
      table: `s3://${await createUniqueBucket(s3, 'rag')}/db/docs`,
      port: 0,
      s3,
    });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('ingests into an s3:// table and searches it', async () => {
    const started = await requestJson<IngestJobStatus>(`${server.url}/ingest`, { body: { source: dir } });
    const { job } = await waitForJob(server.url, started.body.id);
    expect(job).toMatchObject({ state: 'succeeded', report: { units: 3 } });
    const found = await requestJson<SearchBody>(
      `${server.url}/search?q=${encodeURIComponent('estimate file space usage')}&k=3`,
    );
    expect(found.status).toBe(200);
    expect(found.body.table).toMatch(/^s3:\/\//);
    expect(pageOf(found.body.hits[0]!)).toBe('du.1');
  });
});
