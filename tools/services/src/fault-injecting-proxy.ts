import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A fault to inject into the next matching request(s). */
export type Fault =
  /** Answer with this status and an S3-style error body, without forwarding. */
  | { kind: 'status'; status: number; code: string }
  /** Forward, then close the connection after this many body bytes of the response. */
  | { kind: 'cut'; afterBytes: number }
  /** Forward (the request takes effect), but answer this status instead of the real response. */
  | { kind: 'swallow'; status: number };

/** One request as the proxy saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  range?: string;
  fault?: Fault['kind'];
}

/**
 * A FAULT-INJECTING HTTP proxy for tests (a fake, named as such): it forwards requests to a real
 * server unchanged (Host header included, so SigV4 signatures stay valid) and injects the faults
 * queued with `inject` into the next requests that match a method.
 */
export class FaultInjectingProxy {
  readonly seen: SeenRequest[] = [];
  readonly #queue: Array<{ method: string; fault: Fault }> = [];
  readonly #server: Server;
  readonly #target: URL;

  private constructor(target: string) {
    this.#target = new URL(target);
    this.#server = createServer((req, res) => this.#handle(req, res));
  }

  /** Starts a proxy on a free loopback port in front of `target` (e.g. `http://127.0.0.1:7480`). */
  static async start(target: string): Promise<FaultInjectingProxy> {
    const proxy = new FaultInjectingProxy(target);
    await new Promise<void>((resolve) => proxy.#server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** The proxy's endpoint URL. */
  get endpoint(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Queues `fault` for the next request with this HTTP method, `times` times. */
  inject(method: string, fault: Fault, times = 1): void {
    for (let i = 0; i < times; i++) this.#queue.push({ method, fault });
  }

  /** Drops faults not yet used. */
  clearFaults(): void {
    this.#queue.length = 0;
  }

  /** Stops the proxy, closing open connections. */
  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const at = this.#queue.findIndex((queued) => queued.method === req.method);
    const fault = at >= 0 ? this.#queue.splice(at, 1)[0]!.fault : undefined;
    this.seen.push({ method: req.method!, path: req.url!, range: req.headers.range, fault: fault?.kind });
    if (fault?.kind === 'status') {
      req.resume();
      res.writeHead(fault.status, { 'content-type': 'application/xml' });
      res.end(`<?xml version="1.0"?><Error><Code>${fault.code}</Code><Message>injected</Message></Error>`);
      return;
    }
    const upstream = request(
      {
        host: this.#target.hostname,
        port: this.#target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (response) => {
        if (fault?.kind === 'swallow') {
          response.resume();
          response.on('end', () => {
            res.writeHead(fault.status, { 'content-type': 'application/xml' });
            res.end(
              '<?xml version="1.0"?><Error><Code>InternalError</Code><Message>injected</Message></Error>',
            );
          });
          return;
        }
        res.writeHead(response.statusCode!, response.headers);
        if (fault?.kind !== 'cut') {
          response.pipe(res);
          return;
        }
        let sent = 0;
        response.on('data', (chunk: Buffer) => {
          const room = fault.afterBytes - sent;
          if (room <= 0) return;
          res.write(chunk.subarray(0, room));
          sent += Math.min(room, chunk.length);
          if (sent >= fault.afterBytes) {
            response.destroy();
            // let the bytes written so far reach the client, then break the connection
            setTimeout(() => res.socket?.destroy(), 20);
          }
        });
      },
    );
    upstream.on('error', () => res.socket?.destroy());
    req.pipe(upstream);
  }
}
