import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ElementType, floatTensor, modelProto, node, tensorInfo } from './onnx-protobuf.js';

/** The tiny WordPiece vocabulary of the test model, in id order. */
export const TINY_VOCABULARY = [
  '[PAD]',
  '[UNK]',
  '[CLS]',
  '[SEP]',
  'the',
  'cat',
  'sat',
  'on',
  'mat',
  'play',
  '##ing',
  '##s',
  'caf',
  '##e',
  'un',
  '##know',
  '##n',
  ',',
  '.',
  '!',
  'hello',
  'world',
  'dog',
  'runs',
] as const;

/** What a tiny model directory holds, for hand computations in tests. */
export interface TinyModel {
  dir: string;
  dimension: number;
  /** Row `id` is the vector of token `id` (what the graph's Gather picks). */
  wordEmbeddings: number[][];
  /** Row `t` is added to every token of type `t` (when the graph takes `token_type_ids`). */
  typeEmbeddings: number[][];
}

/** How to build a tiny model directory. */
export interface TinyModelOptions {
  /** Graph inputs, in order (default: BERT's three); the first holds the token ids the graph looks up. */
  inputs?: string[];
  /** `last_hidden_state` (per token, default) or `sentence_embedding` (already mean-pooled, unmasked). */
  output?: 'last_hidden_state' | 'sentence_embedding';
  /** `model.onnx` at the top (default) or under `onnx/` as Optimum exports it. */
  layout?: 'root' | 'onnx';
  dimension?: number;
  /** Declares the output's last dimension by a name instead of its size (so only a run tells it). */
  symbolicDimension?: boolean;
  /** Writes a `config.json` with this `max_position_embeddings`. */
  maxPositionEmbeddings?: number;
  /** Overrides the tokenizer's normalizer section. */
  normalizer?: unknown;
  /** Overrides the tokenizer's model section (e.g. to write a BPE tokenizer). */
  tokenizerModel?: unknown;
  /** Leaves `tokenizer.json` out. */
  withoutTokenizer?: boolean;
}

/** A deterministic, non-trivial value for row `row`, column `column` (no two rows alike, no zero rows). */
function weight(row: number, column: number, salt: number): number {
  return Math.round(Math.sin((row + 1) * 12.9898 + (column + 1) * 78.233 + salt) * 1000) / 1000;
}

/**
 * Writes a small REAL ONNX sentence-encoder directory that onnxruntime runs: the graph looks up each
 * token's row of an embedding matrix (Gather), adds a token-type row (Add) and outputs
 * `last_hidden_state` [batch, sequence, dimension] (or its unmasked mean over the sequence as
 * `sentence_embedding`), plus a WordPiece `tokenizer.json` over `TINY_VOCABULARY`.
 * Padding positions get the `[PAD]` row (non-zero), so pooling that ignored the mask would show.
 */
export async function writeTinyModel(dir: string, options: TinyModelOptions = {}): Promise<TinyModel> {
  const dimension = options.dimension ?? 6;
  const inputs = options.inputs ?? ['input_ids', 'attention_mask', 'token_type_ids'];
  const wordEmbeddings = TINY_VOCABULARY.map((_, row) =>
    Array.from({ length: dimension }, (_, column) => weight(row, column, 0)),
  );
  const typeEmbeddings = [0, 1].map((row) =>
    Array.from({ length: dimension }, (_, column) => weight(row, column, 3) / 4),
  );
  const withTypes = inputs.includes('token_type_ids');
  const nodes = [node('Gather', ['word_embeddings', inputs[0]!], [withTypes ? 'words' : 'hidden'])];
  if (withTypes) {
    nodes.push(node('Gather', ['type_embeddings', 'token_type_ids'], ['types']));
    nodes.push(node('Add', ['words', 'types'], ['hidden']));
  }
  const output = options.output ?? 'last_hidden_state';
  const lastDimension = options.symbolicDimension ? 'hidden_size' : dimension;
  if (output === 'last_hidden_state') {
    nodes.push(node('Identity', ['hidden'], ['last_hidden_state']));
  } else {
    nodes.push(
      node(
        'ReduceMean',
        ['hidden'],
        ['sentence_embedding'],
        [
          { name: 'axes', ints: [1] },
          { name: 'keepdims', int: 0 },
        ],
      ),
    );
  }
  const initializers = [
    floatTensor('word_embeddings', [TINY_VOCABULARY.length, dimension], wordEmbeddings.flat()),
  ];
  if (withTypes) initializers.push(floatTensor('type_embeddings', [2, dimension], typeEmbeddings.flat()));
  const model = modelProto({
    nodes,
    initializers,
    inputs: inputs.map((name) => tensorInfo(name, ElementType.int64, ['batch', 'sequence'])),
    outputs: [
      output === 'last_hidden_state'
        ? tensorInfo(output, ElementType.float, ['batch', 'sequence', lastDimension])
        : tensorInfo(output, ElementType.float, ['batch', lastDimension]),
    ],
  });

  const modelDir = options.layout === 'onnx' ? join(dir, 'onnx') : dir;
  await mkdir(modelDir, { recursive: true });
  await writeFile(join(modelDir, 'model.onnx'), model);
  if (!options.withoutTokenizer) {
    await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tinyTokenizerJson(options), null, 2));
  }
  if (options.maxPositionEmbeddings !== undefined) {
    await writeFile(
      join(dir, 'config.json'),
      JSON.stringify({ model_type: 'bert', max_position_embeddings: options.maxPositionEmbeddings }),
    );
  }
  return { dir, dimension, wordEmbeddings, typeEmbeddings };
}

/** A Hugging Face `tokenizer.json` as BERT exports write it, over `TINY_VOCABULARY`. */
export function tinyTokenizerJson(
  options: Pick<TinyModelOptions, 'normalizer' | 'tokenizerModel'> = {},
): unknown {
  const id = (token: string) => TINY_VOCABULARY.indexOf(token as (typeof TINY_VOCABULARY)[number]);
  const special = (token: string) => ({
    id: id(token),
    content: token,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]'].map(special),
    normalizer: options.normalizer ?? {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [id('[CLS]')], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [id('[SEP]')], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: options.tokenizerModel ?? {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(TINY_VOCABULARY.map((token, index) => [token, index])),
    },
  };
}
