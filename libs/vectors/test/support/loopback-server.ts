import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP server on a free loopback port, counting the requests it is working on. */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Requests being handled right now. */
  readonly inFlight: number;
  /** The most requests ever handled at once. */
  readonly maxInFlight: number;
  /** Every request's method, path and headers, in arrival order. */
  readonly requests: Array<{ method: string; path: string; headers: IncomingMessage['headers']; at: number }>;
  close(): Promise<void>;
}

/**
 * Serves `handler` (anything it does not handle gets a plain 404) on loopback, holding each request
 * `holdMs` before handling it so that concurrent requests overlap visibly.
 */
export async function serveOnLoopback(
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>,
  { holdMs = 0 } = {},
): Promise<LoopbackServer> {
  let inFlight = 0;
  let maxInFlight = 0;
  const requests: LoopbackServer['requests'] = [];
  const server: Server = createServer(async (req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    requests.push({ method: req.method!, path: req.url!, headers: req.headers, at: Date.now() });
    res.on('close', () => inFlight--);
    if (holdMs > 0) await new Promise((resolve) => setTimeout(resolve, holdMs));
    if (!(await handler(req, res))) {
      req.resume();
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
