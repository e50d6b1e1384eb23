import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbedder } from '../../../src/embedders/embedder-spec.js';
import { OnnxEmbedder } from '../../../src/embedders/onnx/onnx-embedder.js';
import { InvalidArgumentError, ModelError } from '../../../src/errors.js';
import { type TinyModel, type TinyModelOptions, writeTinyModel } from '../../support/tiny-model.js';

// Every model here is a real ONNX file the tests write themselves (test/support/tiny-model.ts) and
// onnxruntime runs; no model is downloaded.

let root: string;
let made = 0;

async function tinyModel(options?: TinyModelOptions, name = `model-${made++}`): Promise<TinyModel> {
  return writeTinyModel(join(root, name), options);
}

/** What the model should answer: the (masked) mean of its token rows, scaled to unit length. */
function expected(model: TinyModel, ids: number[], { withTypes = true, normalize = true } = {}): number[] {
  const rows = ids.map((id) =>
    model.wordEmbeddings[id]!.map((value, d) => value + (withTypes ? model.typeEmbeddings[0]![d]! : 0)),
  );
  const mean = rows[0]!.map((_, d) => rows.reduce((sum, row) => sum + row[d]!, 0) / rows.length);
  const norm = Math.hypot(...mean);
  return normalize ? mean.map((value) => value / norm) : mean;
}

function expectClose(actual: Float32Array, wanted: number[]): void {
  expect(actual.length).toBe(wanted.length);
  for (const [d, value] of wanted.entries()) expect(actual[d]).toBeCloseTo(value, 5);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'onnx-embedder-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('OnnxEmbedder on a tiny ONNX model built by the test', () => {
  let model: TinyModel;
  let embedder: OnnxEmbedder;

  beforeAll(async () => {
    model = await tinyModel({}, 'tiny-bert');
    embedder = await OnnxEmbedder.load({ kind: 'onnx', modelDir: model.dir });
  });
  afterAll(async () => {
    await embedder.close();
  });

  it('names the model by directory and content hash and reads the dimension off the graph', () => {
    expect(embedder.modelId).toMatch(/^onnx:tiny-bert@[0-9a-f]{12}$/);
    expect(embedder.dimension).toBe(6);
  });

  it('answers the mean of the token rows over the attention mask, at unit length', async () => {
    const [cat, playing] = await embedder.embed(['The cat sat', 'Playing cats!']);
    // [CLS] the cat sat [SEP] and [CLS] play ##ing cat ##s ! [SEP]
    expectClose(cat!, expected(model, [2, 4, 5, 6, 3]));
    expectClose(playing!, expected(model, [2, 9, 10, 5, 11, 19, 3]));
    expect(Math.hypot(...cat!)).toBeCloseTo(1, 6);
  });

  it('embeds a text the same alone and among longer texts (padding is masked out), in input order', async () => {
    const texts = Array.from({ length: 70 }, (_, i) =>
      i % 7 === 0
        ? 'cat'
        : `the dog runs on the mat ${'hello world '.repeat(i % 5)}${i % 2 ? 'cats' : 'playing'}`,
    );
    const together = await embedder.embed(texts);
    const alone = await Promise.all(texts.map(async (text) => (await embedder.embed([text]))[0]!));
    expect(together).toHaveLength(70);
    together.forEach((vector, i) => {
      expectClose(vector, Array.from(alone[i]!));
    });
    expectClose(together[0]!, expected(model, [2, 5, 3]));
  });

  it('embeds nothing into nothing', async () => {
    expect(await embedder.embed([])).toEqual([]);
  });

  it('is what createEmbedder builds for an onnx spec', async () => {
    const built = await createEmbedder({ kind: 'onnx', modelDir: model.dir });
    try {
      expect(built).toBeInstanceOf(OnnxEmbedder);
      expect(built.modelId).toBe(embedder.modelId);
    } finally {
      await built.close?.();
    }
  });
});

describe('OnnxEmbedder settings and model layouts', () => {
  it('feeds only the inputs the graph declares (onnx/model.onnx without token_type_ids)', async () => {
    const model = await tinyModel({ layout: 'onnx', inputs: ['input_ids', 'attention_mask'] });
    const embedder = await OnnxEmbedder.load({ kind: 'onnx', modelDir: model.dir });
    try {
      const [vector] = await embedder.embed(['hello world']);
      expectClose(vector!, expected(model, [2, 20, 21, 3], { withTypes: false }));
    } finally {
      await embedder.close();
    }
  });

  it('takes an already pooled sentence_embedding output as it is, then normalises it', async () => {
    const model = await tinyModel({ output: 'sentence_embedding' });
    const embedder = await OnnxEmbedder.load({ kind: 'onnx', modelDir: model.dir });
    try {
      expect(embedder.dimension).toBe(6);
      const [vector] = await embedder.embed(['dog runs']);
      expectClose(vector!, expected(model, [2, 22, 23, 3]));
    } finally {
      await embedder.close();
    }
  });

  it('pools the [CLS] vector or skips normalisation when asked, and says so in the modelId', async () => {
    const model = await tinyModel();
    const cls = await OnnxEmbedder.load({ kind: 'onnx', modelDir: model.dir, pooling: 'cls' });
    const raw = await OnnxEmbedder.load({ kind: 'onnx', modelDir: model.dir, normalize: false });
    try {
      expect(cls.modelId).toMatch(/\+cls$/);
      expect(raw.modelId).toMatch(/\+unnormalized$/);
      expectClose((await cls.embed(['the mat']))[0]!, expected(model, [2]));
      expectClose((await raw.embed(['the mat']))[0]!, expected(model, [2, 4, 8, 3], { normalize: false }));
    } finally {
      await Promise.all([cls.close(), raw.close()]);
    }
  });

  it('follows the pooling of a sentence-transformers 1_Pooling/config.json', async () => {
    const model = await tinyModel();
    await mkdir(join(model.dir, '1_Pooling'));
    await writeFile(join(model.dir, '1_Pooling', 'config.json'), '{"pooling_mode_cls_token": true}');
    const embedder = await OnnxEmbedder.load({ kind: 'onnx', modelDir: model.dir });
    try {
      expect(embedder.modelId).toMatch(/\+cls$/);
      expectClose((await embedder.embed(['dog']))[0]!, expected(model, [2]));
    } finally {
      await embedder.close();
    }
  });

  it('cuts texts to the tokens the model has positions for (config.json) and to maxTokens', async () => {
    const model = await tinyModel({ maxPositionEmbeddings: 4 });
    const fromConfig = await OnnxEmbedder.load({ kind: 'onnx', modelDir: model.dir });
    const fromSpec = await OnnxEmbedder.load({ kind: 'onnx', modelDir: model.dir, maxTokens: 3 });
    try {
      expectClose((await fromConfig.embed(['the cat sat on the mat']))[0]!, expected(model, [2, 4, 5, 3]));
      expectClose((await fromSpec.embed(['the cat sat on the mat']))[0]!, expected(model, [2, 4, 3]));
    } finally {
      await Promise.all([fromConfig.close(), fromSpec.close()]);
    }
    await expect(OnnxEmbedder.load({ kind: 'onnx', modelDir: model.dir, maxTokens: 2 })).rejects.toThrow(
      InvalidArgumentError,
    );
  });

  it('asks the graph for the dimension with a probe run when its output shape does not say', async () => {
    const model = await tinyModel({ dimension: 5, symbolicDimension: true });
    const embedder = await OnnxEmbedder.load({ kind: 'onnx', modelDir: model.dir });
    try {
      expect(embedder.dimension).toBe(5);
      expectClose((await embedder.embed(['cat']))[0]!, expected(model, [2, 5, 3]));
    } finally {
      await embedder.close();
    }
  });

  it('hashes the content: the same files under two names share the hash, other weights change it', async () => {
    const a = await tinyModel({}, 'same-a');
    const b = await tinyModel({}, 'same-b');
    const wider = await tinyModel({ dimension: 8 }, 'wider');
    const ids = await Promise.all(
      [a, b, wider].map(async (model) => {
        const embedder = await OnnxEmbedder.load({ kind: 'onnx', modelDir: model.dir });
        await embedder.close();
        return embedder.modelId;
      }),
    );
    const hash = (id: string) => id.split('@')[1];
    expect(ids[0]).toBe(`onnx:${basename(a.dir)}@${hash(ids[0]!)}`);
    expect(hash(ids[0]!)).toBe(hash(ids[1]!));
    expect(hash(ids[2]!)).not.toBe(hash(ids[0]!));
  });
});

describe('OnnxEmbedder refuses what it cannot load, naming what is wrong', () => {
  it('a missing directory, model file or tokenizer', async () => {
    await expect(OnnxEmbedder.load({ kind: 'onnx', modelDir: join(root, 'nowhere') })).rejects.toThrow(
      /model directory .*nowhere does not exist/,
    );
    const noTokenizer = await tinyModel({ withoutTokenizer: true });
    await expect(OnnxEmbedder.load({ kind: 'onnx', modelDir: noTokenizer.dir })).rejects.toThrow(
      /holds no tokenizer\.json/,
    );
    const noModel = await mkdtemp(join(root, 'empty-'));
    const attempt = OnnxEmbedder.load({ kind: 'onnx', modelDir: noModel });
    await expect(attempt).rejects.toThrow(ModelError);
    await expect(attempt).rejects.toThrow(/holds no model\.onnx or onnx\/model\.onnx/);
  });

  it('a model file onnxruntime cannot read', async () => {
    const model = await tinyModel();
    await writeFile(join(model.dir, 'model.onnx'), 'not a protobuf at all');
    await expect(OnnxEmbedder.load({ kind: 'onnx', modelDir: model.dir })).rejects.toThrow(
      /onnxruntime cannot load .*model\.onnx/,
    );
  });

  it('a graph that is not a text encoder', async () => {
    const images = await tinyModel({ inputs: ['pixel_values'] });
    await expect(OnnxEmbedder.load({ kind: 'onnx', modelDir: images.dir })).rejects.toThrow(
      /graph input pixel_values is not a sentence-encoder input/,
    );
  });

  it('a tokenizer that is not WordPiece', async () => {
    const model = await tinyModel({ tokenizerModel: { type: 'Unigram', vocab: [] } });
    await expect(OnnxEmbedder.load({ kind: 'onnx', modelDir: model.dir })).rejects.toThrow(
      /tokenizer model "Unigram" is not supported/,
    );
  });
});
