import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../embedders/embedder.js';
import {
  type ConformanceTextKind,
  conformanceTexts,
  PARAPHRASE_TRIPLES,
  type SimilarityTriple,
  variedTexts,
} from './conformance-texts.js';

/** How to run the conformance suite against one `Embedder`. */
export interface EmbedderConformanceOptions {
  /** Makes the embedder under test, called once before the suite's tests. */
  open(): Promise<Embedder>;
  /** Called once after the tests, after `embedder.close?.()`: releases what `open` made (a server, a directory). */
  cleanup?(embedder: Embedder): Promise<void>;
  /**
   * Largest relative distance `‖a − b‖ / max(‖a‖, ‖b‖)` between two embeddings of the same text
   * (twice, alone or in a batch, concurrently) that still counts as the same vector (default 1e-5:
   * float rounding of batched kernels; 0 demands bit-identical vectors). Raise it for a remote
   * model that is not deterministic.
   */
  tolerance?: number;
  /** Length of the `long` text, in characters (default 20,000). */
  longTextChars?: number;
  /**
   * The kinds of text the embedder refuses on purpose (documented), each with the `code` of the
   * error it rejects with, e.g. `{ empty: 'ERR_VECTORS_ENDPOINT' }`: the suite then expects that
   * error instead of a vector, and leaves the text out of its other tests.
   */
  documentedErrors?: Partial<Record<ConformanceTextKind, string>>;
  /**
   * Opt-in for models of meaning: `true` checks that each anchor of `PARAPHRASE_TRIPLES` is nearer
   * (by cosine) to its paraphrase than to the unrelated text; or give your own triples.
   */
  similarity?: true | readonly SimilarityTriple[];
}

/** Texts in the batch-invariance test's batch: more than one request or `session.run` of most embedders. */
const BATCH_TEXTS = 70;
/** Embedding calls the concurrency test starts at once. */
const CONCURRENT_CALLS = 4;

/** Relative Euclidean distance of two vectors; 0 for two zero vectors. */
function relativeDistance(a: Float32Array, b: Float32Array): number {
  let difference = 0;
  let normA = 0;
  let normB = 0;
  for (let d = 0; d < a.length; d++) {
    difference += (a[d]! - b[d]!) ** 2;
    normA += a[d]! ** 2;
    normB += b[d]! ** 2;
  }
  const scale = Math.sqrt(Math.max(normA, normB));
  return scale === 0 ? Math.sqrt(difference) : Math.sqrt(difference) / scale;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let d = 0; d < a.length; d++) {
    dot += a[d]! * b[d]!;
    normA += a[d]! ** 2;
    normB += b[d]! ** 2;
  }
  return dot / Math.sqrt(normA * normB);
}

/**
 * Declares the behaviour every `Embedder` must share, as a vitest `describe` block: a positive
 * integer `dimension` and a stable, non-empty `modelId`; `embed([])` is `[]`; one vector of
 * `dimension` finite numbers per text, in input order; different texts, different vectors; the same
 * text gives the same vector twice, alone or anywhere in a batch of varied lengths, and under
 * concurrent calls (within `tolerance`); long texts and unusual ones (emoji, combining accents,
 * right-to-left and other scripts, white space or punctuation only, empty) embed to finite vectors
 * unless `documentedErrors` says otherwise; similar texts nearer than unrelated ones only with
 * `similarity`. Call it from a test file with a factory for your embedder:
 *
 * ```ts
 * describeEmbedderConformance('my embedder', { open: async () => new MyEmbedder(...) });
 * ```
 */
export function describeEmbedderConformance(name: string, options: EmbedderConformanceOptions): void {
  const tolerance = options.tolerance ?? 1e-5;
  const documentedErrors = options.documentedErrors ?? {};
  const texts = conformanceTexts(options.longTextChars ?? 20_000);
  const kinds = Object.keys(texts) as ConformanceTextKind[];
  /** The unusual texts the embedder must embed (those it does not refuse on purpose). */
  const accepted = kinds.filter((kind) => documentedErrors[kind] === undefined).map((kind) => texts[kind]);

  describe(`Embedder conformance: ${name}`, () => {
    let embedder: Embedder | undefined;
    /** The embedder under test (made before the first test). */
    const subject = (): Embedder => {
      if (!embedder) throw new Error('the embedder under test was not made');
      return embedder;
    };
    /** `texts`' vectors, checked: one per text, each a Float32Array of `dimension` finite numbers. */
    const embedChecked = async (batch: readonly string[]): Promise<Float32Array[]> => {
      const { dimension, modelId } = subject();
      const vectors = await subject().embed(batch);
      expect(Array.isArray(vectors), `${modelId} answers an array`).toBe(true);
      expect(vectors, `${modelId}: one vector per text`).toHaveLength(batch.length);
      vectors.forEach((vector, index) => {
        expect(vector, `${modelId}: vector ${index} is a Float32Array`).toBeInstanceOf(Float32Array);
        expect(vector.length, `${modelId}: length of vector ${index}`).toBe(dimension);
        const bad = vector.findIndex((value) => !Number.isFinite(value));
        expect(bad, `${modelId}: vector ${index} holds ${vector[bad]} at ${bad}`).toBe(-1);
      });
      return vectors;
    };
    const expectSame = (actual: Float32Array, expected: Float32Array, what: string): void => {
      expect(relativeDistance(actual, expected), what).toBeLessThanOrEqual(tolerance);
    };

    beforeAll(async () => {
      embedder = await options.open();
    });
    afterAll(async () => {
      if (!embedder) return;
      await embedder.close?.();
      await options.cleanup?.(embedder);
    });

    it('has a positive integer dimension and a non-empty modelId, both stable', async () => {
      const { dimension, modelId } = subject();
      expect(Number.isSafeInteger(dimension) && dimension > 0, `dimension ${dimension}`).toBe(true);
      expect(typeof modelId).toBe('string');
      expect(modelId.trim()).not.toBe('');
      await embedChecked(['the cat sat on the mat.', texts.long]);
      expect(subject().dimension).toBe(dimension);
      expect(subject().modelId).toBe(modelId);
    });

    it('embeds no texts into no vectors', async () => {
      expect(await subject().embed([])).toEqual([]);
    });

    it('answers one vector per text, in input order, different texts with different vectors', async () => {
      const batch = ['the cat sat on the mat.', 'hello world, the dog runs!', 'Rain is expected tomorrow.'];
      const together = await embedChecked(batch);
      for (const [i, text] of batch.entries()) {
        const [alone] = await embedChecked([text]);
        expectSame(together[i]!, alone!, `text ${i} of the batch vs the same text alone`);
        for (let j = 0; j < i; j++) {
          expect(relativeDistance(together[i]!, together[j]!), `texts ${j} and ${i}`).toBeGreaterThan(
            Math.max(10 * tolerance, 1e-3),
          );
        }
      }
    });

    it('is deterministic: the same texts give the same vectors, twice and twice in one batch', async () => {
      const batch = [...variedTexts(6), ...accepted];
      const once = await embedChecked(batch);
      const twice = await embedChecked(batch);
      batch.forEach((_, i) => {
        expectSame(twice[i]!, once[i]!, `text ${i} embedded again`);
      });
      const [alpha, beta, alphaAgain] = await embedChecked([batch[0]!, batch[1]!, batch[0]!]);
      expectSame(alphaAgain!, alpha!, 'the same text twice in one batch');
      expectSame(beta!, once[1]!, 'a text between two copies of another');
    });

    it(`embeds a text the same alone and anywhere in a batch of ${BATCH_TEXTS} texts of varied lengths`, async () => {
      const batch = variedTexts(BATCH_TEXTS);
      // the longest and the unusual texts among the short ones, so that batches mix lengths
      accepted.forEach((text, i) => {
        batch[5 + 7 * i] = text;
      });
      const together = await embedChecked(batch);
      const reversed = (await embedChecked([...batch].reverse())).reverse();
      const probes = batch.flatMap((_, i) => (i % 9 === 0 || (i >= 5 && (i - 5) % 7 === 0) ? [i] : []));
      for (const i of probes) {
        const [alone] = await embedChecked([batch[i]!]);
        expectSame(together[i]!, alone!, `text ${i} in the batch vs alone`);
      }
      batch.forEach((_, i) => {
        expectSame(reversed[i]!, together[i]!, `text ${i} at position ${i} vs ${BATCH_TEXTS - 1 - i}`);
      });
    });

    it(`gives the same vectors to ${CONCURRENT_CALLS} concurrent calls as to one call after another`, async () => {
      const batches = Array.from({ length: CONCURRENT_CALLS }, (_, call) =>
        variedTexts(8 + call).slice(call),
      );
      const concurrent = await Promise.all(batches.map((batch) => embedChecked(batch)));
      for (const [call, batch] of batches.entries()) {
        const sequential = await embedChecked(batch);
        sequential.forEach((vector, i) => {
          expectSame(concurrent[call]![i]!, vector, `call ${call}, text ${i}`);
        });
      }
    });

    describe.each(kinds.map((kind) => [kind, documentedErrors[kind]] as const))(
      'a text of kind: %s',
      (kind, code) => {
        if (code === undefined) {
          it('embeds to a finite vector, the same alone and next to an everyday text', async () => {
            const [alone] = await embedChecked([texts[kind]]);
            const [, inBatch] = await embedChecked(['the cat sat on the mat.', texts[kind]]);
            expectSame(inBatch!, alone!, `the ${kind} text in a batch vs alone`);
          });
        } else {
          it(`is refused with the documented ${code}`, async () => {
            await expect(subject().embed([texts[kind]])).rejects.toMatchObject({ code });
          });
        }
      },
    );

    if (options.similarity !== undefined) {
      const triples = options.similarity === true ? PARAPHRASE_TRIPLES : options.similarity;
      it.each(triples.map((triple) => [triple.anchor, triple] as const))(
        'puts "%s" nearer to its paraphrase than to an unrelated text',
        async (_anchor, { anchor, similar, unrelated }) => {
          const [a, s, u] = await embedChecked([anchor, similar, unrelated]);
          expect(cosine(a!, s!)).toBeGreaterThan(cosine(a!, u!));
        },
      );
    }
  });
}
