/**
 * `type: http` sources (SPEC §9.3) through the compiled binary against real loopback servers:
 * each value kind (status, json_path, header/header_match, latency), each error in words, the
 * per-gate request keys, fail-closed statuses, the redirect and secret rules, and info gates.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const TOKEN = 'api-token-5ecret-value';

interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}
interface Srv {
  url: string;
  seen: Seen[];
  server: Server;
}

async function serve(handler: (req: Seen, res: ServerResponse) => void): Promise<Srv> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const s: Seen = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      seen.push(s);
      handler(s, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}
const stop = (s: Srv) =>
  new Promise<void>((r) => {
    s.server.closeAllConnections();
    s.server.close(() => r());
  });

const json = (res: ServerResponse, body: unknown, status = 200) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

let dir: string;
let api: Srv;
let other: Srv;
let closedUrl: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warroom-http-'));
  other = await serve((_req, res) => json(res, { ok: true }));
  api = await serve((req, res) => {
    const path = req.path.split('?')[0];
    switch (path) {
      case '/healthz':
        return res.end('ok');
      case '/down':
        res.writeHead(503, { 'content-type': 'text/plain' });
        return res.end('maintenance');
      case '/api/features/status':
        return json(res, { outbox: { enabled: true }, checks: [{ ok: true }, { ok: false }] });
      case '/flags503':
        return json(res, { outbox: { enabled: true } }, 503);
      case '/html':
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<html>login</html>');
      case '/':
        res.writeHead(200, { 'strict-transport-security': 'max-age=31536000; includeSubDomains' });
        return res.end('home');
      case '/weak':
        res.writeHead(200, { 'strict-transport-security': 'includeSubDomains' });
        return res.end('weak');
      case '/slow':
        setTimeout(() => res.end('slow'), 400);
        return;
      case '/echo':
        return json(res, { method: req.method, type: req.headers['content-type'] ?? null, body: req.headers['content-type'] === 'application/json' && req.body.startsWith('{') ? JSON.parse(req.body) : req.body, x: req.headers['x-gate'] ?? null });
      case '/leak':
        // A broken endpoint echoing the credentials it got: they must never be shown.
        res.writeHead(500, { 'content-type': 'text/plain' });
        return res.end(`rejected ${String(req.headers.authorization)}`);
      case '/future':
        res.writeHead(200, { date: new Date(Date.now() + 600_000).toUTCString() });
        return res.end('ahead');
      case '/cached':
        // A proxy's cached answer: its Date is when it was really produced.
        res.writeHead(200, { date: new Date(Date.now() - 600_000).toUTCString(), age: '600' });
        return res.end('old');
      case '/moved':
        res.writeHead(302, { location: `${other.url}/elsewhere` });
        return res.end();
      default:
        res.writeHead(404);
        return res.end('not found');
    }
  });
  // A port that was just free: nothing listens there, so connecting is refused.
  const gone = await serve(() => undefined);
  closedUrl = gone.url;
  await stop(gone);
});

afterAll(async () => {
  await Promise.all([stop(api), stop(other)]);
  await rm(dir, { recursive: true, force: true });
});

interface Report {
  overall: string;
  criteria: { id: string; status: string; value: unknown; reason: string; severity: string; owner?: string; runbook?: string; description?: string }[];
  sources: { id: string; state: string; error?: string }[];
}

async function check(gates: string, opts: { format?: 'json' | 'text' } = {}) {
  const file = join(dir, `c-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(
    file,
    `version: 1
deployment: { name: http-checks, environment: test }
sources:
  api: { type: http, url: ${api.url}, interval: 15s, timeout: 3s, headers: { Authorization: "Bearer \${API_TOKEN}" } }
gates:
${gates}
audit: { dir: ${join(dir, 'audit')} }
`,
  );
  const r = await runCli(['check', '--strict', '--format', opts.format ?? 'json', '--config', file], { env: { API_TOKEN: TOKEN }, timeoutMs: 20_000 });
  const report = opts.format === 'text' || r.code === 78 ? undefined : (JSON.parse(r.stdout) as Report);
  const by = Object.fromEntries((report?.criteria ?? []).map((c) => [c.id, c]));
  return { ...r, report, by };
}

describe('http source: value kinds', () => {
  let r: Awaited<ReturnType<typeof check>>;
  beforeAll(async () => {
    r = await check(`
  - { id: healthz, source: api, path: /healthz, go: "== 200", owner: team-checkout, runbook: "https://runbooks.example.com/healthz", description: "curl -f /healthz" }
  - { id: down, source: api, path: /down, go: "== 200" }
  - { id: flags, source: api, path: /api/features/status, json_path: "$.outbox.enabled", go: "== true" }
  - { id: flags_truthy, source: api, path: /api/features/status, json_path: "$.outbox.enabled" }
  - { id: hsts, source: api, path: /, header: strict-transport-security, header_match: 'max-age=(\\d+)', go: ">= 15552000" }
  - { id: hsts_text, source: api, path: /, header: Strict-Transport-Security, go: "!= none" }
  - { id: p95, source: api, path: /healthz, latency: true, go: "< 0.3" }
  - { id: slow, source: api, path: /slow, latency: true, go: "< 0.2" }
  - { id: post, source: api, path: /echo, method: post, json_body: { a: 1 }, headers: { X-Gate: g1 }, json_path: "$.body.a", go: "== 1" }
  - { id: post_type, source: api, path: /echo, method: POST, json_body: { a: 1 }, json_path: "$.type", go: "== application/json" }
  - { id: raw_body, source: api, path: /echo, method: PUT, body: "plain", headers: { Content-Type: application/json }, json_path: "$.method", go: "== PUT" }
  - { id: other_origin, source: api, url: "${other.url}/status", json_path: "$.ok", go: "== true" }
`);
  });

  it('the status code is the default value; a 503 is a FAIL with its code', () => {
    expect(r.by.healthz).toMatchObject({ status: 'PASS', value: 200 });
    expect(r.by.down).toMatchObject({ status: 'FAIL', value: 503 });
    expect(r.code).toBe(2);
  });

  it('json_path reads one value from the JSON body, compared with go or by truthiness', () => {
    expect(r.by.flags).toMatchObject({ status: 'PASS', value: true });
    expect(r.by.flags_truthy).toMatchObject({ status: 'PASS', value: true });
  });

  it('header gives the header text; header_match its first capture group as a number', () => {
    expect(r.by.hsts).toMatchObject({ status: 'PASS', value: 31536000 });
    expect(r.by.hsts_text).toMatchObject({ status: 'PASS', value: 'max-age=31536000; includeSubDomains' });
  });

  it('latency is the seconds one request took', () => {
    expect(r.by.p95!.status).toBe('PASS');
    expect(r.by.p95!.value as number).toBeLessThan(0.3);
    expect(r.by.slow!.status).toBe('FAIL');
    expect(r.by.slow!.value as number).toBeGreaterThanOrEqual(0.38);
  });

  it('a gate sends its own method, headers and body (json_body as application/json)', () => {
    expect(r.by.post).toMatchObject({ status: 'PASS', value: 1 });
    expect(r.by.post_type).toMatchObject({ status: 'PASS', value: 'application/json' });
    expect(r.by.raw_body).toMatchObject({ status: 'PASS', value: 'PUT' });
    const posts = api.seen.filter((s) => s.path === '/echo' && s.method === 'POST');
    expect(posts.map((s) => s.body)).toEqual(['{"a":1}', '{"a":1}']);
    expect(posts.some((s) => s.headers['x-gate'] === 'g1')).toBe(true);
    expect(api.seen.find((s) => s.method === 'PUT')?.body).toBe('plain');
  });

  it('the source headers go to the source url only: a gate url on another origin never gets them', () => {
    expect(r.by.other_origin).toMatchObject({ status: 'PASS', value: true });
    expect(other.seen.length).toBeGreaterThan(0);
    expect(JSON.stringify(other.seen.map((s) => s.headers))).not.toContain(TOKEN);
    expect(api.seen.find((s) => s.path === '/healthz')?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('owner, runbook and description reach check json criteria (only where set)', () => {
    expect(r.by.healthz).toMatchObject({ owner: 'team-checkout', runbook: 'https://runbooks.example.com/healthz', description: 'curl -f /healthz' });
    expect(r.by.down).not.toHaveProperty('owner');
  });
});

describe('http source: errors in words, never GO', () => {
  let r: Awaited<ReturnType<typeof check>>;
  beforeAll(async () => {
    r = await check(`
  - { id: refused, source: api, url: "${closedUrl}/healthz", go: "== 200" }
  - { id: non2xx, source: api, path: /flags503, json_path: "$.outbox.enabled", go: "== true" }
  - { id: not_json, source: api, path: /html, json_path: "$.outbox.enabled", go: "== true" }
  - { id: no_match, source: api, path: /api/features/status, json_path: "$.inbox.enabled", go: "== true" }
  - { id: several, source: api, path: /api/features/status, json_path: "$.checks[*].ok", go: "== true" }
  - { id: hdr_missing, source: api, path: /healthz, header: strict-transport-security, go: "!= x" }
  - { id: hdr_nomatch, source: api, path: /weak, header: strict-transport-security, header_match: 'max-age=(\\d+)', go: ">= 1" }
  - { id: slow_down, source: api, path: /down, latency: true, go: "< 5" }
  - { id: timeout, source: api, path: /slow, timeout: 150ms, go: "== 200" }
  - { id: leak, source: api, path: /leak, json_path: "$.x", go: "== 1" }
  - { id: moved_hdr, source: api, path: /moved, header: strict-transport-security, go: "!= x" }
  - { id: moved_status, source: api, path: /moved, go: "== 200" }
`);
  });

  const expectUnknown = (id: string, words: RegExp) => {
    expect(r.by[id], id).toBeDefined();
    expect(r.by[id]!.status, id).toBe('UNKNOWN');
    expect(r.by[id]!.value, id).toBeNull();
    expect(r.by[id]!.reason, id).toMatch(words);
  };

  it('every error is UNKNOWN with its reason, and the overall is NO-GO (exit 2)', () => {
    expect(r.code).toBe(2);
    expect(r.report!.overall).toBe('NO-GO');
    expectUnknown('refused', /connection refused/);
    expectUnknown('non2xx', /HTTP 503/);
    expectUnknown('not_json', /not JSON \(content-type text\/html\): <html>login/);
    expectUnknown('no_match', /\$\.inbox\.enabled matches nothing/);
    expectUnknown('several', /matches 2 values \(true, false\); narrow it to one/);
    expectUnknown('hdr_missing', /header strict-transport-security missing/);
    expectUnknown('hdr_nomatch', /"includeSubDomains" does not match max-age=\(\\d\+\)/);
    expectUnknown('slow_down', /latency not measured: HTTP 503/);
    expectUnknown('timeout', /timed out after 150ms/);
  });

  it('a redirect to another origin is not followed: a header gate says so; a status gate shows the 302 and why', () => {
    expectUnknown('moved_hdr', /redirect to another origin .* not followed; set follow_redirects: true/);
    expect(r.by.moved_status).toMatchObject({ status: 'FAIL', value: 302 });
    expect(r.by.moved_status!.reason).toMatch(/redirect to another origin/);
    expect(other.seen.filter((s) => s.path === '/elsewhere')).toEqual([]);
  });

  it('a token the server echoes back never reaches the output', () => {
    expectUnknown('leak', /HTTP 500/);
    expect(r.stdout).not.toContain(TOKEN);
    expect(r.stderr).not.toContain(TOKEN);
    expect(r.stdout).not.toContain('5ecret');
  });
});

describe('http source: the Date header is the source clock (SPEC §9.2 max_clock_skew)', () => {
  it('a Date ahead is clamped to the receive time with a warning; a cached answer is as old as its Date', async () => {
    const r = await check(`
  - { id: future, source: api, path: /future, go: "== 200" }
  - { id: cached, source: api, path: /cached, go: "== 200" }
`);
    expect(r.by.future!.status).toBe('PASS');
    expect(r.by.future!.reason).toMatch(/warning: source clock (9m5\d+s|10m) ahead \(max_clock_skew 30s\); using receive time/);
    expect(r.by.cached!.status).toBe('UNKNOWN');
    expect(r.by.cached!.reason).toMatch(/stale: last data (10m\S*|9m5\d+s) ago/);
    expect(r.code).toBe(2);
  });
});

describe('severity: info is shown, never counted', () => {
  it('a failing info gate leaves check --strict at GO (exit 0) and shows in the report', async () => {
    const gates = `
  - { id: healthz, source: api, path: /healthz, go: "== 200" }
  - { id: cost, severity: info, source: api, path: /down, go: "== 200" }
  - { id: watched, severity: info, source: api, path: /healthz, latency: true }
`;
    const j = await check(gates);
    expect(j.code).toBe(0);
    expect(j.report!.overall).toBe('GO');
    expect(j.by.cost).toMatchObject({ status: 'FAIL', severity: 'info', value: 503 });
    expect(j.by.watched).toMatchObject({ status: 'PASS', severity: 'info' });
    const t = await check(gates, { format: 'text' });
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/Overall: GO/);
    expect(t.stdout).toMatch(/\[FAIL\]\s+cost\s+503 .*\(info: not counted\)/);
  });

  it('the same gate as critical makes it NO-GO (exit 2): only the severity differs', async () => {
    const j = await check(`
  - { id: healthz, source: api, path: /healthz, go: "== 200" }
  - { id: cost, source: api, path: /down, go: "== 200" }
`);
    expect(j.code).toBe(2);
    expect(j.by.cost).toMatchObject({ status: 'FAIL', severity: 'critical' });
  });
});

describe('http gate config problems', () => {
  it('exit 78 with each problem at its line', async () => {
    const r = await check(`
  - { id: a, source: api, path: /x, json_path: "$.a", header: server, go: "== 1" }
  - { id: b, source: api, path: /x }
`);
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/\.yaml:7 gates\[0\]\.header: give one of json_path, header, latency/);
    expect(r.stderr).toMatch(/\.yaml:8 gates\[1\]\.go: required: an http gate on the status code needs go/);
  });
});
