/** A real loopback HTTP server with a scripted handler that records what it received. */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export interface HttpFixture {
  url: string;
  port: number;
  received: Received[];
  stop(): Promise<void>;
}

export async function startHttpFixture(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<HttpFixture> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => handler(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  let stopped = false;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    stop: () =>
      new Promise<void>((resolve) => {
        if (stopped) return resolve();
        stopped = true;
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(res: ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** A Prometheus instant-query answer: one series whose sample is stamped `tsSeconds`. */
export function promVector(tsSeconds: number, value: string): unknown {
  return { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [tsSeconds, value] }] } };
}
