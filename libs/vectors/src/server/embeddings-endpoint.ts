import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Embedder } from '../embedders/embedder.js';
import { float32ToBase64 } from '../embedders/openai/float32-base64.js';
import { EndpointError, InvalidArgumentError } from '../errors.js';

/** Limits of an `embeddingsEndpoint`. */
export interface EmbeddingsEndpointOptions {
  /** Largest request body accepted, in bytes (default 8 MiB); larger → 413. */
  maxBodyBytes?: number;
  /** Most texts in one request (default 2048, OpenAI's limit); more → 400. */
  maxInputs?: number;
}

/** An OpenAI-style error answer. */
interface ApiError {
  status: number;
  message: string;
  param?: string;
  code?: string;
}

/**
 * A request handler serving `embedders` as an OpenAI-compatible API: `POST /v1/embeddings`
 * (`input` a string or strings; `model` chooses an embedder by its `modelId` or a short name,
 * default the first; `encoding_format` `float` or `base64`; `usage` counts words and punctuation
 * marks as an estimate of tokens) and `GET /v1/models` (`/v1/models/<id>`). Token-id inputs,
 * malformed JSON and unknown models get OpenAI-style errors `{error: {message, type, param, code}}`.
 *
 * The handler resolves `true` when it answered the request, `false` for other paths (so an app can
 * chain its own routes). It does no authentication: an app that needs a bearer token checks it
 * before calling the handler, for all its routes alike.
 */
export function embeddingsEndpoint(
  embedders: Embedder | Embedder[],
  options: EmbeddingsEndpointOptions = {},
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const served = Array.isArray(embedders) ? embedders : [embedders];
  if (served.length === 0) throw new InvalidArgumentError('embeddingsEndpoint needs at least one embedder');
  const maxBodyBytes = options.maxBodyBytes ?? 8 * 1024 * 1024;
  const maxInputs = options.maxInputs ?? 2048;
  const byName = new Map<string, Embedder>();
  for (const embedder of served) {
    for (const name of modelNames(embedder.modelId)) if (!byName.has(name)) byName.set(name, embedder);
  }
  const created = Math.floor(Date.now() / 1000);
  const modelObject = (embedder: Embedder) => ({
    id: embedder.modelId,
    object: 'model',
    created,
    owned_by: 'isthmus',
  });

  return async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
    if (path === '/v1/embeddings') {
      if (req.method !== 'POST') return methodNotAllowed(req, res, 'POST');
      try {
        await answerEmbeddings(req, res, { served, byName, maxBodyBytes, maxInputs });
      } catch (error) {
        // the request broke off (client gone) or answering failed: answer if there is still someone to answer
        if (!res.headersSent && !res.destroyed)
          sendError(res, { status: 500, message: (error as Error).message });
      }
      return true;
    }
    if (path === '/v1/models' || path.startsWith('/v1/models/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(req, res, 'GET');
      req.resume();
      if (path === '/v1/models') {
        sendJson(res, 200, { object: 'list', data: served.map(modelObject) });
        return true;
      }
      const name = decodeURIComponent(path.slice('/v1/models/'.length));
      const embedder = byName.get(name);
      if (embedder) sendJson(res, 200, modelObject(embedder));
      else sendError(res, modelNotFound(name));
      return true;
    }
    return false;
  };
}

/** The names a model answers to: `onnx:minilm@1a2b3c`, `onnx:minilm`, `minilm`. */
function modelNames(modelId: string): string[] {
  const unversioned = modelId.split('@')[0]!;
  const bare = unversioned.includes(':') ? unversioned.slice(unversioned.indexOf(':') + 1) : unversioned;
  return [...new Set([modelId, unversioned, bare])];
}

interface EmbeddingsContext {
  served: Embedder[];
  byName: ReadonlyMap<string, Embedder>;
  maxBodyBytes: number;
  maxInputs: number;
}

async function answerEmbeddings(req: IncomingMessage, res: ServerResponse, context: EmbeddingsContext) {
  const body = await readBody(req, context.maxBodyBytes);
  if (body === undefined) {
    sendError(res, {
      status: 413,
      message: `the request body is larger than ${context.maxBodyBytes} bytes`,
      code: 'request_too_large',
    });
    return;
  }
  let request: Record<string, unknown>;
  try {
    request = JSON.parse(body.toString('utf8'));
  } catch {
    sendError(res, { status: 400, message: 'the request body is not valid JSON', code: 'invalid_json' });
    return;
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    sendError(res, { status: 400, message: 'the request body must be a JSON object', code: 'invalid_json' });
    return;
  }
  const texts = inputTexts(request.input, context.maxInputs);
  if (!Array.isArray(texts)) {
    sendError(res, texts);
    return;
  }
  const format = request.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64') {
    sendError(res, {
      status: 400,
      message: `encoding_format must be "float" or "base64", got ${JSON.stringify(format)}`,
      param: 'encoding_format',
    });
    return;
  }
  const embedder =
    request.model === undefined ? context.served[0]! : context.byName.get(String(request.model));
  if (!embedder) {
    sendError(res, modelNotFound(String(request.model)));
    return;
  }
  if (request.dimensions !== undefined && request.dimensions !== embedder.dimension) {
    sendError(res, {
      status: 400,
      message: `${embedder.modelId} only makes vectors of ${embedder.dimension} dimensions`,
      param: 'dimensions',
    });
    return;
  }
  let vectors: Float32Array[];
  try {
    vectors = await embedder.embed(texts);
  } catch (error) {
    sendError(res, embedderFailure(error));
    return;
  }
  const tokens = texts.reduce((sum, text) => sum + estimateTokens(text), 0);
  sendJson(res, 200, {
    object: 'list',
    data: vectors.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: format === 'base64' ? float32ToBase64(vector) : Array.from(vector),
    })),
    model: embedder.modelId,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}

/** The texts of an `input`, or the error answer for an input that is not one or more non-empty strings. */
function inputTexts(input: unknown, maxInputs: number): string[] | ApiError {
  const invalid = (message: string, code?: string): ApiError => ({
    status: 400,
    message,
    param: 'input',
    code,
  });
  const list = typeof input === 'string' ? [input] : input;
  if (!Array.isArray(list)) return invalid('input must be a string or an array of strings');
  if (list.length === 0) return invalid('input must hold at least one text');
  if (list.length > maxInputs)
    return invalid(`input holds ${list.length} texts; at most ${maxInputs} are allowed`);
  if (list.some((item) => typeof item === 'number' || Array.isArray(item))) {
    return invalid('token-id inputs are not supported: send text', 'unsupported_input');
  }
  for (const [index, item] of list.entries()) {
    if (typeof item !== 'string') return invalid(`input[${index}] is not a string`);
    if (item === '') return invalid(`input[${index}] is empty`);
  }
  return list as string[];
}

/** Words and punctuation marks: a tokenizer-free estimate of the tokens a text costs. */
function estimateTokens(text: string): number {
  return text.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu)?.length ?? 0;
}

function embedderFailure(error: unknown): ApiError {
  if (error instanceof InvalidArgumentError) return { status: 400, message: error.message, code: error.code };
  if (error instanceof EndpointError) return { status: 502, message: error.message, code: error.code };
  const code = (error as { code?: unknown }).code;
  return {
    status: 500,
    message: (error as Error).message ?? String(error),
    code: typeof code === 'string' ? code : undefined,
  };
}

function modelNotFound(name: string): ApiError {
  return {
    status: 404,
    message: `the model ${name} is not served here`,
    param: 'model',
    code: 'model_not_found',
  };
}

/** The whole body, or `undefined` once it exceeds `limit` (the rest is then drained, not kept). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      req.resume();
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.resume();
      resolve(undefined);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function methodNotAllowed(req: IncomingMessage, res: ServerResponse, allowed: string): true {
  req.resume();
  res.setHeader('allow', allowed);
  sendError(res, { status: 405, message: `${req.method} is not allowed here; use ${allowed}` });
  return true;
}

function sendError(res: ServerResponse, error: ApiError): void {
  if (error.status === 413) res.setHeader('connection', 'close');
  sendJson(res, error.status, {
    error: {
      message: error.message,
      type: error.status >= 500 ? 'server_error' : 'invalid_request_error',
      param: error.param ?? null,
      code: error.code ?? null,
    },
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
