import type { Socket } from 'node:net';

/** Answers one frame: the size-prefixed response, or `undefined` for none; a rejection closes the connection. */
export type ServeFrame = (frame: Uint8Array) => Promise<Uint8Array | undefined>;

/** Limits and reporting of a connection. */
export interface ConnectionOptions {
  /** Largest request frame accepted; a larger size prefix closes the connection. */
  maxRequestBytes: number;
  /** Requests read ahead of their responses before the connection stops reading. */
  maxInFlight: number;
  /** Told why a connection was closed by the broker (a protocol violation or a handler failure). */
  onClose(reason: Error): void;
}

const SIZE_BYTES = 4;

/**
 * One client connection: reads size-prefixed request frames, hands each to `serve` as soon as it
 * is complete (pipelined requests are handled concurrently), and writes the responses in request
 * order; a client that does not read its responses stops being read. A size prefix over the limit
 * (or negative), or a frame `serve` rejects, closes the connection; a client that goes away aborts
 * `closed` (which ends its long polls) and disturbs no other connection.
 */
export class Connection {
  readonly #socket: Socket;
  readonly #serve: ServeFrame;
  readonly #options: ConnectionOptions;
  readonly #closed = new AbortController();
  readonly #sizePrefix = Buffer.alloc(SIZE_BYTES);
  #sizeFilled = 0;
  #frame: Buffer | undefined;
  #frameFilled = 0;
  #inFlight = 0;
  #responses: Promise<void> = Promise.resolve();
  #reading = true;

  constructor(socket: Socket, serve: ServeFrame, options: ConnectionOptions) {
    this.#socket = socket;
    this.#serve = serve;
    this.#options = options;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#read(chunk));
    socket.on('error', () => {}); // a reset by the client: 'close' follows
    socket.on('close', () => this.#closed.abort());
    socket.resume();
  }

  /** Aborted once the socket is closed, by either side. */
  get closed(): AbortSignal {
    return this.#closed.signal;
  }

  /** Stops reading requests; those already read are still answered. */
  stopReading(): void {
    this.#reading = false;
    this.#socket.pause();
  }

  /** Resolves once every request read so far has been answered (or the connection closed). */
  async drained(): Promise<void> {
    await this.#responses;
  }

  /** Closes the socket at once. */
  destroy(): void {
    this.#socket.destroy();
  }

  #read(chunk: Buffer): void {
    let at = 0;
    while (!this.#socket.destroyed) {
      if (this.#frame === undefined) {
        const take = Math.min(SIZE_BYTES - this.#sizeFilled, chunk.length - at);
        chunk.copy(this.#sizePrefix, this.#sizeFilled, at, at + take);
        this.#sizeFilled += take;
        at += take;
        if (this.#sizeFilled < SIZE_BYTES) return;
        this.#sizeFilled = 0;
        const size = this.#sizePrefix.readInt32BE(0);
        if (size < 0 || size > this.#options.maxRequestBytes) {
          this.#fail(
            new RangeError(
              `a request of ${size} bytes exceeds the limit of ${this.#options.maxRequestBytes}`,
            ),
          );
          return;
        }
        this.#frame = Buffer.allocUnsafe(size);
        this.#frameFilled = 0;
      }
      const take = Math.min(this.#frame.length - this.#frameFilled, chunk.length - at);
      chunk.copy(this.#frame, this.#frameFilled, at, at + take);
      this.#frameFilled += take;
      at += take;
      if (this.#frameFilled < this.#frame.length) return;
      const frame = this.#frame;
      this.#frame = undefined;
      this.#accept(frame);
      if (at === chunk.length) return;
    }
  }

  #accept(frame: Buffer): void {
    this.#inFlight += 1;
    if (this.#inFlight >= this.#options.maxInFlight) this.#socket.pause();
    let answer: Promise<Uint8Array | undefined>;
    try {
      answer = this.#serve(frame);
    } catch (error) {
      answer = Promise.reject(error);
    }
    this.#responses = this.#responses
      .then(() => answer)
      .then(
        (response) => {
          if (response && !this.#socket.destroyed && !this.#socket.write(response)) return this.#writable();
        },
        (error: unknown) => this.#fail(error instanceof Error ? error : new Error(String(error))),
      )
      .finally(() => {
        this.#inFlight -= 1;
        if (this.#reading && this.#inFlight < this.#options.maxInFlight) this.#socket.resume();
      });
  }

  /** Resolves once the socket takes writes again (a client that does not read holds its later responses). */
  #writable(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.#socket.off('drain', done);
        this.#socket.off('close', done);
        resolve();
      };
      this.#socket.on('drain', done);
      this.#socket.on('close', done);
    });
  }

  #fail(reason: Error): void {
    if (this.#socket.destroyed) return;
    this.#socket.destroy();
    this.#options.onClose(reason);
  }
}
