/**
 * `@isthmus/vectors/testing`: the conformance suite every `Embedder` must pass, for running against
 * your own embedder in vitest. It takes the embedder as an argument (a factory), so a third party
 * can run it against a model of its own.
 */
export {
  type ConformanceTextKind,
  PARAPHRASE_TRIPLES,
  type SimilarityTriple,
} from './conformance-texts.js';
export { describeEmbedderConformance, type EmbedderConformanceOptions } from './embedder-conformance.js';
