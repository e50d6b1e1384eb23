import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The API version prefix of every Runtime API path. */
const PREFIX = '/2018-06-01/runtime';
/** Request bodies larger than this are refused (Lambda's synchronous response limit is 6 MB). */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** An error as a Lambda runtime reports it (`/invocation/{id}/error`, `/init/error`). */
export interface RuntimeErrorReport {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/**
 * How an invocation ended: the runtime posted a response or an error, or the connection it was
 * delivered on closed before it answered (the runtime died with the event).
 */
export type InvocationResult =
  | { kind: 'response'; payload: unknown }
  | { kind: 'error'; error: RuntimeErrorReport }
  | { kind: 'lost'; detail: string };

/** Options of one invocation. */
export interface InvokeOptions {
  /** The request id the runtime sees (default: a random UUID). */
  requestId?: string;
  /** Epoch ms by which the function must answer, handed to the runtime (default: 15 min from now). */
  deadlineMs?: number;
  /** Aborting withdraws the invocation: the promise rejects with the abort reason. */
  signal?: AbortSignal;
}

/** Options of a Runtime API server. */
export interface RuntimeApiServerOptions {
  /** Sent as `lambda-runtime-invoked-function-arn`. */
  functionArn?: string;
}

/** Events of a Runtime API server. */
export interface RuntimeApiServerEvents {
  /** A runtime asked for the next invocation (the first one ends its init phase). */
  poll: [];
  /** The runtime failed to initialize (e.g. the handler module threw while loading). */
  initError: [RuntimeErrorReport];
}

interface Invocation {
  id: string;
  body: string;
  deadlineMs: number;
  resolve(result: InvocationResult): void;
  reject(reason: unknown): void;
  /** Stops watching the connection the event was delivered on. */
  unwatch(): void;
}

/**
 * The AWS Lambda Runtime API of one execution environment, served on 127.0.0.1: a runtime
 * (aws-lambda-ric) long-polls `GET /2018-06-01/runtime/invocation/next` and posts
 * `…/invocation/{id}/response` or `…/error`, or `…/init/error` when its handler does not load.
 * `invoke(event)` queues an event and resolves with what the runtime posted. A long-poll whose
 * socket closed (its runtime was killed) is skipped, so it cannot swallow the next event.
 */
export class RuntimeApiServer extends EventEmitter<RuntimeApiServerEvents> {
  readonly #server: Server;
  readonly #functionArn: string;
  readonly #queued: Invocation[] = [];
  readonly #waiters: ServerResponse[] = [];
  readonly #inFlight = new Map<string, Invocation>();
  #polls = 0;
  #dispatchScheduled = false;

  private constructor(server: Server, options: RuntimeApiServerOptions) {
    super();
    this.#server = server;
    this.#functionArn = options.functionArn ?? 'arn:aws:lambda:us-east-1:000000000000:function:isthmus';
    server.on('request', (request, response) => this.#route(request, response));
  }

  /** Starts a server on an ephemeral loopback port. */
  static async start(options: RuntimeApiServerOptions = {}): Promise<RuntimeApiServer> {
    const server = createServer();
    // a runtime's connection idles while its function runs: keep it open rather than racing a reuse
    server.keepAliveTimeout = 0;
    const api = new RuntimeApiServer(server, options);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return api;
  }

  /** `host:port`, the value of `AWS_LAMBDA_RUNTIME_API` for a runtime. */
  get address(): string {
    const { address, port } = this.#server.address() as AddressInfo;
    return `${address}:${port}`;
  }

  /** `next` requests received so far; the first one means the runtime finished its init. */
  get polls(): number {
    return this.#polls;
  }

  /** Long-polls open now: runtimes waiting for an event. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** Invocations queued or running. */
  get pending(): number {
    return this.#queued.length + this.#inFlight.size;
  }

  /** Hands `event` to the runtime (now if it is polling, else on its next poll) and waits for its answer. */
  invoke(event: unknown, options: InvokeOptions = {}): Promise<InvocationResult> {
    const { signal } = options;
    signal?.throwIfAborted();
    return new Promise<InvocationResult>((resolve, reject) => {
      const invocation: Invocation = {
        id: options.requestId ?? randomUUID(),
        body: JSON.stringify(event),
        deadlineMs: options.deadlineMs ?? Date.now() + 15 * 60_000,
        resolve: (result) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(result);
        },
        reject: (reason) => {
          signal?.removeEventListener('abort', onAbort);
          reject(reason);
        },
        unwatch: () => {},
      };
      const onAbort = () => {
        const at = this.#queued.indexOf(invocation);
        if (at >= 0) this.#queued.splice(at, 1);
        this.#inFlight.delete(invocation.id);
        invocation.unwatch();
        invocation.reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queued.push(invocation);
      this.#scheduleDispatch();
    });
  }

  /** Stops serving: pending invocations reject, open long-polls and connections are dropped. */
  async close(): Promise<void> {
    const closed = new Error('the Runtime API server was closed');
    for (const invocation of [...this.#queued, ...this.#inFlight.values()]) {
      invocation.unwatch();
      invocation.reject(closed);
    }
    this.#queued.length = 0;
    this.#inFlight.clear();
    this.#waiters.length = 0;
    const done = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await done;
  }

  #route(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? '').split('?')[0] ?? '';
    if (request.method === 'GET' && path === `${PREFIX}/invocation/next`) {
      this.#polls++;
      this.#waiters.push(response);
      response.once('close', () => {
        const at = this.#waiters.indexOf(response);
        if (at >= 0) this.#waiters.splice(at, 1);
      });
      this.emit('poll');
      this.#scheduleDispatch();
      return;
    }
    const answer = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(path);
    if (request.method === 'POST' && answer) {
      const id = decodeURIComponent(answer[1]!);
      void this.#readJson(request, response).then((body) => {
        if (body === undefined) return;
        const invocation = this.#inFlight.get(id);
        if (!invocation) {
          reply(response, 400, { errorType: 'InvalidRequestID', errorMessage: `unknown request id ${id}` });
          return;
        }
        this.#inFlight.delete(id);
        invocation.unwatch();
        reply(response, 202, { status: 'OK' });
        invocation.resolve(
          answer[2] === 'response'
            ? { kind: 'response', payload: body.value }
            : { kind: 'error', error: toErrorReport(body.value, request) },
        );
      });
      return;
    }
    if (request.method === 'POST' && path === `${PREFIX}/init/error`) {
      void this.#readJson(request, response).then((body) => {
        if (body === undefined) return;
        reply(response, 202, { status: 'OK' });
        this.emit('initError', toErrorReport(body.value, request));
      });
      return;
    }
    reply(response, 404, { errorType: 'NotFound', errorMessage: `no route ${request.method} ${path}` });
  }

  /**
   * Dispatches after the I/O events already received, so that a long-poll whose runtime was just
   * killed is seen closed (and skipped) before an event is written into its dead socket; an event
   * that still races into one comes back `lost` when that socket closes.
   */
  #scheduleDispatch(): void {
    if (this.#dispatchScheduled) return;
    this.#dispatchScheduled = true;
    setImmediate(() => {
      this.#dispatchScheduled = false;
      this.#dispatch();
    });
  }

  /** Delivers queued events to live long-polls, oldest first. */
  #dispatch(): void {
    while (this.#queued.length > 0) {
      const waiter = this.#waiters.shift();
      if (!waiter) return;
      const socket = waiter.socket;
      // a runtime never half-closes: a FIN from its side means its process is gone
      if (waiter.destroyed || !socket || socket.destroyed || socket.readableEnded) continue;
      const invocation = this.#queued.shift()!;
      this.#inFlight.set(invocation.id, invocation);
      // a runtime keeps the connection an event came on until it answers; it closing first means
      // the runtime died with the event (the answer may come on another connection: that is fine)
      const onClose = () => {
        if (this.#inFlight.get(invocation.id) !== invocation) return;
        this.#inFlight.delete(invocation.id);
        invocation.resolve({
          kind: 'lost',
          detail: 'the runtime closed the connection its event came on without answering',
        });
      };
      socket.once('close', onClose);
      invocation.unwatch = () => socket.off('close', onClose);
      waiter.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(invocation.body),
        'lambda-runtime-aws-request-id': invocation.id,
        'lambda-runtime-deadline-ms': String(invocation.deadlineMs),
        'lambda-runtime-invoked-function-arn': this.#functionArn,
      });
      waiter.end(invocation.body);
    }
  }

  /** The request's JSON body, or undefined after answering 400/413 for an unreadable one. */
  async #readJson(
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<{ value: unknown } | undefined> {
    const chunks: Buffer[] = [];
    let bytes = 0;
    try {
      for await (const chunk of request as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (bytes > MAX_BODY_BYTES) {
          reply(response, 413, {
            errorType: 'RequestEntityTooLarge',
            errorMessage: `body over ${MAX_BODY_BYTES} bytes`,
          });
          return undefined;
        }
        chunks.push(chunk);
      }
      const text = Buffer.concat(chunks).toString('utf8');
      return { value: text === '' ? null : JSON.parse(text) };
    } catch (error) {
      reply(response, 400, { errorType: 'InvalidRequest', errorMessage: String(error) });
      return undefined;
    }
  }
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** A posted error body as a report; the `Lambda-Runtime-Function-Error-Type` header fills a missing type. */
function toErrorReport(value: unknown, request: IncomingMessage): RuntimeErrorReport {
  const body = (value ?? {}) as Partial<RuntimeErrorReport>;
  const header = request.headers['lambda-runtime-function-error-type'];
  return {
    errorType: String(body.errorType ?? header ?? 'Runtime.Unknown'),
    errorMessage: String(body.errorMessage ?? ''),
    ...(Array.isArray(body.trace) ? { trace: body.trace.map(String) } : {}),
  };
}
