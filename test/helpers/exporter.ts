/** A tiny real HTTP exporter for tests: serves whatever text was last `set` on /metrics. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestExporter {
  /** http://127.0.0.1:PORT/metrics */
  url: string;
  /** 127.0.0.1:PORT, for Prometheus scrape configs. */
  hostPort: string;
  set(text: string): void;
  setStatus(code: number): void;
  /** Number of /metrics requests served so far. */
  hits(): number;
  stop(): Promise<void>;
}

export async function startExporter(initial = ''): Promise<TestExporter> {
  let body = initial;
  let status = 200;
  let hits = 0;
  const server: Server = createServer((req, res) => {
    if (req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    hits++;
    res.writeHead(status, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    res.end(status >= 200 && status < 300 ? body : `exporter is failing with ${status}\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    hostPort: `127.0.0.1:${port}`,
    set: (text) => {
      body = text;
    },
    setStatus: (code) => {
      status = code;
    },
    hits: () => hits,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
