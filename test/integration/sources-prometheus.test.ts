import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrometheusSource } from '../../src/config/types.js';
import { systemClock } from '../../src/core/clock.js';
import type { HttpGetResult } from '../../src/sources/http.js';
import { batchQuery } from '../../src/sources/promBatch.js';
import { createPrometheusSource, interpretResponse } from '../../src/sources/prometheus.js';
import { freePort } from '../helpers/prometheus.js';

const res = (status: number, body: unknown, statusText = ''): HttpGetResult => ({
  status, statusText, body: typeof body === 'string' ? body : JSON.stringify(body), contentType: 'application/json',
});
// Received a little after the samples' own time (1712345678.x s), as from a server in sync.
const READ_AT = 1712345679000;
const interp = (r: HttpGetResult) => interpretResponse(r, READ_AT, (e) => `SRC: ${e}`);
const reading = (o: ReturnType<typeof interp>) => {
  if (o.kind !== 'reading') throw new Error(`expected a reading, got source error ${o.error}`);
  return o.reading;
};
const vec = (...series: [Record<string, string>, string][]) => ({
  status: 'success', data: { resultType: 'vector', result: series.map(([metric, v]) => ({ metric, value: [1712345678.123, v] })) },
});

describe('interpretResponse (pure)', () => {
  it('scalar and one-series vector give the value at the evaluation time', () => {
    expect(reading(interp(res(200, { status: 'success', data: { resultType: 'scalar', result: [1712345678.5, '3'] } })))).toEqual({ value: 3, observedAt: 1712345678500 });
    expect(reading(interp(res(200, vec([{ job: 'a' }, '0.25']))))).toEqual({ value: 0.25, observedAt: 1712345678123 });
  });
  it('a sample time ahead of the receive time is clamped to it, with a warning beyond max_clock_skew', () => {
    const at = (ts: number) => reading(interpretResponse(res(200, { status: 'success', data: { resultType: 'scalar', result: [ts, '1'] } }), READ_AT, (e) => e, 30_000));
    expect(at(READ_AT / 1000 + 3600)).toEqual({ value: 1, observedAt: READ_AT, warnings: ['source clock 1h ahead (max_clock_skew 30s); using receive time'] });
    expect(at(READ_AT / 1000 + 10)).toEqual({ value: 1, observedAt: READ_AT });
    expect(at(READ_AT / 1000 - 60)).toEqual({ value: 1, observedAt: READ_AT - 60_000 });
  });
  it('parses NaN and ±Inf', () => {
    expect(reading(interp(res(200, vec([{}, 'NaN'])))).value).toBeNaN();
    expect(reading(interp(res(200, vec([{}, '+Inf'])))).value).toBe(Infinity);
    expect(reading(interp(res(200, vec([{}, '-Inf'])))).value).toBe(-Infinity);
  });
  it('empty, several, matrix and string results are probe errors', () => {
    expect(reading(interp(res(200, vec())))).toEqual({ value: null, observedAt: READ_AT, error: 'query returned no series' });
    const many = reading(interp(res(200, vec([{ __name__: 'up', job: 'a' }, '1'], [{ __name__: 'up', job: 'b' }, '1'], [{ job: 'c' }, '0'], [{ job: 'd' }, '0']))));
    expect(many.value).toBeNull();
    expect(many.error).toBe('4 series match the query; aggregate or add label matchers: up{job="a"}, up{job="b"}, {job="c"}, … (1 more)');
    expect(reading(interp(res(200, { status: 'success', data: { resultType: 'matrix', result: [] } }))).error).toMatch(/range vector/);
    expect(reading(interp(res(200, { status: 'success', data: { resultType: 'string', result: [1, 'x'] } }))).error).toMatch(/string/);
  });
  it('400 bad_data is the probe error with Prometheus text; 422 too', () => {
    const bad = reading(interp(res(400, { status: 'error', errorType: 'bad_data', error: '1:5: parse error: unexpected "}"' }, 'Bad Request')));
    expect(bad).toEqual({ value: null, observedAt: READ_AT, error: 'PromQL error: 1:5: parse error: unexpected "}"' });
    expect(reading(interp(res(422, { status: 'error', errorType: 'execution', error: 'many-to-many matching not allowed' }))).error)
      .toBe('query failed (execution): many-to-many matching not allowed');
  });
  it('5xx, 401, 404 and non-API bodies are source errors', () => {
    expect(interp(res(503, { status: 'error', errorType: 'unavailable', error: 'TSDB not ready' }, 'Service Unavailable')))
      .toEqual({ kind: 'source', error: 'SRC: HTTP 503 Service Unavailable: TSDB not ready' });
    expect(interp(res(401, 'Unauthorized\n', 'Unauthorized'))).toEqual({ kind: 'source', error: 'SRC: HTTP 401 Unauthorized: Unauthorized' });
    expect(interp(res(200, '<html>grafana</html>'))).toEqual({ kind: 'source', error: 'SRC: not a Prometheus API response (check the url)' });
  });
  it('malformed payloads never crash', () => {
    for (const body of [{ status: 'success' }, { status: 'success', data: { resultType: 'vector', result: [{}] } }, { status: 'success', data: { resultType: 'scalar', result: 'x' } }, { status: 'success', data: { resultType: 'vector', result: [{ value: [1, 'abc'] }] } }]) {
      const r = reading(interp(res(200, body)));
      expect(r.value).toBeNull();
      expect(r.error).toBeTruthy();
    }
  });
});

describe('prometheus source over real HTTP', () => {
  let server: Server;
  let url: string;
  const seen: { query: string | null; auth?: string; method?: string }[] = [];
  beforeAll(async () => {
    server = createServer(async (req, resp) => {
      const u = new URL(req.url ?? '/', 'http://x');
      // A batch of queries comes as a form POST; this fake answers it as Prometheus answers a
      // batch holding a query that fails alone (so each part is then asked alone).
      if (req.method === 'POST') {
        let body = '';
        for await (const c of req) body += String(c);
        seen.push({ query: new URLSearchParams(body).get('query'), auth: req.headers.authorization, method: 'POST' });
        return void resp.writeHead(400, { 'content-type': 'application/json' }).end('{"status":"error","errorType":"bad_data","error":"1:1: parse error"}');
      }
      seen.push({ query: u.searchParams.get('query'), auth: req.headers.authorization, method: req.method });
      const q = u.searchParams.get('query') ?? '';
      if (u.pathname !== '/prefix/api/v1/query') return void resp.writeHead(404).end('404 page not found');
      if (q === 'down') return void resp.writeHead(503, { 'content-type': 'application/json' }).end('{"status":"error","errorType":"unavailable","error":"overloaded"}');
      if (q === 'bad{') return void resp.writeHead(400, { 'content-type': 'application/json' }).end('{"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected end of input"}');
      resp.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(vec([{}, String(q.length)])));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prefix/`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });
  const cfg = (u: string, headers: Record<string, string> = {}): PrometheusSource => ({ id: 'prom', type: 'prometheus', url: u, headers, interval: 15000, timeout: 2000, staleAfter: 45000 });
  const ctx = { clock: systemClock, signal: new AbortController().signal };

  it('queries each probe (query, else metric) with the source headers', async () => {
    seen.length = 0;
    const r = await createPrometheusSource(cfg(url, { Authorization: 'Bearer tok-123456' })).read(
      [{ id: 'a', query: 'sum(rate(x[5m]))' }, { id: 'b', metric: 'up{job="a b"}' }, { id: 'c', query: 'bad{' }],
      ctx,
    );
    expect(r.ok).toBe(true);
    expect(r.readings.a!.value).toBe('sum(rate(x[5m]))'.length);
    expect(r.readings.b!.value).toBe('up{job="a b"}'.length);
    expect(r.readings.c).toMatchObject({ value: null, error: 'PromQL error: 1:5: parse error: unexpected end of input' });
    // One batch (refused here, then its queries asked alone); `bad{` is not self-contained, so it
    // never goes in a batch.
    expect(seen.filter((s) => s.method === 'POST').map((s) => s.query)).toEqual([batchQuery(['sum(rate(x[5m]))', 'up{job="a b"}'])]);
    expect(seen.filter((s) => s.method === 'GET').map((s) => s.query).sort()).toEqual(['bad{', 'sum(rate(x[5m]))', 'up{job="a b"}']);
    expect(seen.every((s) => s.auth === 'Bearer tok-123456')).toBe(true);
  });

  it('a 5xx on any probe makes the source not ok with no readings', async () => {
    const r = await createPrometheusSource(cfg(url)).read([{ id: 'a', query: 'fine' }, { id: 'b', query: 'down' }], ctx);
    expect(r.ok).toBe(false);
    expect(r.readings).toEqual({});
    expect(r.error).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/prefix\/api\/v1\/query: HTTP 503 Service Unavailable: overloaded$/);
  });

  it('wrong url path: 404 is a source error', async () => {
    const r = await createPrometheusSource(cfg(url.replace('/prefix/', '/'))).read([{ id: 'a', query: 'x' }], ctx);
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/HTTP 404 Not Found/);
  });

  it('connection refused; without probes it still checks the server', async () => {
    const port = await freePort();
    const r = await createPrometheusSource(cfg(`http://127.0.0.1:${port}`)).read([], ctx);
    expect(r).toEqual({ ok: false, error: `GET http://127.0.0.1:${port}/api/v1/query: connection refused`, readings: {} });
    const up = await createPrometheusSource(cfg(url)).read([], ctx);
    expect(up).toEqual({ ok: true, readings: {} });
  });
});
