import type { IncomingMessage, ServerResponse } from 'node:http';
import { float32ToBase64 } from '../../src/embedders/openai/float32-base64.js';

/** What the FAULTY fake endpoint does wrong (or, for `reversed`, unusually but rightly). */
export type EmbeddingsFault =
  /** One vector fewer than texts. */
  | 'wrong-count'
  /** One more number per vector than the others. */
  | 'wrong-dimension'
  /** A literal `NaN` in the JSON, as Python's json module writes it. */
  | 'nan-literal'
  /** A NaN float32 in a base64 embedding. */
  | 'nan-base64'
  /** Correct vectors, listed in reverse order with their right `index`. */
  | 'reversed'
  /** 400 with an OpenAI-style error. */
  | 'bad-request'
  /** 429 with `Retry-After: 1` once, then correct answers. */
  | 'retry-after-once'
  /** Answers the first request only after 400 ms, then promptly. */
  | 'stall-once';

/** The vector the fake gives a text: 3 numbers derived from it, so tests can check the order. */
export function fakeVector(text: string): number[] {
  return [text.length, text.codePointAt(0) ?? 0, 1];
}

/**
 * A FAKE `/v1/embeddings` handler for fault injection (named as such; never a stand-in for a real
 * model): it answers `fakeVector` per text, spoiled by `fault` as described by `EmbeddingsFault`.
 */
export function faultyEmbeddingsEndpoint(fault: EmbeddingsFault) {
  let requests = 0;
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const { input } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { input: string[] };
    requests++;
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
      return true;
    };
    if (fault === 'bad-request') {
      return send(
        400,
        JSON.stringify({ error: { message: 'input too long', type: 'invalid_request_error' } }),
      );
    }
    if (fault === 'retry-after-once' && requests === 1) {
      return send(429, JSON.stringify({ error: { message: 'slow down' } }), { 'retry-after': '1' });
    }
    if (fault === 'stall-once' && requests === 1) await new Promise((resolve) => setTimeout(resolve, 400));
    let data: Array<{ index: number; embedding: number[] | string }> = input.map((text, index) => ({
      index,
      embedding: fakeVector(text),
    }));
    if (fault === 'wrong-count') data = data.slice(1);
    if (fault === 'wrong-dimension')
      data = data.map((item) => ({ ...item, embedding: [...fakeVector(''), 0] }));
    if (fault === 'reversed') data.reverse();
    if (fault === 'nan-base64') {
      data[0]!.embedding = float32ToBase64(Float32Array.of(1, Number.NaN, 2));
    }
    let body = JSON.stringify({ object: 'list', data, model: 'fake' });
    if (fault === 'nan-literal') body = body.replace(/"embedding":\[\d+/, '"embedding":[NaN');
    return send(200, body);
  };
}
