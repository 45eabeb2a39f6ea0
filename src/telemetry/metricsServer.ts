/**
 * The /metrics listener: renders the page from the caller's snapshot on every scrape (nothing is
 * kept between scrapes, nothing is written to the store). GET and HEAD of /metrics only.
 */
import type { Server } from 'node:http';
import { http } from '../util/nodeBuiltins.js';
import { CONTENT_TYPE } from './metricsText.js';
import { formatListen, type ListenAddress } from '../config/listen.js';

export interface MetricsServer {
  /** host:port actually bound (the port is the real one when 0 was asked). */
  address: string;
  close(): Promise<void>;
}

/** Why a bind failed, in words (port in use, not an address of this host, no permission). */
function bindError(err: NodeJS.ErrnoException, where: string): Error {
  const why =
    err.code === 'EADDRINUSE'
      ? 'the address is already in use (another warroom or exporter?); choose another port'
      : err.code === 'EADDRNOTAVAIL'
        ? 'that address is not one of this host\'s'
        : err.code === 'EACCES'
          ? 'permission denied (ports below 1024 need privileges)'
          : err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN'
            ? 'the host name does not resolve'
            : err.message;
  return new Error(`cannot serve /metrics on ${where}: ${why}`);
}

export async function startMetricsServer(at: ListenAddress, render: () => string): Promise<MetricsServer> {
  const server: Server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('warroom serves /metrics only\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('GET or HEAD\n');
      return;
    }
    let body: string;
    try {
      body = render();
    } catch (e) {
      // A scrape must never take the console down; the failed scrape is what Prometheus sees (up == 0).
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`render failed: ${(e as Error).message}\n`);
      return;
    }
    res.writeHead(200, { 'Content-Type': CONTENT_TYPE, 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  // A scraper that stalls must not keep the console from quitting.
  server.keepAliveTimeout = 5000;
  server.requestTimeout = 10_000;
  const where = formatListen(at);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(bindError(e as NodeJS.ErrnoException, where)));
    server.listen(at.port, at.host, () => resolve());
  });
  server.on('error', () => {});
  const addr = server.address();
  const bound = typeof addr === 'object' && addr ? formatListen({ host: at.host, port: addr.port }) : where;
  return {
    address: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
