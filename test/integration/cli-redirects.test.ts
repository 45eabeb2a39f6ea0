/**
 * Issue 11 case 5: a redirect to another origin (a second loopback server on another port)
 * is not followed by default, and with follow_redirects: true it is followed without any of
 * the configured headers. Sources through the real binary; the http action through its
 * executor against the same real servers.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { runAction, newIdempotencyKey } from '../../src/actions/executor.js';
import type { HttpActionConfig } from '../../src/config/types.js';
import { runCli } from '../helpers/cli.js';
import { promVector, sendJson, startHttpFixture, type HttpFixture } from '../helpers/httpFixture.js';

const TOKEN = 'prom-token-5ecret';
let dir: string;
const servers: HttpFixture[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warroom-redirect-'));
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `other` answers like Prometheus and an exporter; `origin` redirects everything to it (or to itself). */
async function pair(redirect: 'other' | 'same'): Promise<{ origin: HttpFixture; other: HttpFixture }> {
  const other = await startHttpFixture((req, res) => {
    if (req.url?.startsWith('/api/v1/query')) return sendJson(res, promVector(Date.now() / 1000, '0'));
    if (req.url?.startsWith('/admin')) return sendJson(res, { ok: true });
    res.end('up 1\n');
  });
  const origin = await startHttpFixture((req, res) => {
    if (req.url?.startsWith('/moved/')) {
      const to = redirect === 'other' ? other.url : '';
      res.writeHead(req.method === 'POST' ? 307 : 302, { location: `${to}${req.url.slice('/moved'.length)}` });
      return res.end();
    }
    if (req.url?.startsWith('/api/v1/query')) return sendJson(res, promVector(Date.now() / 1000, '0'));
    res.end('up 1\n');
  });
  servers.push(origin, other);
  return { origin, other };
}

async function check(origin: HttpFixture, follow?: boolean) {
  const extra = follow === undefined ? '' : `, follow_redirects: ${follow}`;
  const cfg = join(dir, `c-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(
    cfg,
    `version: 1
deployment: { name: redirects, environment: test }
sources:
  prom: { type: prometheus, url: ${origin.url}/moved, timeout: 3s, headers: { X-Api-Key: "\${PROM_TOKEN}", Authorization: "Bearer \${PROM_TOKEN}" }${extra} }
  exporter: { type: scrape, url: ${origin.url}/moved/metrics, timeout: 3s, headers: { X-Api-Key: "\${PROM_TOKEN}" }${extra} }
gates:
  - { id: q, source: prom, query: 'count(ALERTS)', go: "== 0" }
  - { id: up, source: exporter, metric: up, go: "== 1" }
`,
  );
  const r = await runCli(['check', '--strict', '--format', 'json', '--config', cfg], { env: { PROM_TOKEN: TOKEN }, timeoutMs: 20_000 });
  return { ...r, report: r.code === 78 ? undefined : (JSON.parse(r.stdout) as { criteria: { id: string; status: string; reason: string }[] }) };
}

const leaked = (s: HttpFixture) => s.received.filter((r) => JSON.stringify(r.headers).includes(TOKEN));

describe('redirects from HTTP sources', () => {
  it('by default a redirect to another origin is not followed: nothing reaches it, and the gate says why', async () => {
    const { origin, other } = await pair('other');
    const r = await check(origin);
    expect(other.received).toEqual([]);
    expect(r.code).toBe(2);
    for (const c of r.report!.criteria) {
      expect(c.status).toBe('UNKNOWN');
      expect(c.reason).toContain('redirect to another origin');
      expect(c.reason).toContain('follow_redirects: true');
    }
  });

  it('follow_redirects: true follows it, but no configured header (custom or Authorization) goes along', async () => {
    const { origin, other } = await pair('other');
    const r = await check(origin, true);
    expect(r.stderr).toBe('');
    expect(r.report!.criteria.map((c) => c.status)).toEqual(['PASS', 'PASS']);
    expect(other.received.length).toBeGreaterThanOrEqual(2);
    expect(leaked(other)).toEqual([]);
    for (const rec of other.received) {
      expect(rec.headers['x-api-key']).toBeUndefined();
      expect(rec.headers.authorization).toBeUndefined();
    }
    // The origin itself did get them.
    expect(leaked(origin).length).toBeGreaterThanOrEqual(2);
  });

  it('a redirect within the same origin is followed with the headers', async () => {
    const { origin, other } = await pair('same');
    const r = await check(origin);
    expect(r.report!.criteria.map((c) => c.status)).toEqual(['PASS', 'PASS']);
    const followed = origin.received.filter((x) => !x.path.startsWith('/moved/'));
    expect(followed.length).toBeGreaterThanOrEqual(2);
    for (const f of followed) expect(f.headers['x-api-key']).toBe(TOKEN);
    expect(other.received).toEqual([]);
  });
});

describe('redirects from http actions', () => {
  function action(origin: HttpFixture, follow?: boolean): HttpActionConfig {
    return {
      kind: 'http',
      method: 'POST',
      url: `${origin.url}/moved/admin/kill-switch`,
      headers: { 'X-Api-Key': TOKEN },
      body: { enabled: true },
      timeout: 2000,
      retries: 0,
      ...(follow === undefined ? {} : { followRedirects: follow }),
    };
  }
  const run = (config: HttpActionConfig) =>
    runAction({ name: 'kill_switch', config, params: { actor: 'bob', reason: 'r' }, idempotencyKey: newIdempotencyKey(), secrets: [TOKEN] }, { onStep: () => {} });

  it('not followed to another origin by default', async () => {
    const { origin, other } = await pair('other');
    const out = await run(action(origin));
    expect(out.ok).toBe(false);
    expect(out.error).toContain('redirect to another origin');
    expect(other.received).toEqual([]);
  });

  it('followed with follow_redirects, without the configured header', async () => {
    const { origin, other } = await pair('other');
    const out = await run(action(origin, true));
    expect(out.ok).toBe(true);
    expect(other.received.length).toBe(1);
    expect(other.received[0]!.method).toBe('POST');
    expect(leaked(other)).toEqual([]);
  });
});
