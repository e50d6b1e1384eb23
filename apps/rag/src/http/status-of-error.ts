import { VectorsError } from '@isthmus/vectors';
import { RagError } from '../errors.js';

/** HTTP statuses of the vectors library's errors that are the request's fault, by code. */
const VECTORS_STATUS: Record<string, number> = {
  ERR_VECTORS_INVALID_ARGUMENT: 400,
  ERR_VECTORS_EMPTY_DOCUMENT: 400,
  ERR_VECTORS_BINARY_DOCUMENT: 400,
  ERR_VECTORS_INVALID_UTF8: 400,
  ERR_VECTORS_UNSUPPORTED_DOCUMENT: 400,
  ERR_VECTORS_TABLE_NOT_FOUND: 404,
  ERR_VECTORS_DIMENSION_MISMATCH: 409,
  ERR_VECTORS_EMBEDDER_MISMATCH: 409,
  ERR_VECTORS_MISSING_INDEX: 409,
};

/** The HTTP status and JSON error body of an error a request ended with (500 when unexpected). */
export function errorResponse(error: unknown): {
  status: number;
  body: { error: { code?: string; message: string } };
} {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof RagError)
    return { status: error.status, body: { error: { code: error.code, message } } };
  if (error instanceof VectorsError) {
    return { status: VECTORS_STATUS[error.code] ?? 500, body: { error: { code: error.code, message } } };
  }
  return { status: 500, body: { error: { message } } };
}
