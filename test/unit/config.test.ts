import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, writeFile, mkdir, chmod } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfigFile, loadConfigText, formatProblems, type LoadResult } from '../../src/config/load.js';
import { discoverConfig } from '../../src/config/discover.js';
import type { Config, ConfigProblem } from '../../src/config/types.js';

const ROOT = resolve(__dirname, '../..');
const EXAMPLE = join(ROOT, 'config/warroom.example.yaml');
const FIX = join(ROOT, 'test/fixtures/config');
const TOKENS = { PROM_TOKEN: 'prom-s3cret-token', CONTROL_TOKEN: 'ctl-s3cret-token' };

function ok(r: LoadResult): Config {
  if (!r.ok) throw new Error(`expected ok, got:\n${r.problems.map((p) => `${p.line} ${p.path}: ${p.message}`).join('\n')}`);
  return r.config;
}
function bad(r: LoadResult): ConfigProblem[] {
  if (r.ok) throw new Error('expected problems, config loaded');
  return r.problems;
}

describe('the bundled example (SPEC §2)', () => {
  it('loads with both tokens set, normalized', async () => {
    const c = ok(await loadConfigFile(EXAMPLE, TOKENS));
    expect(c.version).toBe(1);
    expect(c.file).toBe(EXAMPLE);
    expect(c.baseDir).toBe(join(ROOT, 'config'));
    expect(c.deployment).toEqual({ name: 'rl-policy-v42', environment: 'production' });
    expect(Object.keys(c.sources)).toEqual(['prom', 'exporter', 'feed', 'preflight', 'validation', 'api', 'readiness', 'am']);
    expect(c.sources.am).toEqual({ id: 'am', type: 'alertmanager', url: 'http://127.0.0.1:9093', headers: {}, interval: 15_000, timeout: 5_000, staleAfter: 45_000 });
    expect(c.sources.prom).toMatchObject({ type: 'prometheus', interval: 15_000, timeout: 5_000, staleAfter: 45_000 });
    expect(c.sources.prom!.type === 'prometheus' && c.sources.prom!.headers.Authorization).toBe('Bearer prom-s3cret-token');
    expect(c.sources.exporter).toMatchObject({ type: 'scrape', interval: 5_000, timeout: 5_000, staleAfter: 15_000, headers: {} });
    expect(c.sources.feed).toMatchObject({ type: 'websocket', interval: 10_000, staleAfter: 10_000 });
    expect(c.sources.preflight).toMatchObject({ type: 'command', argv: ['make', 'preflight'], interval: 300_000, timeout: 60_000, staleAfter: 900_000 });
    expect(c.sources.validation).toMatchObject({ type: 'files', path: join(ROOT, 'config/artifacts/validation'), interval: 60_000, staleAfter: 180_000 });

    expect(c.sources.api).toMatchObject({ type: 'http', url: 'http://127.0.0.1:8080', interval: 15_000, timeout: 5_000, headers: {} });

    expect(c.gates.map((g) => g.id)).toEqual(['page_alerts', 'entropy', 'q_spread', 'validation_fresh', 'killswitch_tested', 'oncall_ack', 'preflight', 'healthz', 'flags', 'hsts', 'p95', 'cost', 'pages', 'validations', 'scorecard', 'feed_page_alerts']);
    const g = Object.fromEntries(c.gates.map((x) => [x.id, x]));
    expect(g.page_alerts!.query).toContain('ALERTS');
    expect(g.page_alerts!.go?.text).toBe('== 0');
    expect(g.entropy).toMatchObject({ metric: 'policy_entropy{policy="live"}', for: 60_000, staleAfter: 30_000, rollback: 'prompt', severity: 'critical' });
    expect(g.entropy!.warn?.text).toBe('>= 0.8');
    expect(g.q_spread).toMatchObject({ baseline: 1.4, rollback: 'auto', staleAfter: 15_000 });
    expect(g.q_spread!.go?.operand).toEqual({ kind: 'ratio', n: 2 });
    expect(g.validation_fresh).toMatchObject({ maxAge: 86_400_000, group: 'General' });
    expect(g.pages).toMatchObject({ source: 'am', filter: ['severity="page"', 'service="checkout"'], silences: 'warn' });
    expect(g.pages!.go?.text).toBe('== 0');
    expect(g.validations).toMatchObject({ consecutive: 2, noFailuresWithin: 72 * 3600_000, maxAge: 86_400_000 });
    expect(g.scorecard).toMatchObject({ source: 'readiness', field: 'summary.passed' });
    expect(g.killswitch_tested!.go?.operand).toEqual({ kind: 'bool', b: true });
    expect(g.oncall_ack).toMatchObject({ source: 'manual', signoffRole: 'on_call' });
    expect(g.oncall_ack!.go).toBeUndefined();
    expect(g.preflight).toMatchObject({ title: 'Preflight diff gate', severity: 'critical', for: 0, staleAfter: 900_000 });
    expect(g.preflight!.go).toBeUndefined();
    // SPEC §9.3: one gate of each kind of the http source, an info gate, gate metadata.
    expect(g.healthz!.http).toEqual({ url: 'http://127.0.0.1:8080/healthz', method: 'GET', headers: {}, value: { kind: 'status' } });
    expect(g.healthz).toMatchObject({ owner: 'team-checkout', runbook: 'https://runbooks.example.com/checkout/healthz' });
    expect(g.flags!.http!.value).toEqual({ kind: 'json_path', path: '$.outbox.enabled' });
    expect(g.hsts!.http!.value).toEqual({ kind: 'header', name: 'strict-transport-security', match: 'max-age=(\\d+)' });
    expect(g.p95!.http!.value).toEqual({ kind: 'latency' });
    expect(g.cost).toMatchObject({ severity: 'info', source: 'exporter', metric: 'cost_usd_hourly' });
    expect(g.cost!.go).toBeUndefined();
    expect(g.feed_page_alerts).toMatchObject({
      title: 'No firing page alerts on the feed', group: 'Alerting & Monitoring', severity: 'critical',
      source: 'feed', key: '@page_alerts', for: 0, staleAfter: 10_000, builtin: true,
    });
    expect(g.feed_page_alerts!.go?.text).toBe('== 0');

    expect(c.decision).toEqual({ unknown: 'nogo', warnWhenFailedAtMost: 0, requireSignoffs: ['release_captain', 'on_call'], signoffMaxAge: 12 * 3600_000 });
    expect(c.roles).toEqual({ release_captain: ['alice'], on_call: ['bob'], tech_lead: ['carol'] });
    expect(c.ramp?.start).toBe('manual');
    expect(c.ramp?.maxStep).toBe(25);
    expect(c.ramp?.stages).toEqual([
      { influence: 10, hold: 7_200_000, checkpoints: [
        { at: 1_800_000, label: 'Check for any alerts' },
        { at: 3_600_000, label: 'Review metrics stability' },
        { at: 7_200_000, label: 'Continuation decision' },
      ] },
      { influence: 25, hold: 7_200_000, checkpoints: [] },
    ]);
    const ks = c.actions.killSwitch!;
    expect(ks.kind).toBe('http');
    if (ks.kind === 'http') {
      expect(ks).toMatchObject({ method: 'POST', url: 'http://127.0.0.1:3001/admin/kill-switch', retries: 3, timeout: 5_000 });
      expect(ks.headers.Authorization).toBe('Bearer ctl-s3cret-token');
      expect(ks.body).toEqual({ enabled: true, reason: '{{reason}}', actor: '{{actor}}' });
    }
    expect(ks.verify).toEqual({ source: 'exporter', metric: 'policy_influence_pct', expect: '== 0', within: 30_000 });
    expect(c.actions.setInfluence).toEqual({
      kind: 'argv', argv: ['make', 'influence-set', 'PCT={{pct}}'], timeout: 5_000, retries: 0,
      verify: { source: 'exporter', metric: 'policy_influence_pct', expect: '== {{pct}}', within: 60_000 },
    });
    expect(c.influence).toEqual({ source: 'exporter', metric: 'policy_influence_pct' });
    expect(c.audit.dir).toBe(join(ROOT, 'config/artifacts/audit'));
    expect(c.secrets.sort()).toEqual(['ctl-s3cret-token', 'prom-s3cret-token']);
  });

  it('without the tokens: exactly the two missing-variable problems, with lines', async () => {
    const p = bad(await loadConfigFile(EXAMPLE, {}));
    // The lines are found in the file, so gates added above the actions do not break the test.
    const lineOf = (needle: string) => readFileSync(EXAMPLE, 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect(lineOf('${CONTROL_TOKEN}')).toBeGreaterThan(lineOf('${PROM_TOKEN}'));
    expect(p).toEqual([
      { path: 'sources.prom.headers.Authorization', line: lineOf('${PROM_TOKEN}'), message: 'environment variable PROM_TOKEN is not set' },
      { path: 'actions.kill_switch.http.headers.Authorization', line: lineOf('${CONTROL_TOKEN}'), message: 'environment variable CONTROL_TOKEN is not set' },
    ]);
  });
});

describe('all problems at once, each with its path and line', () => {
  it('reports every problem of a file with many', async () => {
    const p = bad(await loadConfigFile(join(FIX, 'bad-many.yaml'), {}));
    const got = p.map((x) => `${x.line} ${x.path}`);
    expect(got).toEqual([
      '4 sources.prom.intervl',
      '5 sources.exporter.interval',
      '10 gates[0].go',
      '12 gates[1].source',
      '14 gates[2].id',
      '17 gates[2].go',
      '18 gates[3].signoff_role',
      '20 gates[4].metric',
      '23 decision.unknown',
    ]);
    const by = Object.fromEntries(p.map((x) => [x.path, x.message]));
    expect(by['sources.prom.intervl']).toMatch(/unknown key "intervl".*did you mean "interval"/);
    expect(by['sources.exporter.interval']).toMatch(/needs a unit/);
    expect(by['gates[0].go']).toMatch(/"=> 3" is not a threshold/);
    expect(by['gates[1].source']).toMatch(/unknown source "nowhere"/);
    expect(by['gates[2].id']).toMatch(/duplicate gate id "a" \(first used by gates\[0\]\)/);
    expect(by['gates[2].go']).toMatch(/Nx threshold needs baseline/);
    expect(by['gates[3].signoff_role']).toMatch(/manual gate needs signoff_role/);
    expect(by['gates[4].metric']).toMatch(/needs a metric/);
    expect(by['decision.unknown']).toMatch(/must be one of nogo, warn/);
  });

  it('formatProblems writes file:line path: message, one a line', async () => {
    const file = join(FIX, 'bad-many.yaml');
    const p = bad(await loadConfigFile(file, {}));
    const out = formatProblems(p, file, FIX);
    const lines = out.split('\n');
    expect(lines).toHaveLength(p.length);
    expect(lines[2]).toBe('bad-many.yaml:10 gates[0].go: "=> 3" is not a threshold: expected OP VALUE with OP one of == != < <= > >= (e.g. ">= 0.9")');
    // outside the working directory the path stays absolute
    expect(formatProblems(p, file, '/nonexistent-cwd').split('\n')[0]).toBe(`${file}:4 sources.prom.intervl: unknown key "intervl" (did you mean "interval"?)`);
    expect(formatProblems([{ path: '', message: 'config file not found' }], 'warroom.yaml')).toBe('warroom.yaml config file not found');
  });

  it('strips control characters from what it prints', () => {
    const out = formatProblems([{ path: 'gates[0].title', line: 3, message: 'bad \u001b[31mred\u001b[0m\nnext' }], 'w.yaml');
    expect(out).toBe('w.yaml:3 gates[0].title: bad red next');
  });

  it('duplicate keys are problems with lines, alongside the other problems', async () => {
    const p = bad(await loadConfigFile(join(FIX, 'dup-keys.yaml'), {}));
    expect(p.map((x) => `${x.line} ${x.path} ${/duplicate key/.test(x.message)}`)).toEqual([
      '9 gates[0].title true',
      '12 decision.unknown true',
    ]);
  });

  it('a YAML syntax error is a problem with its line', async () => {
    const p = bad(await loadConfigFile(join(FIX, 'syntax-error.yaml'), {}));
    expect(p.length).toBeGreaterThanOrEqual(1);
    expect(p[0]!.message).toMatch(/^YAML syntax: /);
    expect(p[0]!.line).toBeGreaterThanOrEqual(5);
  });
});

describe('secrets from the environment', () => {
  const text = [
    'version: 1',
    'deployment: { name: "${DEPLOY}" }',
    'sources:',
    '  prom: { type: prometheus, url: "${PROM_URL}", interval: "${IVAL}" }',
    'gates:',
    '  - { id: g, source: prom, query: up, go: "${GO}" }',
  ].join('\n');
  const env = { DEPLOY: 'release-42', PROM_URL: 'not a url hunter2-url', IVAL: 'soon-hunter2-ival', GO: '=> hunter2-go' };

  it('never appear in problem messages or formatted output', () => {
    const p = bad(loadConfigText(text, { file: '/tmp/w.yaml', env }));
    expect(p.map((x) => x.path)).toEqual(['sources.prom.url', 'sources.prom.interval', 'gates[0].go']);
    const out = formatProblems(p, '/tmp/w.yaml');
    for (const s of Object.values(env)) expect(out).not.toContain(s);
    expect(out).not.toContain('hunter2');
    expect(out).toContain('[redacted]');
  });

  it('short secrets are hidden where they were substituted, without mangling other messages', () => {
    const p = bad(loadConfigText(
      'version: 1\ndeployment: { name: d }\nsources:\n  p: { type: prometheus, url: "http://127.0.0.1:1" }\ngates:\n  - { id: g, source: p, query: up, go: "${GO}" }\n  - { id: h, source: p, query: up, go: "=> 1" }\n',
      { file: '/tmp/w.yaml', env: { GO: '=>1' } },
    ));
    expect(p.map((x) => x.path)).toEqual(['gates[0].go', 'gates[1].go']);
    expect(p[0]!.message).not.toContain('=>1');
    expect(p[0]!.message).toContain('[redacted]');
    expect(p[1]!.message).toContain('"=> 1" is not a threshold');
  });

  it('substituted values are listed in config.secrets; $${ is a literal', () => {
    const c = ok(loadConfigText(
      'version: 1\ndeployment: { name: "$${NOT_A_VAR}-${DEPLOY}" }\ngates:\n  - { id: ack, source: manual, signoff_role: x }\n',
      { file: '/tmp/w.yaml', env: { DEPLOY: 'r42' } },
    ));
    expect(c.deployment.name).toBe('${NOT_A_VAR}-r42');
    expect(c.secrets).toEqual(['r42']);
  });
});

describe('discoverConfig', () => {
  it('--config, else $WARROOM_CONFIG, else ./warroom.yaml, always absolute', () => {
    expect(discoverConfig({ flag: 'a/b.yaml', env: { WARROOM_CONFIG: '/x/y.yaml' }, cwd: '/work' })).toBe('/work/a/b.yaml');
    expect(discoverConfig({ flag: '/abs/c.yaml', env: {}, cwd: '/work' })).toBe('/abs/c.yaml');
    expect(discoverConfig({ env: { WARROOM_CONFIG: 'conf/w.yaml' }, cwd: '/work' })).toBe('/work/conf/w.yaml');
    expect(discoverConfig({ env: { WARROOM_CONFIG: '' }, cwd: '/work' })).toBe('/work/warroom.yaml');
    expect(discoverConfig({ env: {}, cwd: '/work' })).toBe('/work/warroom.yaml');
  });
});

describe('loadConfigFile: files that cannot be read', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'warroom-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a missing file is a problem naming the path', async () => {
    const p = bad(await loadConfigFile(join(dir, 'nope.yaml'), {}));
    expect(p).toHaveLength(1);
    expect(p[0]!.message).toContain(join(dir, 'nope.yaml'));
    expect(p[0]!.message).toMatch(/not found/);
  });

  it('a directory is a problem', async () => {
    await mkdir(join(dir, 'd.yaml'));
    expect(bad(await loadConfigFile(join(dir, 'd.yaml'), {}))[0]!.message).toMatch(/is a directory/);
  });

  it('an unreadable file is a problem', async () => {
    const f = join(dir, 'locked.yaml');
    await writeFile(f, 'version: 1\n');
    await chmod(f, 0o000);
    const r = await loadConfigFile(f, {});
    await chmod(f, 0o600);
    // root reads anything; then the file parses and fails on content instead
    expect(r.ok).toBe(false);
    if (process.getuid?.() !== 0) expect(bad(r)[0]!.message).toMatch(/permission denied/);
  });

  it('relative paths resolve against the config file folder', async () => {
    const sub = join(dir, 'conf');
    await mkdir(sub, { recursive: true });
    await writeFile(join(sub, 'warroom.yaml'), [
      'version: 1',
      'deployment: { name: d }',
      'sources:',
      '  pre: { type: command, argv: [./check.sh], cwd: scripts }',
      '  val: { type: files, path: ../validation }',
      'gates:',
      '  - { id: pre, source: pre }',
      '  - { id: val, source: val, max_age: 1h }',
      'audit: { dir: out/audit }',
    ].join('\n'));
    const c = ok(await loadConfigFile(join(sub, 'warroom.yaml'), {}));
    expect(c.sources.pre).toMatchObject({ cwd: join(sub, 'scripts') });
    expect(c.sources.val).toMatchObject({ path: join(dir, 'validation') });
    expect(c.audit.dir).toBe(join(sub, 'out/audit'));
  });
});
