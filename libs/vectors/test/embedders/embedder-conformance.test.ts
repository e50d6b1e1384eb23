import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEmbedderConformance } from '@isthmus/vectors/testing';
import { OnnxEmbedder } from '../../src/embedders/onnx/onnx-embedder.js';
import { OpenAiEmbedder } from '../../src/embedders/openai/openai-embedder.js';
import {
  WORD_VECTORS_MODEL_ID,
  WordVectorEmbedder,
} from '../../src/embedders/word-vectors/word-vector-embedder.js';
import { embeddingsEndpoint } from '../../src/server/embeddings-endpoint.js';
import { type LoopbackServer, serveOnLoopback } from '../support/loopback-server.js';
import { writeTinyModel } from '../support/tiny-model.js';

// The three embedders this library ships, each against the real thing: the shared word-vector cache
// (converted on a machine's first run only), an ONNX model the test writes and onnxruntime runs, and
// the OpenAI client talking HTTP to this library's endpoint on loopback. All three are exact:
// tolerance 0.

describeEmbedderConformance('WordVectorEmbedder (the real wink vectors)', {
  open: () => WordVectorEmbedder.load(),
  tolerance: 0,
  similarity: true,
});

let onnxDir: string;
describeEmbedderConformance('OnnxEmbedder (a tiny ONNX model written by the test)', {
  async open() {
    onnxDir = await mkdtemp(join(tmpdir(), 'onnx-conformance-'));
    const model = await writeTinyModel(onnxDir);
    return OnnxEmbedder.load({ kind: 'onnx', modelDir: model.dir });
  },
  cleanup: () => rm(onnxDir, { recursive: true, force: true }),
  tolerance: 0,
});

let server: LoopbackServer;
describeEmbedderConformance('OpenAiEmbedder against embeddingsEndpoint (word vectors) on loopback', {
  async open() {
    server = await serveOnLoopback(embeddingsEndpoint(await WordVectorEmbedder.load()));
    // batches of 16: the suite's batches take several requests, answered concurrently
    return OpenAiEmbedder.connect({
      kind: 'openai',
      baseUrl: `${server.url}/v1`,
      model: WORD_VECTORS_MODEL_ID,
      batchSize: 16,
    });
  },
  cleanup: () => server.close(),
  tolerance: 0,
  // like OpenAI's API, the endpoint answers an empty input with 400, which the client does not retry
  documentedErrors: { empty: 'ERR_VECTORS_ENDPOINT' },
  similarity: true,
});
