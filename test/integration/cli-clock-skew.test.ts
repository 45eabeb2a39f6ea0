/**
 * Issue 11 case 1 through the real binary: a source stamping its samples an hour ahead. The
 * sample time is min(source time, receive time) and the gate says the source clock is ahead.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { promVector, sendJson, startHttpFixture, type HttpFixture } from '../helpers/httpFixture.js';

const HOUR = 3600_000;
let server: HttpFixture;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warroom-skew-'));
  server = await startHttpFixture((req, res) => {
    const ahead = Date.now() + HOUR;
    if (req.url?.startsWith('/api/v1/query')) return sendJson(res, promVector(ahead / 1000, '0'));
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(`# TYPE errors gauge\nerrors 0 ${ahead}\n`);
  });
});
afterAll(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('warroom check with source timestamps 1h in the future', () => {
  it('keeps the value but stamps it with the receive time and warns on the gate', async () => {
    const cfg = join(dir, 'warroom.yaml');
    await writeFile(
      cfg,
      `version: 1
deployment: { name: skew, environment: test }
sources:
  prom: { type: prometheus, url: ${server.url}, timeout: 3s }
  exporter: { type: scrape, url: ${server.url}/metrics, timeout: 3s, max_clock_skew: 10m }
gates:
  - { id: page_alerts, source: prom, query: 'count(ALERTS)', go: "== 0" }
  - { id: errors, source: exporter, metric: errors, go: "== 0" }
`,
    );
    const before = Date.now();
    const r = await runCli(['check', '--strict', '--format', 'json', '--config', cfg], { timeoutMs: 20_000 });
    const after = Date.now();
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as { criteria: { id: string; status: string; reason: string; observed_at?: string }[] };
    for (const id of ['page_alerts', 'errors']) {
      const c = report.criteria.find((x) => x.id === id)!;
      expect(c.status).toBe('PASS');
      const at = Date.parse(c.observed_at!);
      // Never later than we received it (the server said now + 1h).
      expect(at).toBeGreaterThanOrEqual(before - 1000);
      expect(at).toBeLessThanOrEqual(after);
      expect(c.reason).toMatch(/source clock (59m\d*s?|1h) ahead/);
    }
    // Per-source max_clock_skew is honoured in the text.
    expect(report.criteria.find((x) => x.id === 'errors')!.reason).toContain('max_clock_skew 10m');
    expect(report.criteria.find((x) => x.id === 'page_alerts')!.reason).toContain('max_clock_skew 30s');
    expect(r.code).toBe(0);
  });

  it('max_clock_skew is a known key and must be a duration', async () => {
    const cfg = join(dir, 'bad.yaml');
    await writeFile(
      cfg,
      `version: 1
deployment: { name: skew }
sources:
  prom: { type: prometheus, url: ${server.url}, max_clock_skew: soon }
gates:
  - { id: a, source: prom, query: '1', go: "== 1" }
`,
    );
    const r = await runCli(['validate', '--config', cfg]);
    expect(r.code).toBe(78);
    // Validated as a duration (an unknown key would say "unknown key").
    expect(r.stderr).toMatch(/sources\.prom\.max_clock_skew: "soon" is not a duration/);
  });
});
