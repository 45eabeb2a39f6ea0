/**
 * The alertmanager source under the rules every HTTP source follows (SPEC §9.2), and the
 * answers a real Alertmanager does not give: a redirect to another origin is not followed by
 * default and never carries the configured headers; a failing, non-JSON or wrong-shaped answer
 * is UNKNOWN in words; the token never reaches the output. Loopback fixtures, the real binary.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { sendJson, startHttpFixture, type HttpFixture } from '../helpers/httpFixture.js';

const TOKEN = 'am-token-5ecret-xyz';
let dir: string;
const servers: HttpFixture[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warroom-am-http-'));
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fixture(answer: (path: string, res: ServerResponse) => void): Promise<HttpFixture> {
  const s = await startHttpFixture((req, res) => answer(req.url ?? '', res));
  servers.push(s);
  return s;
}

/** An empty, healthy Alertmanager API. */
const quiet = (path: string, res: ServerResponse) => sendJson(res, path.startsWith('/api/v2/') ? [] : { error: 'no' }, path.startsWith('/api/v2/') ? 200 : 404);

async function check(url: string, extra = '') {
  const cfg = join(dir, `c-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(
    cfg,
    `version: 1
deployment: { name: d, environment: test }
sources:
  am: { type: alertmanager, url: ${url}, timeout: 3s, headers: { Authorization: "Bearer \${AM_TOKEN}", X-Scope-OrgID: "\${AM_TOKEN}" }${extra} }
gates:
  - { id: pages, source: am, filter: ['severity="page"'], silences: warn }
`,
  );
  const r = await runCli(['check', '--strict', '--format', 'json', '--config', cfg], { env: { AM_TOKEN: TOKEN }, timeoutMs: 20_000 });
  expect(r.stdout + r.stderr).not.toContain(TOKEN);
  const report = JSON.parse(r.stdout) as { overall: string; criteria: { id: string; status: string; reason: string }[] };
  return { code: r.code, overall: report.overall, c: report.criteria[0]! };
}

describe('alertmanager source over HTTP', () => {
  it('sends the filter as repeated filter= parameters, with the configured headers', async () => {
    const am = await fixture(quiet);
    const { c } = await check(am.url);
    expect(c.status).toBe('PASS');
    const alerts = am.received.find((r) => r.path.startsWith('/api/v2/alerts'))!;
    const q = new URL(alerts.path, am.url).searchParams;
    expect(q.getAll('filter')).toEqual(['severity="page"']);
    // silences: warn asks for the silenced alerts too (counted apart), to see what each silence mutes.
    expect([q.get('active'), q.get('silenced'), q.get('inhibited')]).toEqual(['true', 'true', 'false']);
    expect(alerts.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(am.received.some((r) => r.path === '/api/v2/silences')).toBe(true);
  });

  it('a redirect to another origin is not followed by default: UNKNOWN, nothing reaches the other origin', async () => {
    const other = await fixture(quiet);
    const origin = await fixture((path, res) => {
      res.writeHead(302, { location: `${other.url}${path}` });
      res.end();
    });
    const { code, c } = await check(origin.url);
    expect(other.received).toEqual([]);
    expect(c.status).toBe('UNKNOWN');
    expect(c.reason).toContain('redirect to another origin');
    expect(code).toBe(2);
  });

  it('with follow_redirects: true it is followed without the configured headers', async () => {
    const other = await fixture(quiet);
    const origin = await fixture((path, res) => {
      res.writeHead(302, { location: `${other.url}${path}` });
      res.end();
    });
    const { c } = await check(origin.url, ', follow_redirects: true');
    expect(c.status).toBe('PASS');
    expect(other.received.length).toBeGreaterThan(0);
    expect(other.received.filter((r) => JSON.stringify(r.headers).includes(TOKEN))).toEqual([]);
  });

  it('HTTP 503, a body that is not JSON, and a JSON answer of the wrong shape are UNKNOWN in words', async () => {
    const down = await fixture((_p, res) => sendJson(res, { error: `overloaded ${TOKEN}` }, 503));
    const r503 = await check(down.url);
    expect(r503.c.status).toBe('UNKNOWN');
    expect(r503.c.reason).toMatch(/^source am down: GET http:\/\/127\.0\.0\.1:\d+\/api\/v2\/alerts: HTTP 503/);

    const html = await fixture((_p, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>login</html>');
    });
    expect((await check(html.url)).c.reason).toMatch(/api\/v2\/alerts: the answer is not JSON \(check url and base_path\)$/);

    const shape = await fixture((_p, res) => sendJson(res, { data: [] }));
    const wrong = await check(shape.url);
    expect(wrong.c).toMatchObject({ status: 'UNKNOWN' });
    expect(wrong.c.reason).toContain('not an Alertmanager v2 alert list (check url and base_path)');
  });

  it('silences that fail to load make a silences: warn gate UNKNOWN, not a quiet GO', async () => {
    const am = await fixture((path, res) => (path.startsWith('/api/v2/silences') ? sendJson(res, 'boom', 500) : sendJson(res, [])));
    const { code, c } = await check(am.url);
    expect(c.status).toBe('UNKNOWN');
    expect(c.reason).toMatch(/^cannot check silences: GET http:\/\/127\.0\.0\.1:\d+\/api\/v2\/silences: HTTP 500/);
    expect(code).toBe(2);
  });
});
