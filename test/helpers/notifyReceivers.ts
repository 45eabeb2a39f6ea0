/**
 * Real local HTTP receivers for notification tests: each records the JSON bodies it was
 * sent (by path) and answers with a scripted status; `hang` accepts and never answers.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  body: unknown;
  at: number;
  /** What the receiver answered (0: never). */
  status: number;
}

export interface Receiver {
  url: string;
  /** Every request, answered or not, in arrival order. */
  received: Received[];
  /** Bodies of the requests answered 2xx. */
  delivered(): unknown[];
  stop(): Promise<void>;
}

export type Script = 'ok' | 'hang' | ((n: number, body: unknown) => number);

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      try {
        resolve(JSON.parse(data));
      } catch {
        resolve(data);
      }
    });
  });
}

export async function startReceiver(script: Script = 'ok'): Promise<Receiver> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const entry: Received = { path: req.url ?? '', body, at: Date.now(), status: 0 };
      received.push(entry);
      if (script === 'hang') return; // accepted, never answered
      const status = script === 'ok' ? 200 : script(received.length, body);
      entry.status = status;
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status < 300 ? 'ok' : 'receiver says no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    delivered: () => received.filter((r) => r.status >= 200 && r.status < 300).map((r) => r.body),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
