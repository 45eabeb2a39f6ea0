/**
 * `warroom check` end to end: the compiled binary, a real Prometheus (Debian package) scraping a
 * real test exporter every second, an ALERTS rule, and the strict exit codes.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startExporter, type TestExporter } from '../helpers/exporter.js';
import { startPrometheus, type TestPrometheus } from '../helpers/prometheus.js';

let exporter: TestExporter;
let prom: TestPrometheus;
let dir: string;
let requests = 0;

function metrics(opts: { errors: number; slow: boolean }): string {
  requests += 50;
  const le = [0.1, 0.25, 0.5, 1];
  // slow: most requests above 0.5 s; fast: all below 0.1 s
  const buckets = le.map((b) => `lat_seconds_bucket{le="${b}"} ${opts.slow ? (b >= 1 ? requests : Math.floor(requests * 0.05)) : requests}`);
  return [
    '# TYPE app_requests_total counter',
    `app_requests_total ${requests}`,
    '# TYPE lat_seconds histogram',
    ...buckets,
    `lat_seconds_bucket{le="+Inf"} ${requests}`,
    `lat_seconds_sum ${requests * 0.05}`,
    `lat_seconds_count ${requests}`,
    '# TYPE sim_errors gauge',
    `sim_errors ${opts.errors}`,
    '',
  ].join('\n');
}

const RULES = `groups:
  - name: test
    rules:
      - alert: TooManyErrors
        expr: sim_errors > 5
        for: 0s
        labels: { severity: page }
`;

async function config(name: string, body: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, body);
  return file;
}

function promConfig(url: string, extra = ''): string {
  return `version: 1
deployment: { name: rl-policy-v42, environment: production }
sources:
  prom: { type: prometheus, url: ${url}, interval: 15s, timeout: 3s }
gates:
  - id: traffic
    title: Requests flowing
    group: Service
    source: prom
    query: 'rate(app_requests_total[5s])'
    go: "> 0"
  - id: p99
    title: p99 latency
    group: Service
    source: prom
    query: 'histogram_quantile(0.99, sum(rate(lat_seconds_bucket[5s])) by (le))'
    go: "<= 0.5"
    warn: "<= 2"
  - id: page_alerts
    title: No active page alerts
    group: Alerting & Monitoring
    source: prom
    query: 'count(ALERTS{severity="page",alertstate="firing"}) or vector(0)'
    go: "== 0"
${extra}
decision: { unknown: nogo }
audit: { dir: ${join(dir, 'audit')} }
`;
}

let ticker: NodeJS.Timeout;
let state = { errors: 0, slow: false };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warroom-cli-'));
  exporter = await startExporter(metrics(state));
  ticker = setInterval(() => exporter.set(metrics(state)), 250);
  prom = await startPrometheus({ targets: [exporter.hostPort], rules: RULES });
  await prom.waitForSeries('rate(app_requests_total[5s]) > 0', 30_000);
}, 60_000);

afterAll(async () => {
  clearInterval(ticker);
  await prom?.stop();
  await exporter?.stop();
});

async function waitForQuery(q: string, timeoutMs = 20_000) {
  await prom.waitForSeries(q, timeoutMs);
}

describe('warroom check against a real Prometheus', () => {
  it('GO: rate(), histogram_quantile() and ALERTS all pass → exit 0 with --strict', async () => {
    const file = await config('go.yaml', promConfig(prom.url));
    const r = await runCli(['check', '--strict', '--config', file]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/Overall: GO/);
    expect(r.stdout).toMatch(/\[PASS\]\s+traffic/);
    expect(r.stdout).toMatch(/\[PASS\]\s+p99\s+0\.0\d+/);
    expect(r.stdout).toMatch(/\[PASS\]\s+page_alerts\s+0/);
    expect(r.code).toBe(0);
  });

  it('--format json and --output write the report', async () => {
    const file = await config('json.yaml', promConfig(prom.url));
    const out = join(dir, 'report.json');
    const r = await runCli(['check', '--config', file, '--format', 'json', '--output', out]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { overall: string; deployment: string; criteria: { id: string; status: string; value: unknown }[] };
    expect(report).toMatchObject({ overall: 'GO', deployment: 'rl-policy-v42' });
    expect(report.criteria.map((c) => c.id)).toEqual(['traffic', 'p99', 'page_alerts']);
    expect(typeof report.criteria[0]!.value).toBe('number');
    expect(JSON.parse(await readFile(out, 'utf8'))).toMatchObject({ overall: 'GO' });
  });

  it('WARN: a quantile within warn → exit 1; advisory mode exits 0', async () => {
    state = { errors: 0, slow: true };
    await waitForQuery('histogram_quantile(0.99, sum(rate(lat_seconds_bucket[5s])) by (le)) > 0.5');
    const file = await config('warn.yaml', promConfig(prom.url));
    const strict = await runCli(['check', '--strict', '--config', file]);
    expect(strict.stdout).toMatch(/Overall: WARN/);
    expect(strict.stdout).toMatch(/\[WARN\]\s+p99/);
    expect(strict.code).toBe(1);
    const advisory = await runCli(['check', '--config', file]);
    expect(advisory.code).toBe(0);
    state = { errors: 0, slow: false };
  });

  it('NO-GO: a firing page alert from an alert rule → exit 2', async () => {
    state = { errors: 9, slow: false };
    await waitForQuery('ALERTS{alertstate="firing",severity="page"}');
    const file = await config('nogo.yaml', promConfig(prom.url));
    const r = await runCli(['check', '--strict', '--config', file]);
    expect(r.stdout).toMatch(/Overall: NO-GO/);
    expect(r.stdout).toMatch(/\[FAIL\]\s+page_alerts\s+1/);
    expect(r.code).toBe(2);
    state = { errors: 0, slow: false };
  });

  it('a PromQL syntax error is shown on the gate and never passes', async () => {
    const extra = `  - id: broken
    source: prom
    query: 'rate(app_requests_total[5s'
    go: "> 0"`;
    const file = await config('broken.yaml', promConfig(prom.url, extra));
    const r = await runCli(['check', '--strict', '--config', file]);
    expect(r.stdout).toMatch(/\[UNKNOWN\]\s+broken .*parse error/);
    expect(r.code).toBe(2);
  });
});

describe('fail-closed when a source is down', () => {
  it('connection refused → UNKNOWN → NO-GO (exit 2); unknown: warn → WARN (exit 1)', async () => {
    const body = promConfig('http://127.0.0.1:9');
    const file = await config('down.yaml', body);
    const r = await runCli(['check', '--strict', '--config', file]);
    expect(r.stdout).toMatch(/Overall: NO-GO/);
    expect(r.stdout).toMatch(/\[UNKNOWN\]\s+traffic/);
    expect(r.stdout).toMatch(/prom down \(.*refused/);
    expect(r.code).toBe(2);
    const warnFile = await config('down-warn.yaml', body.replace('unknown: nogo', 'unknown: warn'));
    const w = await runCli(['check', '--strict', '--config', warnFile]);
    expect(w.stdout).toMatch(/Overall: WARN/);
    expect(w.code).toBe(1);
  });

  it('every source refused (feed, command, files too) still completes within one timeout and says why', async () => {
    const file = await config(
      'all-down.yaml',
      `version: 1
deployment: { name: d }
sources:
  exporter: { type: scrape, url: http://127.0.0.1:9/metrics, timeout: 2s }
  feed: { type: websocket, url: ws://127.0.0.1:9/status, timeout: 2s }
  pre: { type: command, argv: [no-such-command-warroom], timeout: 2s }
  val: { type: files, path: ${join(dir, 'no-such-folder')} }
gates:
  - { id: m, source: exporter, metric: x, go: "== 1" }
  - { id: k, source: feed, key: killswitch.tested }
  - { id: p, source: pre }
  - { id: v, source: val, go: "== PASS" }
audit: { dir: ${join(dir, 'audit')} }
`,
    );
    const started = Date.now();
    const r = await runCli(['check', '--strict', '--config', file]);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/feed down \(feed not connected: .*ECONNREFUSED/);
    expect(r.stdout).toMatch(/command not found: no-such-command-warroom/);
    expect(r.stdout).toMatch(/\[UNKNOWN\]\s+v .*no files in/);
  });

  it('an exporter answering 503 → UNKNOWN → NO-GO', async () => {
    const bad = await startExporter('x 1\n');
    bad.setStatus(503);
    try {
      const file = await config(
        'scrape503.yaml',
        `version: 1
deployment: { name: d }
sources:
  exporter: { type: scrape, url: ${bad.url}, interval: 5s, timeout: 2s }
gates:
  - { id: x, source: exporter, metric: x, go: "== 1" }
audit: { dir: ${join(dir, 'audit')} }
`,
      );
      const r = await runCli(['check', '--strict', '--config', file]);
      expect(r.stdout).toMatch(/\[UNKNOWN\]\s+x/);
      expect(r.stdout).toMatch(/503/);
      expect(r.code).toBe(2);
    } finally {
      await bad.stop();
    }
  });
});
