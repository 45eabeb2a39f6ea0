/** Config for `type: http` sources and their gates, `severity: info` and gate metadata (SPEC §9.3). */
import { describe, expect, it } from 'vitest';
import { loadConfigText, type LoadResult } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { joinSourceUrl } from '../../src/config/urlJoin.js';

const HEAD = `version: 1
deployment: { name: d }
sources:
  api: { type: http, url: "http://127.0.0.1:8080/base", timeout: 2s, headers: { Authorization: "Bearer \${TOKEN}" } }
  prom: { type: prometheus, url: "http://127.0.0.1:9090" }
gates:
`;
const ENV = { TOKEN: 'tok-0123456789' };
const load = (gates: string): LoadResult => loadConfigText(HEAD + gates, { file: '/srv/wr/warroom.yaml', env: ENV });
function ok(gates: string): Config {
  const r = load(gates);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.line} ${p.path}: ${p.message}`).join('\n'));
  return r.config;
}
/** "line path" -> message; fails if the text loads. */
function probs(gates: string): Record<string, string> {
  const r = load(gates);
  if (r.ok) throw new Error('expected problems');
  return Object.fromEntries(r.problems.map((p) => [`${p.line} ${p.path}`, p.message]));
}

describe('http source config', () => {
  it('defaults like the other HTTP sources; headers kept; max_clock_skew and follow_redirects accepted', () => {
    const c = ok(`  - { id: h, source: api, go: "== 200" }\n`);
    expect(c.sources.api).toEqual({ id: 'api', type: 'http', url: 'http://127.0.0.1:8080/base', headers: { Authorization: 'Bearer tok-0123456789' }, interval: 15_000, timeout: 2_000, staleAfter: 45_000 });
    const r = loadConfigText(`version: 1\ndeployment: { name: d }\nsources:\n  api: { type: http, url: "http://h", max_clock_skew: 5s, follow_redirects: true }\ngates:\n  - { id: h, source: api, go: "== 200" }\n`, { file: '/w.yaml', env: {} });
    expect(r.ok && r.config.sources.api).toMatchObject({ maxClockSkew: 5000, followRedirects: true });
  });

  it('unknown source keys are errors with their line', () => {
    const r = loadConfigText(`version: 1\ndeployment: { name: d }\nsources:\n  api: { type: http, url: "http://h", json_path: "$.a" }\ngates:\n  - { id: h, source: api, go: "== 200" }\n`, { file: '/w.yaml', env: {} });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems).toContainEqual(expect.objectContaining({ path: 'sources.api.json_path', line: 4, message: expect.stringMatching(/unknown key "json_path"/) }));
  });
});

describe('http gates', () => {
  it('each value kind, with the request normalized: path joined, method upper-cased, header name lower-cased', () => {
    const c = ok(`  - { id: healthz, source: api, path: /healthz, go: "== 200" }
  - { id: flags, source: api, path: "api/features/status?verbose=1", json_path: "$.outbox.enabled" }
  - { id: hsts, source: api, path: /, header: Strict-Transport-Security, header_match: 'max-age=(\\d+)', go: ">= 15552000" }
  - { id: p95, source: api, path: /healthz, latency: true, go: "< 0.2", timeout: 500ms }
  - { id: post, source: api, url: "http://other.example/run", method: post, headers: { X-A: b }, json_body: { a: [1] }, go: "== 201" }
  - { id: raw, source: api, path: /x, method: PUT, body: "text", go: "== 204" }
`);
    const h = Object.fromEntries(c.gates.map((g) => [g.id, g.http]));
    expect(h.healthz).toEqual({ url: 'http://127.0.0.1:8080/base/healthz', method: 'GET', headers: {}, value: { kind: 'status' } });
    expect(h.flags).toEqual({ url: 'http://127.0.0.1:8080/base/api/features/status?verbose=1', method: 'GET', headers: {}, value: { kind: 'json_path', path: '$.outbox.enabled' } });
    expect(h.hsts!.value).toEqual({ kind: 'header', name: 'strict-transport-security', match: 'max-age=(\\d+)' });
    expect(h.p95).toMatchObject({ timeout: 500, value: { kind: 'latency' } });
    expect(h.post).toEqual({ url: 'http://other.example/run', method: 'POST', headers: { 'X-A': 'b' }, jsonBody: { a: [1] }, value: { kind: 'status' } });
    expect(h.raw).toMatchObject({ method: 'PUT', body: 'text' });
  });

  it('problems, each at its own line', () => {
    const p = probs(`  - { id: a, source: api, path: /a, url: "http://x/", go: "== 200" }
  - { id: b, source: api, path: "http://evil.example/x", go: "== 200" }
  - { id: c, source: api, json_path: "$.a", latency: true, go: "== 1" }
  - { id: d, source: api, header_match: 'max-age=(\\d+)', go: "== 1" }
  - { id: e, source: api, header: hsts, header_match: 'max-age=\\d+', go: "== 1" }
  - { id: f, source: api, header: hsts, header_match: 'max-age=(', go: "== 1" }
  - { id: g, source: api, body: x, go: "== 200" }
  - { id: h, source: api, method: POST, body: x, json_body: {}, go: "== 200" }
  - { id: i, source: api, timeout: 3s, go: "== 200" }
  - { id: j, source: api, latency: true }
  - { id: k, source: api, json_path: "outbox.enabled" }
  - { id: l, source: api, json_path: "$.a[0", go: "== 1" }
  - { id: m, source: api, method: HEAD, json_path: "$.a" }
  - { id: n, source: api, method: TRACE, go: "== 200" }
  - { id: o, source: api, go: "== 200", severity: info, rollback: auto }
  - { id: p, source: api, go: "== 200", runbook: "not a url" }
`);
    expect(p['7 gates[0].url']).toMatch(/give path .* or url, not both/);
    expect(p['8 gates[1].path']).toMatch(/for another address use url:/);
    expect(p['9 gates[2].latency']).toMatch(/give one of json_path, header, latency \(found json_path and latency\)/);
    expect(p['10 gates[3].header_match']).toMatch(/needs header/);
    expect(p['11 gates[4].header_match']).toMatch(/needs a capture group/);
    expect(p['12 gates[5].header_match']).toMatch(/not a valid regular expression/);
    expect(p['13 gates[6].body']).toMatch(/a GET request has no body; set method: POST/);
    expect(p['14 gates[7].json_body']).toMatch(/body or json_body, not both/);
    expect(p['15 gates[8].timeout']).toMatch(/longer than source "api"'s timeout 2s/);
    expect(p['16 gates[9].go']).toMatch(/required: an http gate on the latency needs go/);
    expect(p['17 gates[10].json_path']).toMatch(/starts at the root, e.g. "\$\.outbox\.enabled"/);
    expect(p['18 gates[11].json_path']).toMatch(/unclosed "\["/);
    expect(p['19 gates[12].json_path']).toMatch(/HEAD answer has no body/);
    expect(p['20 gates[13].method']).toMatch(/must be one of GET, HEAD, POST, PUT, PATCH, DELETE/);
    expect(p['21 gates[14].rollback']).toMatch(/info gate is watch-only/);
    expect(p['22 gates[15].runbook']).toMatch(/is not a URL/);
  });

  it('http keys on another source type are errors (json_path on a prometheus gate), and query/metric/key on an http gate', () => {
    const p = probs(`  - { id: a, source: prom, query: up, json_path: "$.a", go: "== 1" }
  - { id: b, source: prom, query: up, latency: true, timeout: 1s, go: "== 1" }
  - { id: c, source: api, metric: up, go: "== 1" }
  - { id: d, source: manual, signoff_role: x, path: /x }
`);
    expect(p['7 gates[0].json_path']).toMatch(/json_path is only for http sources; "prom" is prometheus/);
    expect(p['8 gates[1].latency']).toMatch(/only for http sources/);
    expect(p['8 gates[1].timeout']).toMatch(/only for http sources/);
    expect(p['9 gates[2].metric']).toMatch(/metric is not used by http source "api"/);
    expect(p['10 gates[3].path']).toMatch(/not used by manual gates/);
  });

  it('info gates may omit go (watch-only); critical ones may not', () => {
    const c = ok(`  - { id: p95, severity: info, source: api, latency: true }\n  - { id: up, severity: info, source: prom, query: up }\n`);
    expect(c.gates.map((g) => [g.id, g.severity, g.go])).toEqual([['p95', 'info', undefined], ['up', 'info', undefined]]);
    expect(probs(`  - { id: up, source: prom, query: up }\n`)['7 gates[0].go']).toMatch(/required/);
  });

  it('owner, runbook, description and weight (SPEC 9.5) are kept (description may span lines)', () => {
    const c = ok(`  - id: h
    source: api
    go: "== 200"
    owner: team-checkout
    runbook: https://runbooks.example.com/h
    description: >
      curl -f /healthz
      from the checklist
`);
    expect(c.gates[0]).toMatchObject({ owner: 'team-checkout', runbook: 'https://runbooks.example.com/h', description: 'curl -f /healthz from the checklist' });
    expect(ok(`  - { id: h, source: api, go: "== 200", weight: 2 }\n`).gates[0]!.weight).toBe(2);
    expect(probs(`  - { id: h, source: api, go: "== 200", weight: -2 }\n`)['7 gates[0].weight']).toMatch(/0 or more/);
    expect(probs(`  - { id: h, source: api, go: "== 200", owner: "a\\u001b[31m" }\n`)['7 gates[0].owner']).toMatch(/control characters/);
  });
});

describe('joinSourceUrl', () => {
  it('joins rather than resolves, keeping the base prefix and both query strings', () => {
    expect(joinSourceUrl('http://h:1', '/healthz')).toBe('http://h:1/healthz');
    expect(joinSourceUrl('http://h:1/', 'healthz')).toBe('http://h:1/healthz');
    expect(joinSourceUrl('http://h:1/grafana/', '/api/health')).toBe('http://h:1/grafana/api/health');
    expect(joinSourceUrl('http://h:1/p?org=2', '/x?y=1')).toBe('http://h:1/p/x?org=2&y=1');
    expect(joinSourceUrl('http://h:1/p', '')).toBe('http://h:1/p');
    expect(joinSourceUrl('http://h:1', '/')).toBe('http://h:1/');
  });
});
