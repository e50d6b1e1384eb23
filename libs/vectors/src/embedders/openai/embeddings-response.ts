import { BadEmbeddingsError } from '../../errors.js';
import { base64ToFloat32 } from './float32-base64.js';

/**
 * Reads the body of a successful `/v1/embeddings` answer: `data[]` items put in order by their
 * `index`, each `embedding` a list of numbers (or base64 float32). Count, dimension and finiteness
 * are checked by the caller (`checkEmbeddings`).
 * @throws {BadEmbeddingsError} when the body is not JSON, has no `data` list, repeats or skips an
 *   index, or an embedding holds something other than numbers.
 */
export function parseEmbeddingsResponse(modelId: string, body: string, expected: number): Float32Array[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new BadEmbeddingsError(`${modelId}: the endpoint's answer is not JSON: ${body.slice(0, 120)}`);
  }
  const data = (parsed as { data?: unknown } | null)?.data;
  if (!Array.isArray(data))
    throw new BadEmbeddingsError(`${modelId}: the endpoint's answer has no data list`);
  if (data.length !== expected) {
    throw new BadEmbeddingsError(`${modelId} returned ${data.length} vectors for ${expected} texts`);
  }
  const vectors = new Array<Float32Array>(data.length);
  for (const [position, item] of data.entries()) {
    const { index = position, embedding } = (item ?? {}) as { index?: unknown; embedding?: unknown };
    if (!Number.isSafeInteger(index) || (index as number) < 0 || (index as number) >= data.length) {
      throw new BadEmbeddingsError(`${modelId}: data item ${position} has index ${JSON.stringify(index)}`);
    }
    if (vectors[index as number]) throw new BadEmbeddingsError(`${modelId}: index ${index} answered twice`);
    vectors[index as number] = toVector(modelId, index as number, embedding);
  }
  return vectors;
}

function toVector(modelId: string, index: number, embedding: unknown): Float32Array {
  if (typeof embedding === 'string') {
    const vector = base64ToFloat32(embedding);
    if (!vector) throw new BadEmbeddingsError(`${modelId}: embedding ${index} is not base64 float32`);
    return vector;
  }
  if (!Array.isArray(embedding)) throw new BadEmbeddingsError(`${modelId}: embedding ${index} is not a list`);
  const vector = new Float32Array(embedding.length);
  for (const [d, value] of embedding.entries()) {
    if (typeof value !== 'number') {
      throw new BadEmbeddingsError(
        `${modelId}: embedding ${index} holds ${JSON.stringify(value)}, not a number`,
      );
    }
    vector[d] = value;
  }
  return vector;
}
