import { ConcurrencyLimiter } from '@isthmus/storage';
import { BadEmbeddingsError, EndpointError, InvalidArgumentError } from '../../errors.js';
import { checkEmbeddings, type Embedder } from '../embedder.js';
import type { OpenAiSpec } from '../embedder-spec.js';
import { parseEmbeddingsResponse } from './embeddings-response.js';
import { type RetryTiming, retryDelay } from './retry-delay.js';

/** Timing of an `OpenAiEmbedder`'s requests (not part of the JSON spec: a process-local choice). */
export interface OpenAiConnectOptions extends Partial<RetryTiming> {
  /** Longest wait for one request's answer, body included (default 60 s); a timeout is retried. */
  timeoutMs?: number;
}

const DEFAULTS = {
  batchSize: 64,
  concurrency: 4,
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 20_000,
  timeoutMs: 60_000,
};

/** Statuses worth another attempt: request timeout, throttling and server-side failures. */
function isRetryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * An OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, vLLM, TEI, llama.cpp, this project's
 * `embeddingsEndpoint`) as an `Embedder`: texts go in batches of `batchSize`, at most `concurrency`
 * requests in flight per embedder; 429, 408, 5xx, timeouts and broken connections are retried up to
 * `maxAttempts` with exponential backoff and full jitter, never sooner than the server's
 * `Retry-After`; other 4xx fail at once. Answers are put in order by `data[].index` and checked
 * (count, dimension, finite values); a bad answer is an error, never retried into a result.
 *
 * `modelId` is `openai:<model>`: the served model's name, not the host, so the same model behind
 * two gateways (or a renamed host) keeps reading and writing the same tables.
 */
export class OpenAiEmbedder implements Embedder {
  readonly modelId: string;
  readonly #endpoint: URL;
  readonly #headers: Record<string, string>;
  readonly #limiter: ConcurrencyLimiter;
  readonly #batchSize: number;
  readonly #maxAttempts: number;
  readonly #timing: RetryTiming;
  readonly #timeoutMs: number;
  #dimension = 0;

  private constructor(
    private readonly spec: OpenAiSpec,
    apiKey: string | undefined,
    options: OpenAiConnectOptions,
  ) {
    this.modelId = `openai:${spec.model}`;
    this.#endpoint = new URL(`${spec.baseUrl.replace(/\/+$/, '')}/embeddings`);
    this.#headers = { 'content-type': 'application/json', accept: 'application/json' };
    if (apiKey) this.#headers.authorization = `Bearer ${apiKey}`;
    this.#limiter = new ConcurrencyLimiter(spec.concurrency ?? DEFAULTS.concurrency);
    this.#batchSize = spec.batchSize ?? DEFAULTS.batchSize;
    this.#maxAttempts = spec.maxAttempts ?? DEFAULTS.maxAttempts;
    this.#timing = {
      baseDelayMs: options.baseDelayMs ?? DEFAULTS.baseDelayMs,
      maxDelayMs: options.maxDelayMs ?? DEFAULTS.maxDelayMs,
    };
    this.#timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  }

  /**
   * Connects to the endpoint a spec names; asks it for the dimension with one probe request unless
   * the spec gives it. The API key is read from `process.env[spec.apiKeyEnv]` and only ever sent as
   * a Bearer header.
   * @throws {InvalidArgumentError} for a malformed spec or an unset key variable.
   * @throws {EndpointError} / {BadEmbeddingsError} when the probe fails.
   */
  static async connect(spec: OpenAiSpec, options: OpenAiConnectOptions = {}): Promise<OpenAiEmbedder> {
    validate(spec);
    let apiKey: string | undefined;
    if (spec.apiKeyEnv !== undefined) {
      apiKey = process.env[spec.apiKeyEnv];
      if (!apiKey) throw new InvalidArgumentError(`the API key variable ${spec.apiKeyEnv} is not set`);
    }
    const embedder = new OpenAiEmbedder(spec, apiKey, options);
    if (spec.dimension !== undefined) {
      embedder.#dimension = spec.dimension;
    } else {
      const [probe] = await embedder.#request(['dimension probe'], new AbortController().signal);
      if (!probe?.length) throw new BadEmbeddingsError(`${embedder.modelId} returned an empty vector`);
      embedder.#dimension = probe.length;
    }
    return embedder;
  }

  /** The vector length (from the spec or the probe). */
  get dimension(): number {
    return this.#dimension;
  }

  /** Embeds `texts` in batches, concurrently up to the limit; the first failure cancels the rest. */
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const batches: string[][] = [];
    for (let start = 0; start < texts.length; start += this.#batchSize) {
      batches.push(texts.slice(start, start + this.#batchSize));
    }
    const cancel = new AbortController();
    try {
      const answers = await Promise.all(
        batches.map((batch) =>
          this.#limiter.run(async () => {
            cancel.signal.throwIfAborted();
            return checkEmbeddings(
              this.modelId,
              this.#dimension,
              batch,
              await this.#request(batch, cancel.signal),
            );
          }),
        ),
      );
      return answers.flat();
    } catch (error) {
      cancel.abort(error);
      throw error;
    }
  }

  /** One batch, with its retries. */
  async #request(batch: string[], cancel: AbortSignal): Promise<Float32Array[]> {
    const body = JSON.stringify({ model: this.spec.model, input: batch, encoding_format: 'float' });
    const where = `POST ${this.#endpoint.origin}${this.#endpoint.pathname}`;
    let lastFailure = '';
    let lastStatus: number | undefined;
    let lastCause: unknown;
    let retryAfter: string | null = null;
    for (let attempt = 1; attempt <= this.#maxAttempts; attempt++) {
      if (attempt > 1) await sleep(retryDelay(this.#timing, attempt - 1, retryAfter), cancel);
      retryAfter = null;
      let status: number;
      let text: string;
      try {
        const response = await fetch(this.#endpoint, {
          method: 'POST',
          headers: this.#headers,
          body,
          signal: AbortSignal.any([cancel, AbortSignal.timeout(this.#timeoutMs)]),
        });
        status = response.status;
        retryAfter = response.headers.get('retry-after');
        text = await response.text();
      } catch (error) {
        if (cancel.aborted) throw cancel.reason;
        lastFailure = `${(error as Error).name}: ${(error as Error).message}`;
        lastStatus = undefined;
        lastCause = error;
        continue;
      }
      if (status >= 200 && status < 300) return parseEmbeddingsResponse(this.modelId, text, batch.length);
      const message = errorMessage(text);
      if (!isRetryable(status)) {
        throw new EndpointError(`${where} refused the request: ${status} ${message}`, { status });
      }
      lastFailure = `${status} ${message}`;
      lastStatus = status;
      lastCause = undefined;
    }
    throw new EndpointError(`${where} failed after ${this.#maxAttempts} attempts; last: ${lastFailure}`, {
      status: lastStatus,
      cause: lastCause,
    });
  }
}

function validate(spec: OpenAiSpec): void {
  let url: URL | undefined;
  try {
    url = new URL(spec.baseUrl);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new InvalidArgumentError(`baseUrl must be an http(s) URL such as http://127.0.0.1:8080/v1`);
  }
  if (typeof spec.model !== 'string' || spec.model === '')
    throw new InvalidArgumentError('model must be named');
  for (const key of ['dimension', 'batchSize', 'concurrency', 'maxAttempts'] as const) {
    const value = spec[key];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) {
      throw new InvalidArgumentError(`${key} must be a positive integer, got ${value}`);
    }
  }
}

/** The reason an endpoint gives in an error body (OpenAI, vLLM, TEI shapes), else its first characters. */
function errorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as {
      error?: { message?: unknown } | string;
      message?: unknown;
      detail?: unknown;
    };
    const reason =
      typeof parsed.error === 'string'
        ? parsed.error
        : (parsed.error?.message ?? parsed.message ?? parsed.detail);
    if (typeof reason === 'string') return reason.slice(0, 300);
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.slice(0, 300);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal.throwIfAborted();
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
