import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { S3ConnectionOptions } from '@isthmus/storage';
import {
  createEmbedder,
  type Embedder,
  type EmbedderSpec,
  embeddingsEndpoint,
  type SearchHit,
  type SearchMode,
  search,
} from '@isthmus/vectors';
import { answerQuestion } from './answer/answer-question.js';
import type { ChatEndpoint } from './answer/chat-answer.js';
import { BadRequestError, NotFoundError, UnauthorizedError } from './errors.js';
import { hasBearerToken } from './http/bearer-token.js';
import { readJsonBody, sendJson } from './http/json.js';
import { pageAsset } from './http/page-assets.js';
import { errorResponse } from './http/status-of-error.js';
import { IngestJobs } from './ingest-jobs.js';

/** Options of `startRagServer`. */
export interface RagServerOptions {
  /** The table searched and ingested into unless a request names another (`file://…` or `s3://…`). */
  table: string;
  /** Interface to listen on (default `127.0.0.1`: loopback only). */
  host?: string;
  /** Port (default 8788; 0 picks a free one). */
  port?: number;
  /** When set, every request but the page's files needs `Authorization: Bearer <token>`. */
  token?: string;
  /** Answers come from this chat endpoint when set, else extractively from the passages. */
  chat?: ChatEndpoint;
  /** The embedding model of ingest, search and `/v1/embeddings` (default: the offline word vectors). */
  embedder?: EmbedderSpec;
  /** S3 settings of `s3://` tables and sources (default: the AWS environment). */
  s3?: S3ConnectionOptions;
}

/** A running RAG server. */
export interface RagServer {
  /** `http://host:port`. */
  url: string;
  /** The default table. */
  table: string;
  /** The ingest jobs (for waiting on them, e.g. before closing). */
  jobs: IngestJobs;
  /** Stops listening, waits for running ingest jobs and frees the embedder. */
  close(): Promise<void>;
}

/** Hits a search answers by default, and at most. */
const DEFAULT_K = 5;
const MAX_K = 100;
const MODES: readonly SearchMode[] = ['vector', 'fts', 'hybrid'];

/**
 * Starts the RAG app's HTTP server: the page (`GET /`), `GET /info`, `POST /ingest` and
 * `GET /ingest/<id>` (a job polled for progress), `GET /search`, `POST /answer`, and the
 * OpenAI-compatible `POST /v1/embeddings` and `GET /v1/models`. The bearer token is never logged.
 */
export async function startRagServer(options: RagServerOptions): Promise<RagServer> {
  const spec = options.embedder ?? { kind: 'word-vectors' };
  let loaded: Promise<Embedder> | undefined;
  const embedder = () => {
    loaded ??= createEmbedder(spec);
    return loaded;
  };
  let endpoint: ReturnType<typeof embeddingsEndpoint> | undefined;
  const jobs = new IngestJobs({ embedder: spec, s3: options.s3 });
  const context: RequestContext = { options, jobs, embedder };
  const server = createServer((request, response) => {
    handle(request, response, context, async () => {
      endpoint ??= embeddingsEndpoint(await embedder());
      return endpoint(request, response);
    }).catch((error) => {
      if (response.headersSent) response.destroy(error);
      else {
        const { status, body } = errorResponse(error);
        sendJson(response, status, body);
      }
    });
  });
  await listen(server, options.port ?? 8788, options.host ?? '127.0.0.1');
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    table: options.table,
    jobs,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await jobs.settle();
      if (loaded) await (await loaded).close?.();
    },
  };
}

interface RequestContext {
  options: RagServerOptions;
  jobs: IngestJobs;
  embedder: () => Promise<Embedder>;
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  context: RequestContext,
  openAiRoutes: () => Promise<boolean>,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const path = url.pathname;
  if (request.method === 'GET') {
    const asset = await pageAsset(path);
    if (asset) {
      response.writeHead(200, {
        'content-type': asset.type,
        'content-length': asset.body.length,
        'content-security-policy': "default-src 'self'",
        'x-content-type-options': 'nosniff',
      });
      response.end(asset.body);
      return;
    }
  }
  const { options, jobs } = context;
  if (options.token !== undefined && !hasBearerToken(request, options.token)) {
    response.setHeader('www-authenticate', 'Bearer');
    throw new UnauthorizedError();
  }
  if (path.startsWith('/v1/')) {
    if (await openAiRoutes()) return;
    throw new NotFoundError(`no route ${request.method} ${path}`);
  }
  const route = `${request.method} ${path.replace(/^\/ingest\/[^/]+$/, '/ingest/<id>')}`;
  switch (route) {
    case 'GET /info':
      return sendJson(response, 200, {
        table: options.table,
        answerer: options.chat ? { kind: 'chat', model: options.chat.model } : { kind: 'extractive' },
        embedder: options.embedder ?? { kind: 'word-vectors' },
      });
    case 'POST /ingest': {
      const body = objectBody(await readJsonBody(request));
      const source = requiredString(body, 'source');
      const table = optionalString(body, 'table') ?? options.table;
      return sendJson(response, 202, jobs.start(source, table));
    }
    case 'GET /ingest/<id>': {
      const id = decodeURIComponent(path.slice('/ingest/'.length));
      const job = jobs.get(id);
      if (!job) throw new NotFoundError(`no ingest job ${id}`);
      return sendJson(response, 200, job);
    }
    case 'GET /search': {
      const query = url.searchParams.get('q') ?? '';
      const found = await searchFor(context, query, {
        k: url.searchParams.get('k') ?? undefined,
        mode: url.searchParams.get('mode') ?? undefined,
        filter: url.searchParams.get('filter') ?? undefined,
        table: url.searchParams.get('table') ?? undefined,
      });
      return sendJson(response, 200, { query, ...found });
    }
    case 'POST /answer': {
      const body = objectBody(await readJsonBody(request));
      const question = requiredString(body, 'question');
      const found = await searchFor(context, question, {
        k: body.k,
        mode: body.mode,
        filter: body.filter,
        table: optionalString(body, 'table'),
      });
      const answer = await answerQuestion(question, found.hits, options.chat);
      return sendJson(response, 200, { question, ...answer, ...found });
    }
    default:
      throw new NotFoundError(`no route ${request.method} ${path}`);
  }
}

/** Runs a search with the request's parameters, checked. */
async function searchFor(
  context: RequestContext,
  query: string,
  parameters: { k?: unknown; mode?: unknown; filter?: unknown; table?: string },
): Promise<{ table: string; mode: SearchMode; k: number; hits: SearchHit[]; ms: number }> {
  if (query.trim() === '') throw new BadRequestError('the query is empty (q=… or "question")');
  const k = parameters.k === undefined ? DEFAULT_K : Number(parameters.k);
  if (!Number.isInteger(k) || k < 1 || k > MAX_K)
    throw new BadRequestError(`k must be an integer in 1…${MAX_K}`);
  const mode = (parameters.mode ?? 'hybrid') as SearchMode;
  if (!MODES.includes(mode)) throw new BadRequestError(`mode must be one of ${MODES.join(', ')}`);
  if (parameters.filter !== undefined && typeof parameters.filter !== 'string') {
    throw new BadRequestError('filter must be a string');
  }
  const table = parameters.table ?? context.options.table;
  const started = performance.now();
  const hits = await search(table, query, {
    k,
    mode,
    filter: parameters.filter || undefined,
    embedder: await context.embedder(),
    s3: context.options.s3,
  });
  return { table, mode, k, hits, ms: Math.round(performance.now() - started) };
}

function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequestError('the request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

function requiredString(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value.trim() === '')
    throw new BadRequestError(`"${name}" must be a non-empty string`);
  return value;
}

function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  return body[name] === undefined ? undefined : requiredString(body, name);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
