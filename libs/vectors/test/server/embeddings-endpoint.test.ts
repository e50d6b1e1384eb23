import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxEmbedder } from '../../src/embedders/onnx/onnx-embedder.js';
import { base64ToFloat32 } from '../../src/embedders/openai/float32-base64.js';
import { embeddingsEndpoint } from '../../src/server/embeddings-endpoint.js';
import { type LoopbackServer, serveOnLoopback } from '../support/loopback-server.js';
import { writeTinyModel } from '../support/tiny-model.js';

let dir: string;
let small: OnnxEmbedder;
let wide: OnnxEmbedder;
let server: LoopbackServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'embeddings-endpoint-'));
  await writeTinyModel(join(dir, 'small'));
  await writeTinyModel(join(dir, 'wide'), { dimension: 10 });
  small = await OnnxEmbedder.load({ kind: 'onnx', modelDir: join(dir, 'small') });
  wide = await OnnxEmbedder.load({ kind: 'onnx', modelDir: join(dir, 'wide') });
  server = await serveOnLoopback(
    embeddingsEndpoint([small, wide], { maxBodyBytes: 64 * 1024, maxInputs: 100 }),
  );
});
afterAll(async () => {
  await server.close();
  await Promise.all([small.close(), wide.close()]);
  await rm(dir, { recursive: true, force: true });
});

/** The fields of the API's answers these tests read. */
interface Answer {
  object: string;
  model: string;
  id: string;
  data: Array<{ index: number; embedding: number[] & string; id: string }>;
  usage: unknown;
  error: { code: string | null; type: string; message: string; param: string | null };
}

async function post(body: unknown, path = '/v1/embeddings') {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Answer };
}

describe('embeddingsEndpoint: OpenAI-compatible /v1/embeddings and /v1/models over real HTTP', () => {
  it('embeds one text or many with the chosen model, in order, with usage', async () => {
    const texts = ['the cat sat on the mat', 'dog', 'playing cats!'];
    const { status, json } = await post({ model: small.modelId, input: texts });
    expect(status).toBe(200);
    expect(json.object).toBe('list');
    expect(json.model).toBe(small.modelId);
    const direct = await small.embed(texts);
    expect(json.data.map((item) => item.index)).toEqual([0, 1, 2]);
    expect(json.data.map((item) => Float32Array.from(item.embedding))).toEqual(direct);
    expect(json.usage).toEqual({ prompt_tokens: 6 + 1 + 3, total_tokens: 10 });
    const single = await post({ model: small.modelId, input: 'dog' });
    expect(Float32Array.from(single.json.data[0]!.embedding)).toEqual(direct[1]);
  });

  it('picks a model by short name, defaults to the first, and sends base64 on request', async () => {
    const name = wide.modelId.split('@')[0]!; // onnx:wide
    const byKindAndName = await post({ model: name, input: ['cat'], encoding_format: 'base64' });
    const byName = await post({ model: 'wide', input: ['cat'] });
    const byDefault = await post({ input: ['cat'] });
    const [wideCat] = await wide.embed(['cat']);
    expect(byKindAndName.json.model).toBe(wide.modelId);
    expect(base64ToFloat32(byKindAndName.json.data[0]!.embedding)).toEqual(wideCat);
    expect(Float32Array.from(byName.json.data[0]!.embedding)).toEqual(wideCat);
    expect(byDefault.json.model).toBe(small.modelId);
    expect(byDefault.json.data[0]!.embedding).toHaveLength(6);
  });

  it('lists its models', async () => {
    const response = await fetch(`${server.url}/v1/models`);
    const json = (await response.json()) as Answer;
    expect(json.object).toBe('list');
    expect(json.data.map((model) => model.id)).toEqual([small.modelId, wide.modelId]);
    expect(json.data[0]!).toMatchObject({ object: 'model', owned_by: 'isthmus' });
    const one = await fetch(`${server.url}/v1/models/${encodeURIComponent('wide')}`);
    expect(((await one.json()) as Answer).id).toBe(wide.modelId);
  });

  it.each([
    ['token ids', { input: [101, 2003, 102] }, 400, 'input', 'unsupported_input'],
    ['lists of token ids', { input: [[101, 102]] }, 400, 'input', 'unsupported_input'],
    ['no input', { model: 'small' }, 400, 'input', null],
    ['an empty list', { input: [] }, 400, 'input', null],
    ['an empty text', { input: ['cat', ''] }, 400, 'input', null],
    ['too many texts', { input: Array.from({ length: 101 }, () => 'cat') }, 400, 'input', null],
    ['an unknown model', { model: 'gpt-7', input: 'cat' }, 404, 'model', 'model_not_found'],
    ['an unknown encoding', { input: 'cat', encoding_format: 'int8' }, 400, 'encoding_format', null],
    ['another dimension', { input: 'cat', dimensions: 3 }, 400, 'dimensions', null],
  ])('answers %s with an OpenAI-style error', async (_, body, status, param, code) => {
    const response = await post(body);
    expect(response.status).toBe(status);
    expect(response.json).toEqual({
      error: { message: expect.any(String), type: 'invalid_request_error', param, code },
    });
  });

  it('answers malformed JSON with 400 and an oversized body with 413', async () => {
    const malformed = await post('{"input": ["cat"');
    expect(malformed.status).toBe(400);
    expect(malformed.json.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_json' });
    const oversized = await post({ input: ['cat '.repeat(20_000)] });
    expect(oversized.status).toBe(413);
    expect(oversized.json.error.code).toBe('request_too_large');
    // the server is still fine afterwards
    expect((await post({ input: 'cat' })).status).toBe(200);
  });

  it('answers a wrong method with 405 and leaves other paths to the app', async () => {
    const wrong = await fetch(`${server.url}/v1/embeddings`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    const other = await fetch(`${server.url}/search?q=cat`);
    expect(other.status).toBe(404);
    expect(await other.text()).toBe('not here');
  });

  it('answers 500 with the embedder’s error code when the embedder fails', async () => {
    const failing = await serveOnLoopback(
      embeddingsEndpoint({
        modelId: 'broken@1',
        dimension: 3,
        embed: async () => {
          throw Object.assign(new Error('the GPU caught fire'), { code: 'ERR_FIRE' });
        },
      }),
    );
    try {
      const response = await fetch(`${failing.url}/v1/embeddings`, {
        method: 'POST',
        body: JSON.stringify({ input: 'cat' }),
      });
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({
        error: { message: 'the GPU caught fire', type: 'server_error', param: null, code: 'ERR_FIRE' },
      });
    } finally {
      await failing.close();
    }
  });
});
