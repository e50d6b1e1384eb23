import { InvalidArgumentError } from '../errors.js';
import type { Embedder } from './embedder.js';

/**
 * An embedder as plain JSON, so that functions on any backend can build the same one
 * (`createEmbedder(spec)`); what ingest, search and the CLI pass around.
 */
export type EmbedderSpec = WordVectorsSpec | OnnxSpec | OpenAiSpec;

/** The default offline model: word vectors with smooth-inverse-frequency passage weighting. */
export interface WordVectorsSpec {
  kind: 'word-vectors';
  /** Where the compact binary cache lives (default: `$ISTHMUS_CACHE_DIR` or `~/.cache/isthmus`). */
  cacheDir?: string;
}

/** A sentence-embedding ONNX model from a local directory (`model.onnx` or `onnx/model.onnx`, `tokenizer.json`). */
export interface OnnxSpec {
  kind: 'onnx';
  /** The model's directory. */
  modelDir: string;
  /** How token vectors become one vector (default `mean`). */
  pooling?: 'mean' | 'cls';
  /** Scale vectors to unit length (default true). */
  normalize?: boolean;
  /** Longest token sequence fed to the model (default 256). */
  maxTokens?: number;
}

/** An OpenAI-compatible `/v1/embeddings` endpoint (vLLM, TEI, llama.cpp, OpenAI, this project's gateway). */
export interface OpenAiSpec {
  kind: 'openai';
  /** The base URL, e.g. `http://127.0.0.1:8080/v1`. */
  baseUrl: string;
  /** The model name the endpoint serves. */
  model: string;
  /** The vector length; asked of the endpoint with one probe request when omitted. */
  dimension?: number;
  /** Name of the environment variable holding the API key (keys never travel in specs). */
  apiKeyEnv?: string;
  /** Texts per request (default 64). */
  batchSize?: number;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Attempts per request on 429/5xx/network errors (default 5). */
  maxAttempts?: number;
}

/** Builds the embedder a spec describes, loading only the implementation it names. */
export async function createEmbedder(spec: EmbedderSpec): Promise<Embedder> {
  switch (spec.kind) {
    case 'word-vectors': {
      const { WordVectorEmbedder } = await import('./word-vectors/word-vector-embedder.js');
      return WordVectorEmbedder.load(spec);
    }
    case 'onnx': {
      const { OnnxEmbedder } = await import('./onnx/onnx-embedder.js');
      return OnnxEmbedder.load(spec);
    }
    case 'openai': {
      const { OpenAiEmbedder } = await import('./openai/openai-embedder.js');
      return OpenAiEmbedder.connect(spec);
    }
    default:
      throw new InvalidArgumentError(
        `unknown embedder kind ${JSON.stringify((spec as { kind: unknown }).kind)}`,
      );
  }
}
