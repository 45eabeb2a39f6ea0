import { describe, it, expect } from 'vitest';
import { loadConfigText, type LoadResult } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';

const SOURCES = `sources:
  prom: { type: prometheus, url: "http://127.0.0.1:9090" }
  exp: { type: scrape, url: "http://127.0.0.1:9108/metrics" }
  feed: { type: websocket, url: "ws://127.0.0.1:9200/status" }
  cmd: { type: command, argv: ["true"] }
  files: { type: files, path: out }
`;
const HEAD = `version: 1\ndeployment: { name: d }\n`;
const ACK = `gates:\n  - { id: ack, source: manual, signoff_role: on_call }\n`;

function load(text: string, env: Record<string, string> = {}): LoadResult {
  return loadConfigText(text, { file: '/srv/wr/warroom.yaml', env });
}
function ok(text: string, env: Record<string, string> = {}): Config {
  const r = load(text, env);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.line} ${p.path}: ${p.message}`).join('\n'));
  return r.config;
}
/** path -> message; fails if the text loads. */
function probs(text: string, env: Record<string, string> = {}): Record<string, string> {
  const r = load(text, env);
  if (r.ok) throw new Error('expected problems');
  return Object.fromEntries(r.problems.map((p) => [p.path, p.message]));
}
const gates = (...lines: string[]) => `gates:\n${lines.map((l) => `  - ${l}`).join('\n')}\n`;
const withGates = (...lines: string[]) => HEAD + SOURCES + gates(...lines);

describe('sources', () => {
  it('defaults by type; staleAfter 3x interval, websocket 10s', () => {
    const c = ok(HEAD + SOURCES + ACK);
    expect(c.sources.prom).toEqual({ id: 'prom', type: 'prometheus', url: 'http://127.0.0.1:9090', headers: {}, interval: 15_000, timeout: 5_000, staleAfter: 45_000 });
    expect(c.sources.exp).toMatchObject({ interval: 15_000, timeout: 5_000, staleAfter: 45_000 });
    expect(c.sources.feed).toMatchObject({ interval: 10_000, staleAfter: 10_000 });
    expect(c.sources.cmd).toEqual({ id: 'cmd', type: 'command', argv: ['true'], interval: 300_000, timeout: 60_000, staleAfter: 900_000 });
    expect(c.sources.files).toEqual({ id: 'files', type: 'files', path: '/srv/wr/out', interval: 60_000, timeout: 5_000, staleAfter: 180_000 });
  });

  it('explicit interval, timeout and stale_after', () => {
    const c = ok(HEAD + `sources:\n  p: { type: prometheus, url: "https://p.example", interval: 1h30m, timeout: 500ms, stale_after: 2h }\n  w: { type: websocket, url: "wss://w.example", stale_after: 45s }\n` + ACK);
    expect(c.sources.p).toMatchObject({ interval: 5_400_000, timeout: 500, staleAfter: 7_200_000 });
    expect(c.sources.w).toMatchObject({ staleAfter: 45_000 });
  });

  it('problems: reserved name, unknown type, websocket interval, empty argv, url scheme, header injection, tiny interval', () => {
    const p = probs(HEAD + `sources:
  manual: { type: command, argv: [x] }
  a: { type: graphite, url: "http://x" }
  b: { type: websocket, url: "ws://127.0.0.1:1/", interval: 5s }
  c: { type: command, argv: [] }
  d: { type: scrape, url: "ws://127.0.0.1:1/" }
  e: { type: prometheus, url: "http://127.0.0.1:1", headers: { X-A: "a\\r\\nInjected: 1" } }
  f: { type: scrape, url: "http://127.0.0.1:1", interval: 0s }
  g: { url: "http://127.0.0.1:1" }
` + ACK);
    expect(p['sources.manual']).toMatch(/reserved/);
    expect(p['sources.a.type']).toMatch(/unknown source type "graphite": expected one of prometheus, scrape, websocket, command, files/);
    expect(p['sources.b.interval']).toMatch(/unknown key "interval"/);
    expect(p['sources.c.argv']).toMatch(/at least the program/);
    expect(p['sources.d.url']).toMatch(/must start with http:\/\/ or https:\/\//);
    expect(p['sources.e.headers.X-A']).toMatch(/line breaks/);
    expect(p['sources.f.interval']).toMatch(/at least 100ms/);
    expect(p['sources.g.type']).toMatch(/required key is missing/);
  });
});

describe('gates', () => {
  it('defaults: severity critical, group General, title = id, for 0, stale_after from the source', () => {
    const c = ok(withGates('{ id: up, source: prom, query: up, go: "== 1" }', '{ id: e2, source: exp, metric: m, go: ">= 1", stale_after: 7s, for: 2m, severity: advisory, group: G, title: T }'));
    expect(c.gates[0]).toEqual({ id: 'up', title: 'up', group: 'General', severity: 'critical', source: 'prom', query: 'up', go: { op: '==', operand: { kind: 'number', n: 1 }, text: '== 1' }, for: 0, staleAfter: 45_000 });
    expect(c.gates[1]).toMatchObject({ id: 'e2', title: 'T', group: 'G', severity: 'advisory', metric: 'm', for: 120_000, staleAfter: 7_000 });
  });

  it('prometheus takes metric as its query', () => {
    const c = ok(withGates('{ id: up, source: prom, metric: "up{job=\\"x\\"}", go: "== 1" }'));
    expect(c.gates[0]!.query).toBe('up{job="x"}');
    expect(c.gates[0]!.metric).toBeUndefined();
  });

  it('selectors must fit the source type', () => {
    const p = probs(withGates(
      '{ id: a, source: prom, go: "== 1" }',
      '{ id: b, source: prom, query: up, metric: up, go: "== 1" }',
      '{ id: c, source: exp, query: up, metric: m, go: "== 1" }',
      '{ id: d, source: exp, go: "== 1" }',
      '{ id: e, source: feed, metric: m }',
      '{ id: f, source: cmd, key: k }',
      '{ id: g, source: prom, key: k, query: up, go: "== 1" }',
    ));
    expect(p['gates[0].query']).toMatch(/needs a PromQL query/);
    expect(p['gates[1].metric']).toMatch(/query or metric, not both/);
    expect(p['gates[2].query']).toMatch(/query is not used by scrape source "exp"/);
    expect(p['gates[3].metric']).toMatch(/needs a metric name/);
    expect(p['gates[4].metric']).toMatch(/not used by websocket/);
    expect(p['gates[4].key']).toMatch(/needs a feed key/);
    expect(p['gates[5].key']).toMatch(/not used by command/);
    expect(p['gates[6].key']).toMatch(/not used by prometheus/);
  });

  it('go: required for prometheus/scrape; optional for command, websocket, files with max_age', () => {
    const p = probs(withGates('{ id: a, source: prom, query: up }', '{ id: b, source: exp, metric: m }', '{ id: c, source: files }'));
    expect(p['gates[0].go']).toMatch(/prometheus gate needs go/);
    expect(p['gates[1].go']).toMatch(/scrape gate needs go/);
    expect(p['gates[2].go']).toMatch(/files gate needs go .* or max_age/);
    const c = ok(withGates('{ id: a, source: cmd }', '{ id: b, source: feed, key: ready }', '{ id: c, source: files, max_age: 24h }'));
    expect(c.gates.map((g) => g.go)).toEqual([undefined, undefined, undefined, expect.objectContaining({ text: '== 0' })]);
    expect(c.gates[2]!.maxAge).toBe(86_400_000);
  });

  it('manual gates: signoff_role required, no go/warn/selectors', () => {
    const p = probs(withGates('{ id: a, source: manual }', '{ id: b, source: manual, signoff_role: x, go: "== true", query: up }'));
    expect(p['gates[0].signoff_role']).toMatch(/needs signoff_role/);
    expect(p['gates[1].go']).toMatch(/not used by manual gates/);
    expect(p['gates[1].query']).toMatch(/not used by manual gates/);
    expect(probs(withGates('{ id: a, source: prom, query: up, go: "== 1", signoff_role: x }'))['gates[0].signoff_role']).toMatch(/only for manual gates/);
  });

  it('baselines: Nx needs one, at most one, each only on its source type', () => {
    const p = probs(withGates(
      '{ id: a, source: exp, metric: m, go: "== 1", warn: "<= 3x" }',
      '{ id: b, source: exp, metric: m, go: "<= 2x", baseline: 1, baseline_metric: n }',
      '{ id: c, source: exp, metric: m, go: "<= 2x", baseline_query: up }',
      '{ id: d, source: prom, query: up, go: "<= 2x", baseline_metric: up }',
    ));
    expect(p['gates[0].warn']).toMatch(/Nx threshold needs baseline/);
    expect(p['gates[1].baseline_metric']).toMatch(/only one of baseline, baseline_query, baseline_metric/);
    expect(p['gates[2].baseline_query']).toMatch(/needs a prometheus source; "exp" is scrape/);
    expect(p['gates[3].baseline_metric']).toMatch(/needs a scrape source; "prom" is prometheus/);
    const c = ok(withGates('{ id: a, source: prom, query: up, go: "<= 2x", baseline_query: "avg_over_time(up[1d])" }', '{ id: b, source: exp, metric: m, go: "<= 2x", baseline_metric: base }'));
    expect(c.gates[0]).toMatchObject({ baselineQuery: 'avg_over_time(up[1d])' });
    expect(c.gates[1]).toMatchObject({ baselineMetric: 'base' });
  });

  it('max_age only on files; warn needs go; bad thresholds, durations and enums at their paths', () => {
    const p = probs(withGates(
      '{ id: a, source: exp, metric: m, go: "== 1", max_age: 1h }',
      '{ id: b, source: feed, key: k, warn: "== true" }',
      '{ id: c, source: exp, metric: m, go: 0, warn: ">= many things" }',
      '{ id: d, source: exp, metric: m, go: "== 1", for: 1 minute, severity: high, rollback: maybe }',
      '{ id: "-bad id", source: cmd, stale_afer: 1m }',
    ));
    expect(p['gates[0].max_age']).toMatch(/only for files sources/);
    expect(p['gates[1].warn']).toMatch(/warn needs go/);
    expect(p['gates[2].go']).toMatch(/got number 0 \(write "== 0"\)/);
    expect(p['gates[2].warn']).toMatch(/not a number, Nx, true\/false or a bare word/);
    expect(p['gates[3].for']).toMatch(/is not a duration/);
    expect(p['gates[3].severity']).toBe('must be one of critical, advisory, info');
    expect(p['gates[3].rollback']).toBe('must be one of prompt, auto');
    expect(p['gates[4].id']).toMatch(/gate id must start with a letter or digit/);
    expect(p['gates[4].stale_afer']).toBe('unknown key "stale_afer" (did you mean "stale_after"?)');
  });

  it('duplicate ids, unknown sources, an empty or missing gate list', () => {
    const p = probs(withGates('{ id: a, source: cmd }', '{ id: a, source: cmd }', '{ id: b, source: nope }'));
    expect(p['gates[1].id']).toMatch(/duplicate gate id "a"/);
    expect(p['gates[2].source']).toMatch(/unknown source "nope" \(configured: prom, exp, feed, cmd, files, manual\)/);
    expect(probs(HEAD + SOURCES + 'gates: []\n').gates).toMatch(/at least one gate/);
    expect(probs(HEAD + SOURCES).gates).toMatch(/required/);
  });

  it('roles: signoff_role and require_signoffs must be defined roles when roles are given', () => {
    const roles = 'roles:\n  on_call: [bob]\n  release_captain: [alice]\n';
    const p = probs(HEAD + roles + gates('{ id: a, source: manual, signoff_role: oncall }') + 'decision: { require_signoffs: [release_captain, tech_lead] }\n');
    expect(p['gates[0].signoff_role']).toMatch(/role "oncall" is not defined in roles \(defined: on_call, release_captain\)/);
    expect(p['decision.require_signoffs[1]']).toMatch(/role "tech_lead" is not defined/);
    // without roles, any role names are accepted
    const c = ok(HEAD + gates('{ id: a, source: manual, signoff_role: anyone }') + 'decision: { require_signoffs: [x, x, y] }\n');
    expect(c.decision.requireSignoffs).toEqual(['x', 'y']);
    expect(probs(HEAD + 'roles: { on_call: [bob smith] }\n' + ACK)['roles.on_call[0]']).toMatch(/actor names/);
  });

  it('the built-in feed gate: only with a websocket source, on the first one, id reserved', () => {
    expect(ok(HEAD + ACK).gates.map((g) => g.id)).toEqual(['ack']);
    const c = ok(HEAD + `sources:\n  a: { type: scrape, url: "http://127.0.0.1:1/m" }\n  w2: { type: websocket, url: "ws://127.0.0.1:2/", stale_after: 20s }\n  w3: { type: websocket, url: "ws://127.0.0.1:3/" }\n` + ACK);
    const b = c.gates.at(-1)!;
    expect(b).toMatchObject({ id: 'feed_page_alerts', source: 'w2', key: '@page_alerts', staleAfter: 20_000, builtin: true, severity: 'critical', for: 0 });
    expect(b.go).toEqual({ op: '==', operand: { kind: 'number', n: 0 }, text: '== 0' });
    const p = probs(withGates('{ id: feed_page_alerts, source: feed, key: x }'));
    expect(p['gates[0].id']).toMatch(/reserved for the built-in gate/);
  });
});

describe('decision, ramp, actions, influence, audit, top level', () => {
  it('decision defaults and checks', () => {
    expect(ok(HEAD + ACK).decision).toEqual({ unknown: 'nogo', warnWhenFailedAtMost: 0, requireSignoffs: [], signoffMaxAge: 12 * 3600_000 });
    expect(ok(HEAD + ACK + 'decision: { unknown: warn, warn_when_failed_at_most: 2 }\n').decision).toMatchObject({ unknown: 'warn', warnWhenFailedAtMost: 2 });
    const p = probs(HEAD + ACK + 'decision: { warn_when_failed_at_most: 1.5, require_signoffs: on_call }\n');
    expect(p['decision.warn_when_failed_at_most']).toMatch(/whole number/);
    expect(p['decision.require_signoffs']).toBe('expected a list, got text');
    expect(probs(HEAD + ACK + 'decision: { warn_when_failed_at_most: -1 }\n')['decision.warn_when_failed_at_most']).toMatch(/0 or more/);
  });

  it('ramp: start manual or RFC 3339, max_step 1..100, increasing stages, checkpoints within hold', () => {
    const c = ok(HEAD + ACK + `ramp:
  start: "2026-11-23T14:00:00Z"
  stages:
    - influence: 5
      hold: 1h
      checkpoints: [{ at: 45m, label: late }, { at: 10m, label: early }]
    - { influence: 100, hold: 0s }
`);
    expect(c.ramp).toEqual({ start: Date.UTC(2026, 10, 23, 14), maxStep: 100, stages: [
      { influence: 5, hold: 3_600_000, checkpoints: [{ at: 600_000, label: 'early' }, { at: 2_700_000, label: 'late' }] },
      { influence: 100, hold: 0, checkpoints: [] },
    ] });
    const p = probs(HEAD + ACK + `ramp:
  start: "2026-11-23 14:00"
  max_step: 0
  stages:
    - { influence: 10, hold: 1h, checkpoints: [{ at: 2h, label: x }] }
    - { influence: 150, hold: 1h }
`);
    expect(p['ramp.start']).toMatch(/RFC 3339/);
    expect(probs(HEAD + ACK + 'ramp: { start: "2026-02-30T10:00:00Z", stages: [{ influence: 1, hold: 1h }] }\n')['ramp.start']).toMatch(/RFC 3339/);
    expect(ok(HEAD + ACK + 'ramp: { start: "2026-11-23T16:00:00+02:00", stages: [{ influence: 1, hold: 1h }] }\n').ramp?.start).toBe(Date.UTC(2026, 10, 23, 14));
    expect(p['ramp.max_step']).toMatch(/1\.\.100/);
    expect(p['ramp.stages[1].influence']).toMatch(/0\.\.100/);
    const q = probs(HEAD + ACK + `ramp:
  stages:
    - { influence: 10, hold: 1h, checkpoints: [{ at: 2h, label: x }] }
    - { influence: 10, hold: 1h }
`);
    expect(q['ramp.stages[0].checkpoints[0].at']).toMatch(/at must be ≤ hold/);
    expect(q['ramp.stages[1].influence']).toMatch(/must increase/);
    expect(probs(HEAD + ACK + 'ramp: { stages: [] }\n')['ramp.stages']).toMatch(/at least one stage/);
  });

  it('actions: http or argv, defaults, verify and its expect template', () => {
    const c = ok(HEAD + SOURCES + ACK + `actions:
  kill_switch:
    http: { method: put, url: "http://127.0.0.1:3001/k" }
  set_influence:
    argv: [ctl, "{{pct}}"]
    timeout: 2m
    retries: 2
    verify: { source: prom, metric: influence_pct, expect: ">= {{pct}}" }
`);
    expect(c.actions.killSwitch).toEqual({ kind: 'http', method: 'PUT', url: 'http://127.0.0.1:3001/k', headers: {}, timeout: 5_000, retries: 3 });
    expect(c.actions.setInfluence).toEqual({ kind: 'argv', argv: ['ctl', '{{pct}}'], timeout: 120_000, retries: 2, verify: { source: 'prom', query: 'influence_pct', expect: '>= {{pct}}', within: 30_000 } });
    const p = probs(HEAD + SOURCES + ACK + `actions:
  kill_switch:
    http: { url: "http://127.0.0.1:3001/k" }
    argv: [x]
  set_influence:
    verify: { source: exp, key: k, expect: "=> {{pct}}", within: soon }
`);
    expect(p['actions.kill_switch']).toMatch(/either http.*or argv.*not both/);
    expect(p['actions.set_influence.verify.expect']).toMatch(/"=> 0" is not a threshold/);
    expect(p['actions.set_influence.verify.within']).toMatch(/not a duration/);
    const q = probs(HEAD + SOURCES + ACK + `actions:
  set_influence:
    verify: { source: exp, key: k, expect: "== {{actor}}" }
  kill_switch:
    http: { method: FETCH, url: "ftp://127.0.0.1/" }
    retries: 99
    verify: { source: ghost, metric: m, expect: "== 0" }
`);
    expect(q['actions.set_influence']).toMatch(/needs http.*or argv/);
    expect(q['actions.set_influence.verify.expect']).toMatch(/\{\{actor\}\} is not available here/);
    expect(q['actions.kill_switch.http.method']).toBe('must be one of GET, POST, PUT, PATCH, DELETE');
    expect(q['actions.kill_switch.http.url']).toMatch(/http:\/\//);
    expect(q['actions.kill_switch.retries']).toMatch(/0\.\.10/);
    expect(q['actions.kill_switch.verify.source']).toMatch(/unknown source "ghost"/);
    const r = probs(HEAD + SOURCES + ACK + 'actions:\n  set_influence:\n    argv: [x]\n    verify: { source: exp, key: k, expect: "== 1" }\n');
    expect(r['actions.set_influence.verify.key']).toMatch(/not used by scrape/);
  });

  it('influence reads from a configured source with the right selector', () => {
    expect(ok(HEAD + SOURCES + ACK + 'influence: { source: prom, metric: pct }\n').influence).toEqual({ source: 'prom', query: 'pct' });
    expect(ok(HEAD + SOURCES + ACK + 'influence: { source: feed, key: influence }\n').influence).toEqual({ source: 'feed', key: 'influence' });
    expect(probs(HEAD + SOURCES + ACK + 'influence: { source: nope, metric: pct }\n')['influence.source']).toMatch(/unknown source/);
    expect(probs(HEAD + SOURCES + ACK + 'influence: { source: manual }\n')['influence.source']).toMatch(/manual/);
  });

  it('audit dir default; version; deployment; unknown top-level keys', () => {
    const c = ok(HEAD + ACK);
    expect(c.audit.dir).toBe('/srv/wr/artifacts/audit');
    expect(c.deployment.environment).toBe('production');
    expect(c.roles).toBeUndefined();
    expect(ok(HEAD + ACK + 'audit: { dir: /var/audit }\n').audit.dir).toBe('/var/audit');
    const r = load('version: 2\ndeployment: { environment: staging }\ngate: []\n' + ACK);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const by = Object.fromEntries(r.problems.map((p) => [p.path, p]));
      expect(by.version).toMatchObject({ line: 1, message: 'must be 1, got number 2' });
      // a missing key is reported on its parent's line
      expect(by['deployment.name']).toMatchObject({ line: 2, message: 'required key is missing' });
      expect(by.gate).toMatchObject({ line: 3, message: 'unknown key "gate" (did you mean "gates"?)' });
    }
    expect(probs(`deployment: { name: d }\n` + ACK).version).toMatch(/required/);
    expect(probs(`version: 1\n` + ACK).deployment).toMatch(/required/);
    expect(probs(HEAD + ACK + 'deployment2: {}\n')['deployment2']).toMatch(/unknown key/);
  });
});

describe('a gate with several problems lists them all (issue 12)', () => {
  it('an unknown source is reported beside the gate\'s other problems', () => {
    const p = probs(withGates('{ id: a, source: nowhere, metric: m, go: "=> 3", colour: red }'));
    expect(p['gates[0].source']).toMatch(/unknown source "nowhere"/);
    expect(p['gates[0].go']).toMatch(/is not a threshold/);
    expect(p['gates[0].colour']).toMatch(/unknown key "colour"/);
  });
});
