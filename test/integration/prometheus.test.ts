/**
 * A real Prometheus (Debian binary) scraping a real test exporter every second, queried
 * through createPrometheusSource exactly as the console does. One shared instance: the first
 * scrape alone takes ~6 s.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrometheusSource } from '../../src/config/types.js';
import type { Reading } from '../../src/core/types.js';
import { systemClock } from '../../src/core/clock.js';
import { parseExposition } from '../../src/sources/exposition.js';
import { batchQuery } from '../../src/sources/promBatch.js';
import { createPrometheusSource } from '../../src/sources/prometheus.js';
import { createScrapeSource } from '../../src/sources/scrape.js';
import type { SourceAdapter } from '../../src/sources/types.js';
import { startExporter, type TestExporter } from '../helpers/exporter.js';
import { startPrometheus, type TestPrometheus } from '../helpers/prometheus.js';

const RULES = `groups:
  - name: sim
    interval: 1s
    rules:
      - alert: SimErrors
        expr: sim_errors > 5
        for: 0s
        labels: { severity: page }
`;

let exp: TestExporter;
let prom: TestPrometheus;
let source: SourceAdapter;
let ticker: NodeJS.Timeout | undefined;
const state = { requests: 0, fast: 0, slow: 0, errors: 0 };

function render(): string {
  const total = state.fast + state.slow;
  return [
    '# TYPE requests_total counter',
    `requests_total ${state.requests}`,
    '# TYPE lat histogram',
    `lat_bucket{le="0.1"} ${state.fast}`,
    `lat_bucket{le="0.5"} ${total}`,
    `lat_bucket{le="+Inf"} ${total}`,
    `lat_sum ${state.fast * 0.05 + state.slow * 0.3}`,
    `lat_count ${total}`,
    '# TYPE sim_errors gauge',
    `sim_errors ${state.errors}`,
    'multi{k="a"} 1',
    'multi{k="b"} 2',
    '',
  ].join('\n');
}

/** Reads one query through the source until `done` holds (bounded). */
async function readUntil(query: string, done: (r: Reading) => boolean, timeoutMs = 20_000): Promise<Reading> {
  const until = Date.now() + timeoutMs;
  let last: Reading | undefined;
  let lastError: string | undefined;
  while (Date.now() < until) {
    const res = await source.read([{ id: 'p', query }], { clock: systemClock, signal: AbortSignal.timeout(5000) });
    if (res.ok) {
      last = res.readings.p;
      if (last && done(last)) return last;
    } else lastError = res.error;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`condition not met for ${query}; last reading ${JSON.stringify(last)} ${lastError ?? ''}`);
}

beforeAll(async () => {
  exp = await startExporter(render());
  prom = await startPrometheus({ targets: [exp.hostPort], scrapeInterval: '1s', rules: RULES });
  const cfg: PrometheusSource = { id: 'prom', type: 'prometheus', url: prom.url, headers: {}, interval: 15_000, timeout: 5000, staleAfter: 45_000 };
  source = createPrometheusSource(cfg);
  ticker = setInterval(() => {
    state.requests += 5;
    state.fast += 9;
    state.slow += 1;
    exp.set(render());
  }, 200);
  await prom.waitForSeries('requests_total', 30_000);
}, 60_000);

afterAll(async () => {
  if (ticker) clearInterval(ticker);
  await prom?.stop();
  await exp?.stop();
});

describe('prometheus source against a real Prometheus', () => {
  it('a raised counter gives rate(x[5s]) > 0', async () => {
    const r = await readUntil('rate(requests_total[5s])', (x) => typeof x.value === 'number' && x.value > 0);
    expect(r.value as number).toBeGreaterThan(5); // ~25/s
    expect(r.error).toBeUndefined();
    expect(Math.abs(r.observedAt - Date.now())).toBeLessThan(10_000);
  });

  it('histogram_quantile over a real histogram is finite', async () => {
    const r = await readUntil('histogram_quantile(0.99, sum(rate(lat_bucket[5s])) by (le))', (x) => typeof x.value === 'number' && Number.isFinite(x.value));
    expect(r.value as number).toBeGreaterThan(0.1);
    expect(r.value as number).toBeLessThanOrEqual(0.5);
  });

  it('an alert rule firing shows up in count(ALERTS{…}) or vector(0)', async () => {
    const q = 'count(ALERTS{severity="page",alertstate="firing"}) or vector(0)';
    const before = await readUntil(q, (x) => x.value !== null, 10_000);
    expect(before.value).toBe(0);
    state.errors = 10;
    exp.set(render());
    const after = await readUntil(q, (x) => x.value === 1, 20_000);
    expect(after.value).toBe(1);
    state.errors = 0;
  });

  it('a PromQL syntax error is a probe error with Prometheus text; the source stays ok', async () => {
    const res = await source.read([{ id: 'bad', query: 'sum(rate(requests_total[5s])' }, { id: 'good', query: 'vector(1)' }], { clock: systemClock, signal: AbortSignal.timeout(5000) });
    expect(res.ok).toBe(true);
    expect(res.readings.bad!.value).toBeNull();
    expect(res.readings.bad!.error).toMatch(/^PromQL error: .*parse error/);
    expect(res.readings.good!.value).toBe(1);
  });

  it('a multi-series query is an error naming the count and label sets', async () => {
    const r = await readUntil('multi', (x) => x.error !== undefined);
    expect(r.value).toBeNull();
    expect(r.error).toMatch(/^2 series match the query; aggregate or add label matchers: /);
    expect(r.error).toContain('multi{');
    expect(r.error).toContain('k="a"');
    expect(r.error).toContain('k="b"');
  });

  it('scalar results and empty vectors', async () => {
    const s = await readUntil('scalar(sum(multi))', (x) => x.value !== null);
    expect(s.value).toBe(3);
    const none = await readUntil('no_such_metric_xyz', (x) => x.error !== undefined);
    expect(none.error).toBe('query returned no series');
  });

  it('many gates in one read: batched, each answer and error the same as asked alone; a query refused in a batch is asked alone after', async () => {
    // A counting proxy in front of the real Prometheus: what went as a batch, what alone.
    const asked: { method: string; query: string }[] = [];
    const proxy = createServer(async (req, res) => {
      let body = '';
      for await (const c of req) body += String(c);
      const u = new URL(req.url ?? '/', 'http://x');
      asked.push({ method: req.method ?? '', query: (req.method === 'POST' ? new URLSearchParams(body).get('query') : u.searchParams.get('query')) ?? '' });
      const up = await fetch(prom.url + u.pathname + u.search, { method: req.method ?? 'GET', ...(req.method === 'POST' ? { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}) });
      res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/json' }).end(await up.text());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    try {
      const via = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const cfg: PrometheusSource = { id: 'prom', type: 'prometheus', url: via, headers: {}, interval: 15_000, timeout: 5000, staleAfter: 45_000 };
      const queries = ['vector(1)', 'sum(multi)', 'multi{k="b"}', 'multi', 'no_such_metric_xyz', 'scalar(sum(multi))', 'sum(rate(requests_total[5s])', 'count(multi) * 2'];
      const probes = queries.map((query, i) => ({ id: `p${i}`, query }));
      const ctx = () => ({ clock: systemClock, signal: AbortSignal.timeout(5000) });
      const batched = createPrometheusSource(cfg);
      const first = await batched.read(probes, ctx());
      const alone: Record<string, Reading> = {};
      for (const p of probes) alone[p.id] = (await createPrometheusSource(cfg).read([p], ctx())).readings[p.id]!;
      const shape = (r: Record<string, Reading>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, { value: v.value, error: v.error }]));
      expect(first.ok).toBe(true);
      expect(shape(first.readings)).toEqual(shape(alone));
      expect(shape(first.readings)).toMatchObject({ p0: { value: 1 }, p1: { value: 3 }, p2: { value: 2 }, p4: { error: 'query returned no series' }, p5: { value: 3 }, p7: { value: 4 } });
      expect(first.readings.p3!.error).toMatch(/^2 series match the query/);
      expect(first.readings.p6!.error).toMatch(/^PromQL error: .*parse error/);
      // The first read: one batch, refused (a scalar in it), then each alone; the syntax error is
      // not self-contained (a bracket open), so it is never in a batch.
      const broken = 'sum(rate(requests_total[5s])';
      expect(asked.filter((a) => a.method === 'POST').map((a) => a.query)).toEqual([batchQuery(queries.filter((q) => q !== broken))]);
      // Next read: the scalar and the broken one alone, the other six in one batch.
      asked.length = 0;
      const second = await batched.read(probes, ctx());
      expect(shape(second.readings)).toEqual(shape(first.readings));
      const ok = queries.filter((q) => q !== 'scalar(sum(multi))' && q !== 'sum(rate(requests_total[5s])');
      expect(asked.filter((a) => a.method === 'POST').map((a) => a.query)).toEqual([batchQuery(ok)]);
      expect(asked.filter((a) => a.method === 'GET').map((a) => a.query).sort()).toEqual(['scalar(sum(multi))', 'sum(rate(requests_total[5s])']);
    } finally {
      proxy.closeAllConnections();
      await new Promise<void>((r) => proxy.close(() => r()));
    }
  });

  it("parses Prometheus' own live /metrics output, and scrapes it as a scrape source", async () => {
    const text = await (await fetch(`${prom.url}/metrics`)).text();
    const { samples, types } = parseExposition(text);
    expect(samples.length).toBeGreaterThan(100);
    expect(Object.values(types)).toContain('histogram');
    const scrape = createScrapeSource({ id: 'self', type: 'scrape', url: `${prom.url}/metrics`, headers: {}, interval: 5000, timeout: 5000, staleAfter: 15_000 });
    const r = await scrape.read([{ id: 'ready', metric: 'prometheus_ready' }, { id: 'q', metric: 'go_gc_duration_seconds{quantile="0.5"}' }], { clock: systemClock, signal: AbortSignal.timeout(5000) });
    expect(r.ok).toBe(true);
    expect(r.readings.ready!.value).toBe(1);
    expect(typeof r.readings.q!.value).toBe('number');
  });
});
