import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaultInjectingProxy } from '@isthmus/services';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OnnxEmbedder } from '../../../src/embedders/onnx/onnx-embedder.js';
import { type OpenAiConnectOptions, OpenAiEmbedder } from '../../../src/embedders/openai/openai-embedder.js';
import { BadEmbeddingsError, EndpointError, InvalidArgumentError } from '../../../src/errors.js';
import { embeddingsEndpoint } from '../../../src/server/embeddings-endpoint.js';
import {
  type EmbeddingsFault,
  fakeVector,
  faultyEmbeddingsEndpoint,
} from '../../support/faulty-embeddings-endpoint.js';
import { type LoopbackServer, serveOnLoopback } from '../../support/loopback-server.js';
import { writeTinyModel } from '../../support/tiny-model.js';

const FAST: OpenAiConnectOptions = { baseDelayMs: 5, maxDelayMs: 50 };
const TEXTS = Array.from(
  { length: 50 },
  (_, i) => `the cat sat on the mat ${'hello world '.repeat(i % 4)}${i}`,
);

let dir: string;
let onnx: OnnxEmbedder;
let server: LoopbackServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'openai-embedder-'));
  await writeTinyModel(join(dir, 'tiny'));
  onnx = await OnnxEmbedder.load({ kind: 'onnx', modelDir: join(dir, 'tiny') });
  server = await serveOnLoopback(embeddingsEndpoint(onnx));
});
afterAll(async () => {
  await server.close();
  await onnx.close();
  await rm(dir, { recursive: true, force: true });
});

describe('OpenAiEmbedder against this project’s endpoint (real HTTP on loopback, tiny ONNX model behind it)', () => {
  it('asks the dimension with a probe, batches, and gives back exactly the served model’s vectors in order', async () => {
    const before = server.requests.length;
    const client = await OpenAiEmbedder.connect(
      { kind: 'openai', baseUrl: `${server.url}/v1`, model: 'tiny', batchSize: 16 },
      FAST,
    );
    expect(client.dimension).toBe(6);
    expect(client.modelId).toBe('openai:tiny');
    const remote = await client.embed(TEXTS);
    expect(remote).toEqual(await onnx.embed(TEXTS));
    // one probe + ceil(50 / 16) = 4 batches
    expect(server.requests.length - before).toBe(5);
    expect(await client.embed([])).toEqual([]);
    expect(server.requests.length - before).toBe(5);
  });

  it('keeps at most `concurrency` requests in flight (counted at the server)', async () => {
    const slow = await serveOnLoopback(embeddingsEndpoint(onnx), { holdMs: 60 });
    try {
      const client = await OpenAiEmbedder.connect(
        {
          kind: 'openai',
          baseUrl: `${slow.url}/v1`,
          model: 'tiny',
          dimension: 6,
          batchSize: 4,
          concurrency: 3,
        },
        FAST,
      );
      expect(await client.embed(TEXTS)).toEqual(await onnx.embed(TEXTS));
      expect(slow.requests).toHaveLength(13);
      expect(slow.maxInFlight).toBe(3);
    } finally {
      await slow.close();
    }
  });

  it('sends the API key from the named variable as a Bearer token, and never puts it in errors', async () => {
    process.env.ISTHMUS_TEST_EMBEDDINGS_KEY = 'sk-test-secret-123';
    const refusing = await serveOnLoopback(faultyEmbeddingsEndpoint('bad-request'));
    try {
      const spec = { kind: 'openai', model: 'tiny', apiKeyEnv: 'ISTHMUS_TEST_EMBEDDINGS_KEY' } as const;
      const client = await OpenAiEmbedder.connect({ ...spec, baseUrl: `${server.url}/v1` }, FAST);
      await client.embed(['cat']);
      expect(server.requests.at(-1)!.headers.authorization).toBe('Bearer sk-test-secret-123');
      const failed = await OpenAiEmbedder.connect({ ...spec, baseUrl: `${refusing.url}/v1` }, FAST).catch(
        (error: Error) => error,
      );
      expect(failed).toBeInstanceOf(EndpointError);
      expect(`${(failed as Error).message} ${(failed as Error).stack}`).not.toContain('sk-test-secret-123');
      delete process.env.ISTHMUS_TEST_EMBEDDINGS_KEY;
      await expect(OpenAiEmbedder.connect({ ...spec, baseUrl: `${server.url}/v1` }, FAST)).rejects.toThrow(
        /ISTHMUS_TEST_EMBEDDINGS_KEY is not set/,
      );
    } finally {
      delete process.env.ISTHMUS_TEST_EMBEDDINGS_KEY;
      await refusing.close();
    }
  });

  it('refuses malformed specs', async () => {
    await expect(
      OpenAiEmbedder.connect({ kind: 'openai', baseUrl: 'not a url', model: 'x' }),
    ).rejects.toThrow(InvalidArgumentError);
    await expect(
      OpenAiEmbedder.connect({ kind: 'openai', baseUrl: `${server.url}/v1`, model: 'tiny', batchSize: 0 }),
    ).rejects.toThrow(/batchSize must be a positive integer/);
  });
});

describe('OpenAiEmbedder through the fault-injecting proxy in front of this project’s endpoint', () => {
  let proxy: FaultInjectingProxy;
  let client: OpenAiEmbedder;

  beforeAll(async () => {
    proxy = await FaultInjectingProxy.start(server.url);
    client = await OpenAiEmbedder.connect(
      { kind: 'openai', baseUrl: `${proxy.endpoint}/v1`, model: 'tiny', batchSize: 64, maxAttempts: 4 },
      FAST,
    );
    proxy.seen.length = 0; // the dimension probe
  });
  afterEach(() => {
    proxy.clearFaults();
    proxy.seen.length = 0;
  });
  afterAll(async () => {
    await proxy.stop();
  });

  it('retries 429 and 503 answers and then gives the right vectors', async () => {
    proxy.inject('POST', { kind: 'status', status: 429, code: 'TooManyRequests' }, 2);
    proxy.inject('POST', { kind: 'status', status: 503, code: 'Unavailable' });
    expect(await client.embed(TEXTS)).toEqual(await onnx.embed(TEXTS));
    expect(proxy.seen.map((request) => request.fault ?? 'forwarded')).toEqual([
      'status',
      'status',
      'status',
      'forwarded',
    ]);
  });

  it('retries a connection cut in the middle of the answer', async () => {
    proxy.inject('POST', { kind: 'cut', afterBytes: 100 });
    expect(await client.embed(TEXTS)).toEqual(await onnx.embed(TEXTS));
    expect(proxy.seen.map((request) => request.fault ?? 'forwarded')).toEqual(['cut', 'forwarded']);
  });

  it('gives up after maxAttempts with an EndpointError carrying the last status', async () => {
    proxy.inject('POST', { kind: 'status', status: 503, code: 'Unavailable' }, 10);
    const failed = await client.embed(['cat']).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(EndpointError);
    expect(failed).toMatchObject({ status: 503, code: 'ERR_VECTORS_ENDPOINT' });
    expect((failed as Error).message).toMatch(/failed after 4 attempts; last: 503/);
    expect(proxy.seen).toHaveLength(4);
  });

  it('fails at once, without retries, on a 4xx other than 429 (an unknown model: 404)', async () => {
    const failed = await OpenAiEmbedder.connect(
      { kind: 'openai', baseUrl: `${proxy.endpoint}/v1`, model: 'no-such-model' },
      FAST,
    ).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(EndpointError);
    expect(failed).toMatchObject({ status: 404 });
    expect((failed as Error).message).toMatch(
      /refused the request: 404 the model no-such-model is not served here/,
    );
    expect(proxy.seen).toHaveLength(1);
  });
});

describe('OpenAiEmbedder against a FAULTY fake endpoint', () => {
  async function withFake<T>(fault: EmbeddingsFault, run: (fake: LoopbackServer) => Promise<T>): Promise<T> {
    const fake = await serveOnLoopback(faultyEmbeddingsEndpoint(fault));
    try {
      return await run(fake);
    } finally {
      await fake.close();
    }
  }
  const connect = (fake: LoopbackServer, options: OpenAiConnectOptions = FAST) =>
    OpenAiEmbedder.connect(
      { kind: 'openai', baseUrl: `${fake.url}/v1`, model: 'fake', dimension: 3 },
      options,
    );

  it.each([
    ['wrong-count', /returned 2 vectors for 3 texts/],
    ['wrong-dimension', /vector of 4 numbers for text 0, expected 3/],
    ['nan-base64', /non-finite value \(NaN\) for text 0/],
    ['nan-literal', /answer is not JSON/],
  ] as const)('%s → BadEmbeddingsError, never retried', async (fault, message) => {
    await withFake(fault, async (fake) => {
      const client = await connect(fake);
      const failed = await client.embed(['a', 'bb', 'ccc']).catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(BadEmbeddingsError);
      expect((failed as Error).message).toMatch(message);
      expect(fake.requests).toHaveLength(1);
    });
  });

  it('puts answers in order by their index', async () => {
    await withFake('reversed', async (fake) => {
      const client = await connect(fake);
      const vectors = await client.embed(['a', 'bb', 'ccc']);
      expect(vectors.map((vector) => Array.from(vector))).toEqual(['a', 'bb', 'ccc'].map(fakeVector));
    });
  });

  it('fails a 400 at once with the endpoint’s reason', async () => {
    await withFake('bad-request', async (fake) => {
      const client = await connect(fake);
      await expect(client.embed(['a'])).rejects.toThrow(/refused the request: 400 input too long/);
      expect(fake.requests).toHaveLength(1);
    });
  });

  it('waits at least as long as Retry-After says before retrying', async () => {
    await withFake('retry-after-once', async (fake) => {
      const client = await connect(fake);
      expect((await client.embed(['a'])).map((vector) => Array.from(vector))).toEqual([fakeVector('a')]);
      expect(fake.requests).toHaveLength(2);
      // the jittered backoff alone is at most 50 ms here; only the header explains a 1 s wait
      expect(fake.requests[1]!.at - fake.requests[0]!.at).toBeGreaterThanOrEqual(950);
    });
  });

  it('retries a request that timed out', async () => {
    await withFake('stall-once', async (fake) => {
      const client = await connect(fake, { ...FAST, timeoutMs: 150 });
      expect((await client.embed(['a'])).map((vector) => Array.from(vector))).toEqual([fakeVector('a')]);
      expect(fake.requests).toHaveLength(2);
    });
  });
});
