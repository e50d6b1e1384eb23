import type { IncomingMessage, ServerResponse } from 'node:http';
import { BadRequestError, PayloadTooLargeError } from '../errors.js';

/** The largest JSON body the server reads (1 MiB). */
export const MAX_JSON_BODY = 1024 * 1024;

/**
 * Reads and parses a JSON request body of at most `limit` bytes.
 * @throws {PayloadTooLargeError} the body is larger.
 * @throws {BadRequestError} the body is not JSON.
 */
export async function readJsonBody(request: IncomingMessage, limit = MAX_JSON_BODY): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new PayloadTooLargeError(limit);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BadRequestError('the request body is not JSON');
  }
}

/** Answers with `value` as JSON. */
export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  response.end(body);
}
