import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { ModelError } from '../../errors.js';

/** The files of a sentence-embedding model directory, as sentence-transformers/Optimum export it. */
export interface ModelDirectory {
  /** The directory, absolute. */
  dir: string;
  /** `model.onnx` or `onnx/model.onnx`. */
  modelPath: string;
  /** The parsed `tokenizer.json`. */
  tokenizer: unknown;
  /** `config.json`'s `max_position_embeddings`, when the file says. */
  maxPositionEmbeddings: number | undefined;
  /** `sentence_bert_config.json`'s `max_seq_length`, when the file says. */
  maxSequenceLength: number | undefined;
  /** The pooling `1_Pooling/config.json` asks for (`cls` or `mean`), when the file says. */
  pooling: 'mean' | 'cls' | undefined;
  /** First 12 hex digits of SHA-256 over the model file, then `tokenizer.json`. */
  contentHash: string;
  /** The directory's base name. */
  name: string;
}

const MODEL_CANDIDATES = ['model.onnx', join('onnx', 'model.onnx')];

/**
 * Finds and reads a model directory's files.
 * @throws {ModelError} naming what is missing or unreadable.
 */
export async function readModelDirectory(modelDir: string): Promise<ModelDirectory> {
  const dir = resolve(modelDir);
  if (!(await isDirectory(dir))) throw new ModelError(`model directory ${dir} does not exist`);
  let modelPath: string | undefined;
  for (const candidate of MODEL_CANDIDATES) {
    if (await isFile(join(dir, candidate))) {
      modelPath = join(dir, candidate);
      break;
    }
  }
  if (!modelPath) throw new ModelError(`${dir} holds no ${MODEL_CANDIDATES.join(' or ')}`);
  const tokenizerPath = join(dir, 'tokenizer.json');
  const tokenizerText = await readOptional(tokenizerPath);
  if (tokenizerText === undefined) throw new ModelError(`${dir} holds no tokenizer.json`);
  const config = (await readJson(join(dir, 'config.json'))) ?? {};
  const sentenceConfig = (await readJson(join(dir, 'sentence_bert_config.json'))) ?? {};
  const poolingConfig = (await readJson(join(dir, '1_Pooling', 'config.json'))) ?? {};
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(modelPath)) hash.update(chunk as Buffer);
  hash.update(tokenizerText);
  return {
    dir,
    modelPath,
    tokenizer: parseJson(tokenizerText, tokenizerPath),
    maxPositionEmbeddings: positiveInteger(config.max_position_embeddings),
    maxSequenceLength: positiveInteger(sentenceConfig.max_seq_length),
    pooling: poolingConfig.pooling_mode_cls_token
      ? 'cls'
      : poolingConfig.pooling_mode_mean_tokens
        ? 'mean'
        : undefined,
    contentHash: hash.digest('hex').slice(0, 12),
    name: basename(dir),
  };
}

function positiveInteger(value: unknown): number | undefined {
  return Number.isSafeInteger(value) && (value as number) > 0 ? (value as number) : undefined;
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ModelError(`cannot read ${path}`, { cause: error });
  }
}

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  const text = await readOptional(path);
  return text === undefined ? undefined : (parseJson(text, path) as Record<string, unknown>);
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ModelError(`${path} is not valid JSON`, { cause: error });
  }
}
