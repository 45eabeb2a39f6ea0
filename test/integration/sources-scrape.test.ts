import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScrapeSource } from '../../src/config/types.js';
import { FakeClock, systemClock } from '../../src/core/clock.js';
import { createScrapeSource } from '../../src/sources/scrape.js';
import type { Probe } from '../../src/sources/types.js';
import { startExporter, type TestExporter } from '../helpers/exporter.js';
import { freePort } from '../helpers/prometheus.js';
import { startSilentServer } from '../helpers/silent-server.js';

const cfg = (url: string, extra: Partial<ScrapeSource> = {}): ScrapeSource => ({
  id: 'exporter', type: 'scrape', url, headers: {}, interval: 5000, timeout: 2000, staleAfter: 15000, ...extra,
});
const ctx = (signal = new AbortController().signal) => ({ clock: systemClock, signal });

const EXPO = `# TYPE policy_entropy gauge
policy_entropy{policy="live"} 0.93
policy_entropy{policy="shadow",region="a"} 0.5
policy_entropy{policy="shadow",region="b"} 0.6
policy_entropy{policy="shadow",region="c"} 0.7
policy_entropy{policy="shadow",region="d"} 0.8
q_value_spread 1.7 1700000000123
broken_value NaN
`;

describe('scrape source against a real HTTP exporter', () => {
  let exp: TestExporter;
  beforeAll(async () => {
    exp = await startExporter(EXPO);
  });
  afterAll(async () => {
    await exp.stop();
  });

  it('reads one series per probe; none / several are probe errors, the source stays ok', async () => {
    const src = createScrapeSource(cfg(exp.url));
    const probes: Probe[] = [
      { id: 'live', metric: 'policy_entropy{policy="live"}' },
      { id: 'spread', metric: 'q_value_spread' },
      { id: 'none', metric: 'policy_entropy{policy="gone"}' },
      { id: 'many', metric: 'policy_entropy{policy="shadow"}' },
      { id: 'nan', metric: 'broken_value' },
      { id: 'badsel', metric: 'policy_entropy{policy=' },
    ];
    const before = Date.now();
    const r = await src.read(probes, ctx());
    expect(r.ok).toBe(true);
    expect(r.error).toBeUndefined();
    expect(r.readings.live!.value).toBe(0.93);
    expect(r.readings.live!.observedAt).toBeGreaterThanOrEqual(before);
    expect(r.readings.spread).toEqual({ value: 1.7, observedAt: 1700000000123 });
    expect(r.readings.none).toMatchObject({ value: null, error: 'no series matches policy_entropy{policy="gone"}' });
    expect(r.readings.many!.value).toBeNull();
    expect(r.readings.many!.error).toMatch(/^4 series match policy_entropy\{policy="shadow"\}; add label matchers: /);
    expect(r.readings.many!.error).toContain('policy_entropy{policy="shadow", region="a"}');
    expect(r.readings.many!.error).toContain('region="c"');
    expect(r.readings.many!.error).not.toContain('region="d"');
    expect(r.readings.many!.error).toContain('(1 more)');
    expect(r.readings.nan!.value).toBeNaN(); // passed on; the engine fails it closed
    expect(r.readings.badsel!.value).toBeNull();
    expect(r.readings.badsel!.error).toMatch(/invalid selector/);
  });

  it('sends configured headers but never puts them in errors', async () => {
    let seen: string | undefined;
    const server = createServer((req, res) => {
      seen = req.headers.authorization;
      res.writeHead(503, { 'content-type': 'text/plain' }).end('token Bearer s3cret-token-xyz rejected\u001b[31m');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    try {
      const src = createScrapeSource(cfg(`http://127.0.0.1:${port}/metrics?key=abc`, { headers: { Authorization: 'Bearer s3cret-token-xyz' } }));
      const r = await src.read([{ id: 'x', metric: 'up' }], ctx());
      expect(seen).toBe('Bearer s3cret-token-xyz');
      expect(r.ok).toBe(false);
      expect(r.error).toMatch(new RegExp(`^GET http://127.0.0.1:${port}/metrics: HTTP 503 Service Unavailable`));
      expect(r.error).not.toContain('s3cret');
      expect(r.error).not.toContain('key=abc');
      expect(r.error).not.toContain('\u001b');
      expect(r.readings).toEqual({});
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('HTTP 503 from the exporter: source not ok, no readings', async () => {
    exp.setStatus(503);
    try {
      const r = await createScrapeSource(cfg(exp.url)).read([{ id: 'live', metric: 'policy_entropy{policy="live"}' }], ctx());
      expect(r).toMatchObject({ ok: false, readings: {} });
      expect(r.error).toContain('HTTP 503 Service Unavailable');
    } finally {
      exp.setStatus(200);
    }
  });

  it('unparsable exposition: source not ok with the line number', async () => {
    exp.set('good 1\nbad{x="1} 2\n');
    try {
      const r = await createScrapeSource(cfg(exp.url)).read([{ id: 'g', metric: 'good' }], ctx());
      expect(r.ok).toBe(false);
      expect(r.error).toMatch(/unparsable exposition at line 2: unterminated label value/);
    } finally {
      exp.set(EXPO);
    }
  });

  it('connection refused', async () => {
    const port = await freePort();
    const r = await createScrapeSource(cfg(`http://127.0.0.1:${port}/metrics`)).read([{ id: 'a', metric: 'up' }], ctx());
    expect(r).toEqual({ ok: false, error: `GET http://127.0.0.1:${port}/metrics: connection refused`, readings: {} });
  });

  it('a server that never answers times out after the source timeout', async () => {
    const silent = await startSilentServer();
    try {
      const t0 = Date.now();
      const r = await createScrapeSource(cfg(`${silent.url}/metrics`, { timeout: 300 })).read([{ id: 'a', metric: 'up' }], ctx());
      const took = Date.now() - t0;
      expect(r.ok).toBe(false);
      expect(r.error).toBe(`GET ${silent.url}/metrics: timed out after 300ms`);
      expect(took).toBeGreaterThanOrEqual(250);
      expect(took).toBeLessThan(2000); // one attempt, no retries
      expect(silent.requests()).toBe(1);
    } finally {
      await silent.stop();
    }
  });

  it('stops at once when the read is aborted', async () => {
    const silent = await startSilentServer();
    try {
      const ac = new AbortController();
      const t0 = Date.now();
      setTimeout(() => ac.abort(new Error('shutting down')), 100);
      const r = await createScrapeSource(cfg(`${silent.url}/metrics`, { timeout: 10_000 })).read([{ id: 'a', metric: 'up' }], ctx(ac.signal));
      expect(Date.now() - t0).toBeLessThan(2000);
      expect(r.ok).toBe(false);
      expect(r.error).toMatch(/aborted \(shutting down\)/);
    } finally {
      await silent.stop();
    }
  });

  it('uses the injected clock for the read time', async () => {
    const clock = new FakeClock(Date.parse('2030-01-01T00:00:00Z'));
    const r = await createScrapeSource(cfg(exp.url)).read([{ id: 'live', metric: 'policy_entropy{policy="live"}' }], { clock, signal: new AbortController().signal });
    expect(r.readings.live!.observedAt).toBe(Date.parse('2030-01-01T00:00:00Z'));
  });
});
