import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { decodeResponse, encodeRequest } from '../../src/protocol/frames.js';
import type { MessageBody } from '../../src/protocol/message-codec.js';

/**
 * A raw Kafka-protocol client over one TCP connection, for tests that speak the wire directly:
 * typed requests, pipelining, hand-made bytes, and watching the broker close the connection.
 */
export class WireClient {
  readonly #socket: Socket;
  #buffered = Buffer.alloc(0);
  #waiting: (() => void) | undefined;
  #correlationId = 0;
  /** Resolves when the broker (or the test) closed the connection. */
  readonly closed: Promise<void>;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#buffered = Buffer.concat([this.#buffered, chunk]);
      this.#waiting?.();
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) =>
      socket.on('close', () => {
        resolve();
        this.#waiting?.();
      }),
    );
  }

  /** Connects to `port` on 127.0.0.1. */
  static async connect(port: number): Promise<WireClient> {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    return new WireClient(socket);
  }

  /** Whether the connection is still open. */
  get open(): boolean {
    return !this.#socket.destroyed && !this.#socket.readableEnded;
  }

  /** Sends raw bytes. */
  write(bytes: Uint8Array): void {
    this.#socket.write(bytes);
  }

  /** The size-prefixed bytes of a request, with the next correlation id. */
  encode(apiKey: number, apiVersion: number, body: object): { bytes: Uint8Array; correlationId: number } {
    const correlationId = ++this.#correlationId;
    return {
      bytes: encodeRequest({ apiKey, apiVersion, correlationId, clientId: 'wire-test' }, body),
      correlationId,
    };
  }

  /** Sends one request and reads its response. */
  async request(apiKey: number, apiVersion: number, body: object): Promise<MessageBody> {
    const { bytes, correlationId } = this.encode(apiKey, apiVersion, body);
    this.write(bytes);
    const response = await this.response(apiKey, apiVersion);
    if (response.correlationId !== correlationId) {
      throw new Error(`expected correlation id ${correlationId}, got ${response.correlationId}`);
    }
    return response.body;
  }

  /** Reads the next response frame and decodes it as `apiKey` at `apiVersion`. */
  async response(apiKey: number, apiVersion: number): Promise<{ correlationId: number; body: MessageBody }> {
    return decodeResponse(apiKey, apiVersion, await this.frame());
  }

  /** The next response frame (without its size); rejects if the connection closes first. */
  async frame(): Promise<Uint8Array> {
    for (;;) {
      if (this.#buffered.length >= 4) {
        const size = this.#buffered.readInt32BE(0);
        if (this.#buffered.length >= 4 + size) {
          const frame = this.#buffered.subarray(4, 4 + size);
          this.#buffered = this.#buffered.subarray(4 + size);
          return frame;
        }
      }
      if (this.#socket.destroyed || this.#socket.readableEnded) throw new Error('connection closed');
      await new Promise<void>((resolve) => {
        this.#waiting = resolve;
      });
      this.#waiting = undefined;
    }
  }

  /** Closes the connection from the client's side. */
  destroy(): void {
    this.#socket.destroy();
  }
}
