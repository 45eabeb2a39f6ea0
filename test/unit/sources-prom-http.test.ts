/**
 * promHttp (the Prometheus API client) against real loopback HTTP servers: keep-alive, no
 * compression asked, timeouts, body cap, redirects, abort; and the source's bounded fan-out
 * (no MaxListenersExceededWarning on one shared signal, at most PROM_CONCURRENCY in flight).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { HttpSourceError } from '../../src/sources/http.js';
import { createPrometheusSource } from '../../src/sources/prometheus.js';
import { formBody, PROM_CONCURRENCY, promGet, promUrl } from '../../src/sources/promHttp.js';
import { mapBounded } from '../../src/util/mapBounded.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function serve(handler: Handler): Promise<{ url: string; server: Server; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const server = createServer(handler);
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    server,
    connections: () => connections,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const vector = (v: string) => JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [Date.now() / 1000, v] }] } });

describe('promGet', () => {
  let main: Awaited<ReturnType<typeof serve>>;
  let other: Awaited<ReturnType<typeof serve>>;
  const seen: { url: string; encoding?: string; token?: string; accept?: string }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  beforeAll(async () => {
    other = await serve((req, res) => {
      seen.push({ url: `other${req.url}`, token: req.headers['x-token'] as string | undefined });
      res.writeHead(200, { 'content-type': 'application/json' }).end(vector('7'));
    });
    main = await serve((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      seen.push({ url: req.url ?? '', encoding: req.headers['accept-encoding'], token: req.headers['x-token'] as string | undefined, accept: req.headers.accept });
      const q = u.searchParams.get('query') ?? '';
      if (q === 'slow') return void setTimeout(() => res.end(vector('1')), 2000);
      if (q === 'huge') return void res.writeHead(200).end('x'.repeat(4096));
      if (q === 'gzip') return void res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(vector('3')));
      if (q === 'here') return void res.writeHead(302, { location: '/api/v1/query?query=moved' }).end();
      if (q === 'away') return void res.writeHead(302, { location: `${other.url}/api/v1/query?query=x` }).end();
      if (q === 'cut') {
        res.writeHead(200, { 'content-length': '1000' });
        res.write('{"status"');
        return void setTimeout(() => res.destroy(), 20);
      }
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { 'content-type': 'application/json' }).end(vector(String(q.length)));
      }, 5);
    });
  });
  afterAll(async () => {
    await main.close();
    await other.close();
  });

  it('joins a base with a path prefix, the API path and the params', () => {
    expect(promUrl('http://h:9090/prom/', '/api/v1/query_range', { query: 'up{a="b c"}', step: '15' })).toBe('http://h:9090/prom/api/v1/query_range?query=up%7Ba%3D%22b+c%22%7D&step=15');
  });

  it('asks for JSON, never for compression, and reuses one kept-alive connection', async () => {
    seen.length = 0;
    const before = main.connections();
    for (let i = 0; i < 5; i++) {
      const r = await promGet(`${main.url}/api/v1/query`, { params: { query: `q${i}` }, timeoutMs: 2000 });
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body)).toMatchObject({ status: 'success' });
    }
    expect(seen.every((s) => s.encoding === undefined && s.accept === 'application/json')).toBe(true);
    expect(main.connections() - before).toBe(1);
  });

  it('decodes a body a proxy compressed without being asked', async () => {
    const r = await promGet(`${main.url}/api/v1/query`, { params: { query: 'gzip' }, timeoutMs: 2000 });
    expect(JSON.parse(r.body).data.result[0].value[1]).toBe('3');
  });

  it('times out with the configured time in the message, URL without its query', async () => {
    const err = await promGet(`${main.url}/api/v1/query`, { params: { query: 'slow' }, timeoutMs: 150 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpSourceError);
    expect((err as Error).message).toBe(`GET ${main.url}/api/v1/query: timed out after 150ms`);
  });

  it('refuses a body over the cap, and a body cut short', async () => {
    await expect(promGet(`${main.url}/api/v1/query`, { params: { query: 'huge' }, timeoutMs: 2000, maxBytes: 1024 })).rejects.toThrow(/: response larger than 0 MiB$/);
    await expect(promGet(`${main.url}/api/v1/query`, { params: { query: 'cut' }, timeoutMs: 2000 })).rejects.toThrow(/: connection reset by peer$/);
  });

  it('an aborted signal: at once, and in flight', async () => {
    const pre = new AbortController();
    pre.abort(new Error('shutting down'));
    await expect(promGet(`${main.url}/api/v1/query`, { params: { query: 'x' }, timeoutMs: 2000, signal: pre.signal })).rejects.toThrow(/: aborted \(shutting down\)$/);
    const mid = new AbortController();
    setTimeout(() => mid.abort(new Error('timed out after 100 ms')), 100);
    await expect(promGet(`${main.url}/api/v1/query`, { params: { query: 'slow' }, timeoutMs: 5000, signal: mid.signal })).rejects.toThrow(/aborted \(timed out after 100 ms\)/);
  });

  it('follows a same-origin redirect; refuses another origin unless allowed, and never sends it the headers', async () => {
    seen.length = 0;
    const here = await promGet(`${main.url}/api/v1/query`, { params: { query: 'here' }, timeoutMs: 2000, headers: { 'X-Token': 'secret-123' } });
    expect(here.status).toBe(200);
    expect(seen.map((s) => [s.url, s.token])).toEqual([
      ['/api/v1/query?query=here', 'secret-123'],
      ['/api/v1/query?query=moved', 'secret-123'],
    ]);
    const away = await promGet(`${main.url}/api/v1/query`, { params: { query: 'away' }, timeoutMs: 2000, headers: { 'X-Token': 'secret-123' } });
    expect(away.status).toBe(302);
    expect(away.refusedRedirect).toMatch(/^redirect to another origin \(http:\/\/127\.0\.0\.1:\d+\) not followed; set follow_redirects: true/);
    seen.length = 0;
    const followed = await promGet(`${main.url}/api/v1/query`, { params: { query: 'away' }, timeoutMs: 2000, headers: { 'X-Token': 'secret-123' }, followRedirects: true });
    expect(followed.status).toBe(200);
    expect(seen.find((s) => s.url.startsWith('other'))).toEqual({ url: 'other/api/v1/query?query=x', token: undefined });
  });

  it('connection refused, with header values kept out of the message', async () => {
    const gone = await serve(() => {});
    const url = gone.url;
    await gone.close();
    const err = (await promGet(`${url}/api/v1/query`, { params: { query: 'x' }, timeoutMs: 2000, headers: { Authorization: 'Bearer tok-abcdef' } }).catch((e: unknown) => e)) as Error;
    expect(err.message).toBe(`GET ${url}/api/v1/query: connection refused`);
  });

  it('a source with 300 probes on one signal: all answered, bounded in flight, no MaxListeners warning', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      maxInFlight = 0;
      const src = createPrometheusSource({ id: 'p', type: 'prometheus', url: main.url, headers: {}, interval: 15_000, timeout: 10_000, staleAfter: 45_000 });
      const probes = Array.from({ length: 300 }, (_, i) => ({ id: `g${i}`, query: 'y'.repeat(i + 1) }));
      const r = await src.read(probes, { clock: systemClock, signal: new AbortController().signal });
      expect(r.ok).toBe(true);
      expect(Object.keys(r.readings)).toHaveLength(300);
      expect(r.readings.g41!.value).toBe(42);
      expect(maxInFlight).toBeLessThanOrEqual(PROM_CONCURRENCY);
      expect(maxInFlight).toBeGreaterThan(1);
      await new Promise((res) => setImmediate(res));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('a refused server stops the fan-out after the first answer batch', async () => {
    let hits = 0;
    const down = await serve((_req, res) => {
      hits++;
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"status":"error","errorType":"unavailable","error":"overloaded"}');
    });
    try {
      const src = createPrometheusSource({ id: 'p', type: 'prometheus', url: down.url, headers: {}, interval: 15_000, timeout: 10_000, staleAfter: 45_000 });
      const r = await src.read(Array.from({ length: 100 }, (_, i) => ({ id: `g${i}`, query: `q${i}` })), { clock: systemClock, signal: new AbortController().signal });
      // The probes go in two batches (50 each): a 503 to a batch is the server's, as to one query.
      expect(r).toEqual({ ok: false, error: `POST ${down.url}/api/v1/query: HTTP 503 Service Unavailable: overloaded`, readings: {} });
      expect(hits).toBeLessThanOrEqual(PROM_CONCURRENCY);
    } finally {
      await down.close();
    }
  });
});

describe('formBody', () => {
  it('decodes (as a form decoder reads it) to exactly what was sent', () => {
    const form = { query: 'a{x="1+1 & y=%41"} or b{z="café\n#"}', time: '1765123456.5', 'odd key=&': '' };
    const body = formBody(form);
    expect(Object.fromEntries(new URLSearchParams(body))).toEqual(form);
    expect(body).not.toMatch(/[ +\n#]/);
  });

  it('a lone surrogate is replaced as URLSearchParams does, not thrown', () => {
    const form = { query: 'a{x="\ud800"}' };
    expect(formBody(form)).toBe(new URLSearchParams(form).toString());
  });
});

describe('mapBounded', () => {
  it('keeps input order, never exceeds the limit, and stop() skips what has not started', async () => {
    let now = 0;
    let peak = 0;
    const out = await mapBounded([5, 1, 4, 2, 3], 2, async (x) => {
      peak = Math.max(peak, ++now);
      await new Promise((r) => setTimeout(r, x));
      now--;
      return x * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
    const started: number[] = [];
    const part = await mapBounded([1, 2, 3, 4, 5, 6], 2, async (x, stop) => {
      started.push(x);
      if (x === 2) stop();
      return x;
    });
    expect(started).toEqual([1, 2]);
    expect(part.filter((x) => x !== undefined)).toEqual([1, 2]);
  });
});
