import { ConcurrencyLimiter } from '@isthmus/storage';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { InvalidArgumentError, ModelError } from '../../errors.js';
import { checkEmbeddings, type Embedder } from '../embedder.js';
import type { OnnxSpec } from '../embedder-spec.js';
import { readModelDirectory } from './model-directory.js';
import { normalizeL2, type Pooling, poolTokens } from './pooling.js';
import { type Encoding, WordPieceTokenizer } from './wordpiece-tokenizer.js';

/** Texts per `session.run`. */
const BATCH_SIZE = 32;
/** Token limit when neither the spec nor `sentence_bert_config.json` says. */
const DEFAULT_MAX_TOKENS = 256;
/** The graph inputs this embedder knows how to fill. */
const FEEDABLE_INPUTS = ['input_ids', 'attention_mask', 'token_type_ids', 'position_ids'];
/** Outputs looked for in this order; otherwise the graph's first output. */
const PREFERRED_OUTPUTS = ['last_hidden_state', 'token_embeddings', 'sentence_embedding'];

type IntegerInputType = 'int64' | 'int32';

/** What `load` settled from the spec, the directory and the graph. */
interface OnnxSettings {
  modelId: string;
  inputs: ReadonlyMap<string, IntegerInputType>;
  output: string;
  pooling: Pooling;
  normalize: boolean;
  maxTokens: number;
}

/**
 * A sentence-embedding ONNX model from a local directory (sentence-transformers/Optimum export:
 * `model.onnx` or `onnx/model.onnx`, a WordPiece `tokenizer.json`, optional `config.json`,
 * `sentence_bert_config.json`, `1_Pooling/config.json`) run on onnxruntime's CPU provider: texts are
 * tokenized here, fed in batches padded to their longest text, token vectors mean-pooled over the
 * attention mask (or the `[CLS]` vector taken), then scaled to unit length.
 *
 * `modelId` is `onnx:<directory name>@<12 hex digits of SHA-256 over model.onnx + tokenizer.json>`,
 * with `+cls` / `+unnormalized` appended when pooling or normalisation differ from mean/unit length.
 */
export class OnnxEmbedder implements Embedder {
  readonly modelId: string;
  /** One `run` at a time: onnxruntime already uses every core for one. */
  readonly #runs = new ConcurrencyLimiter(1);
  #dimension = 0;

  private constructor(
    private readonly session: InferenceSession,
    private readonly tokenizer: WordPieceTokenizer,
    private readonly settings: OnnxSettings,
  ) {
    this.modelId = settings.modelId;
  }

  /** The vector length: the graph output's last dimension, or what a probe run answered. */
  get dimension(): number {
    return this.#dimension;
  }

  /**
   * Loads the model a spec names.
   * @throws {ModelError} when a file is missing or unreadable, or the graph lacks the inputs/outputs
   *   of a sentence encoder (naming what is missing).
   * @throws {InvalidArgumentError} for a `maxTokens` that leaves no room for text.
   */
  static async load(spec: OnnxSpec): Promise<OnnxEmbedder> {
    const files = await readModelDirectory(spec.modelDir);
    const tokenizer = WordPieceTokenizer.fromJson(files.tokenizer, `${files.dir}/tokenizer.json`);
    const requested = spec.maxTokens ?? files.maxSequenceLength ?? DEFAULT_MAX_TOKENS;
    if (!Number.isSafeInteger(requested) || requested <= tokenizer.specialTokenCount) {
      throw new InvalidArgumentError(
        `maxTokens must be an integer above the ${tokenizer.specialTokenCount} special tokens, got ${requested}`,
      );
    }
    let session: InferenceSession;
    try {
      session = await InferenceSession.create(files.modelPath);
    } catch (error) {
      throw new ModelError(`onnxruntime cannot load ${files.modelPath}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    try {
      const pooling = spec.pooling ?? files.pooling ?? 'mean';
      const normalize = spec.normalize ?? true;
      const settings: OnnxSettings = {
        modelId: `onnx:${files.name}@${files.contentHash}${pooling === 'cls' ? '+cls' : ''}${normalize ? '' : '+unnormalized'}`,
        inputs: graphInputs(session, files.modelPath),
        output: graphOutput(session, files.modelPath),
        pooling,
        normalize,
        maxTokens: Math.min(requested, files.maxPositionEmbeddings ?? Number.POSITIVE_INFINITY),
      };
      const embedder = new OnnxEmbedder(session, tokenizer, settings);
      const declared = outputShape(session, settings.output).at(-1);
      embedder.#dimension =
        typeof declared === 'number' && declared > 0
          ? declared
          : (await embedder.runBatch([embedder.encode('')]))[0]!.length;
      return embedder;
    } catch (error) {
      await session.release();
      throw error;
    }
  }

  /** Embeds `texts`, longest first in batches of 32 so that little padding is computed; results in input order. */
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const encodings = texts.map((text) => this.encode(text));
    const order = encodings
      .map((_, index) => index)
      .sort((a, b) => encodings[b]!.ids.length - encodings[a]!.ids.length);
    const vectors = new Array<Float32Array>(texts.length);
    for (let start = 0; start < order.length; start += BATCH_SIZE) {
      const batch = order.slice(start, start + BATCH_SIZE);
      const pooled = await this.runBatch(batch.map((index) => encodings[index]!));
      batch.forEach((index, row) => {
        vectors[index] = pooled[row]!;
      });
    }
    return checkEmbeddings(this.modelId, this.dimension, texts, vectors);
  }

  /** Releases the onnxruntime session. */
  async close(): Promise<void> {
    await this.session.release();
  }

  private encode(text: string): Encoding {
    return this.tokenizer.encode(text, this.settings.maxTokens);
  }

  private async runBatch(encodings: Encoding[]): Promise<Float32Array[]> {
    const batch = encodings.length;
    const sequence = Math.max(...encodings.map((encoding) => encoding.ids.length));
    const columns = {
      input_ids: new Array<number>(batch * sequence).fill(this.tokenizer.padId),
      attention_mask: new Array<number>(batch * sequence).fill(0),
      token_type_ids: new Array<number>(batch * sequence).fill(this.tokenizer.padTypeId),
      position_ids: Array.from({ length: batch * sequence }, (_, at) => at % sequence),
    };
    encodings.forEach((encoding, row) => {
      encoding.ids.forEach((id, position) => {
        const at = row * sequence + position;
        columns.input_ids[at] = id;
        columns.attention_mask[at] = 1;
        columns.token_type_ids[at] = encoding.typeIds[position]!;
      });
    });
    const feeds: Record<string, Tensor> = {};
    for (const [name, type] of this.settings.inputs) {
      const values = columns[name as keyof typeof columns];
      const data = type === 'int64' ? BigInt64Array.from(values, BigInt) : Int32Array.from(values);
      feeds[name] = new Tensor(type, data, [batch, sequence]);
    }
    const { output } = this.settings;
    const result = (await this.#runs.run(() => this.session.run(feeds, [output])))[output]!;
    const data = result.data as Float32Array;
    const dims = result.dims;
    let vectors: Float32Array[];
    if (dims.length === 3 && dims[0] === batch && dims[1] === sequence) {
      const shape = { batch, sequence, dimension: dims[2]! };
      vectors = poolTokens(data, columns.attention_mask, shape, this.settings.pooling);
    } else if (dims.length === 2 && dims[0] === batch) {
      vectors = Array.from({ length: batch }, (_, row) => data.slice(row * dims[1]!, (row + 1) * dims[1]!));
    } else {
      throw new ModelError(
        `${this.modelId}: output ${output} has shape [${dims.join(', ')}] for a batch of ${batch} × ${sequence} tokens`,
      );
    }
    return this.settings.normalize ? vectors.map(normalizeL2) : vectors;
  }
}

/** The graph's inputs with their integer types, when they are all ones this embedder can fill. */
function graphInputs(session: InferenceSession, modelPath: string): Map<string, IntegerInputType> {
  const inputs = new Map<string, IntegerInputType>();
  for (const input of session.inputMetadata) {
    if (!FEEDABLE_INPUTS.includes(input.name)) {
      throw new ModelError(
        `${modelPath}: graph input ${input.name} is not a sentence-encoder input (${FEEDABLE_INPUTS.join(', ')})`,
      );
    }
    const type = input.isTensor ? input.type : 'non-tensor';
    if (type !== 'int64' && type !== 'int32') {
      throw new ModelError(`${modelPath}: graph input ${input.name} is ${type}, expected int64 or int32`);
    }
    inputs.set(input.name, type);
  }
  if (!inputs.has('input_ids')) {
    throw new ModelError(
      `${modelPath}: the graph has no input_ids input (it has ${session.inputNames.join(', ')})`,
    );
  }
  return inputs;
}

/** The output holding token vectors (or pooled ones), checked to be float32 of rank 3 (or 2). */
function graphOutput(session: InferenceSession, modelPath: string): string {
  const name =
    PREFERRED_OUTPUTS.find((output) => session.outputNames.includes(output)) ?? session.outputNames[0];
  if (name === undefined) throw new ModelError(`${modelPath}: the graph has no outputs`);
  const metadata = session.outputMetadata.find((output) => output.name === name)!;
  if (!metadata.isTensor || metadata.type !== 'float32') {
    throw new ModelError(`${modelPath}: graph output ${name} is not a float32 tensor`);
  }
  const rank = metadata.shape.length;
  if (rank !== 0 && rank !== 2 && rank !== 3) {
    throw new ModelError(
      `${modelPath}: graph output ${name} has rank ${rank}, expected [batch, sequence, dimension] or [batch, dimension]`,
    );
  }
  return name;
}

function outputShape(session: InferenceSession, output: string): ReadonlyArray<number | string> {
  const metadata = session.outputMetadata.find((candidate) => candidate.name === output);
  return metadata?.isTensor ? metadata.shape : [];
}
