/** The stable codes of the RAG app's errors. */
export type RagErrorCode =
  | 'ERR_RAG_BAD_REQUEST'
  | 'ERR_RAG_UNAUTHORIZED'
  | 'ERR_RAG_NOT_FOUND'
  | 'ERR_RAG_PAYLOAD_TOO_LARGE'
  | 'ERR_RAG_CHAT'
  | 'ERR_RAG_USAGE';

/** Base class of the RAG app's errors: a stable `code` and the HTTP status it answers with. */
export class RagError extends Error {
  readonly code: RagErrorCode;
  readonly status: number;
  constructor(code: RagErrorCode, status: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
  }
}

/** A request the server cannot act on: a missing or malformed parameter or body (400). */
export class BadRequestError extends RagError {
  constructor(message: string) {
    super('ERR_RAG_BAD_REQUEST', 400, message);
  }
}

/** A request without the server's bearer token (401). */
export class UnauthorizedError extends RagError {
  constructor() {
    super('ERR_RAG_UNAUTHORIZED', 401, 'a bearer token is required (Authorization: Bearer <token>)');
  }
}

/** An unknown route or ingest job (404). */
export class NotFoundError extends RagError {
  constructor(message: string) {
    super('ERR_RAG_NOT_FOUND', 404, message);
  }
}

/** A request body over the server's limit (413). */
export class PayloadTooLargeError extends RagError {
  constructor(limit: number) {
    super('ERR_RAG_PAYLOAD_TOO_LARGE', 413, `the request body is larger than ${limit} bytes`);
  }
}

/** The configured chat endpoint failed or answered something that is not a chat completion (502). */
export class ChatEndpointError extends RagError {
  /** The endpoint's HTTP status, when it answered. */
  readonly endpointStatus?: number;
  constructor(message: string, endpointStatus?: number, options?: ErrorOptions) {
    super('ERR_RAG_CHAT', 502, message, options);
    this.endpointStatus = endpointStatus;
  }
}

/** Bad command-line arguments of `isthmus-rag`. */
export class UsageError extends RagError {
  constructor(message: string) {
    super('ERR_RAG_USAGE', 2, message);
  }
}
