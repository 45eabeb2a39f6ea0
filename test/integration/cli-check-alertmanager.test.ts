/**
 * `warroom check` against a real Alertmanager (the Debian binary): alerts and silences posted
 * through its own v2 API, the compiled binary judging them. One Alertmanager serves the whole
 * file (startup costs a second); each test uses its own `service` label so none sees another's
 * alerts. A second one, under `--web.route-prefix=/am`, stands in for Grafana's base_path.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlertmanager, type TestAlertmanager } from '../helpers/alertmanager.js';
import { runCli } from '../helpers/cli.js';
import { freePort } from '../helpers/prometheus.js';

let am: TestAlertmanager;
let prefixed: TestAlertmanager;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warroom-am-check-'));
  [am, prefixed] = await Promise.all([startAlertmanager(), startAlertmanager({ routePrefix: '/am' })]);
});
afterAll(async () => {
  await Promise.all([am?.stop(), prefixed?.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Report {
  overall: string;
  criteria: { id: string; status: string; value: unknown; reason: string }[];
}

async function check(name: string, source: string, gates: string): Promise<{ code: number | null; report: Report; stderr: string }> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(
    file,
    `version: 1
deployment: { name: checkout-v7, environment: production }
sources:
  am: ${source}
gates:
${gates}
decision: { unknown: nogo }
audit: { dir: ${join(dir, `audit-${name}`)} }
`,
  );
  const r = await runCli(['check', '--strict', '--format', 'json', '--config', file], { timeoutMs: 20_000 });
  let report: Report;
  try {
    report = JSON.parse(r.stdout) as Report;
  } catch {
    throw new Error(`check printed no JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
  return { code: r.code, report, stderr: r.stderr };
}

const src = (url: string, extra = '') => `{ type: alertmanager, url: "${url}", interval: 15s, timeout: 3s${extra} }`;
const pagesGate = (service: string, extra = '') => `  - { id: pages, source: am, filter: ['severity="page"', 'service="${service}"']${extra} }`;
const listed = (service: string) => `active=true&silenced=false&inhibited=false&filter=${encodeURIComponent(`service="${service}"`)}`;
const crit = (r: Report, id = 'pages') => r.criteria.find((c) => c.id === id)!;

describe('warroom check with an alertmanager source', () => {
  it('a firing page is NO-GO; the value counts only the filtered alerts, named with their summaries', async () => {
    await am.postAlerts([
      { labels: { alertname: 'CheckoutErrors', severity: 'page', service: 'checkout-fire' }, annotations: { summary: '5xx above 5%\u001b]0;owned\u0007\u001b[2J' } },
      { labels: { alertname: 'CheckoutSlow', severity: 'ticket', service: 'checkout-fire' } },
      { labels: { alertname: 'SearchDown', severity: 'page', service: 'search-fire' } },
    ]);
    await am.waitForAlerts(listed('checkout-fire'), (a) => a.length === 2);
    const { code, report } = await check('firing', src(am.url), pagesGate('checkout-fire'));
    expect(report.overall).toBe('NO-GO');
    expect(code).toBe(2);
    const c = crit(report);
    expect(c).toMatchObject({ status: 'FAIL', value: 1 });
    expect(c.reason).toBe('1 fails == 0; firing: CheckoutErrors (5xx above 5%)');
    expect(JSON.stringify(report)).not.toMatch(/\\u001b|\\u0007/);
  });

  it('a resolved alert (endsAt in the past) no longer counts: GO', async () => {
    const labels = { alertname: 'CheckoutErrors', severity: 'page', service: 'checkout-resolved' };
    await am.postAlerts([{ labels }]);
    await am.waitForAlerts(listed('checkout-resolved'), (a) => a.length === 1);
    const before = await check('resolved-before', src(am.url), pagesGate('checkout-resolved'));
    expect(before.report.overall).toBe('NO-GO');

    await am.postAlerts([{ labels, endsAt: new Date(Date.now() - 60_000).toISOString() }]);
    await am.waitForAlerts(listed('checkout-resolved'), (a) => a.length === 0);
    const { code, report } = await check('resolved', src(am.url), pagesGate('checkout-resolved'));
    expect(crit(report)).toMatchObject({ status: 'PASS', value: 0, reason: '0 == 0' });
    expect(report.overall).toBe('GO');
    expect(code).toBe(0);
  });

  it('a silenced page with silences: warn is WARN naming the silence; with silences: ignore it passes', async () => {
    await am.postAlerts([{ labels: { alertname: 'CheckoutErrors', severity: 'page', service: 'checkout-silenced' } }]);
    const id = await am.postSilence({
      matchers: [{ name: 'service', value: 'checkout-silenced' }],
      createdBy: 'bob',
      comment: 'db failover drill',
    });
    await am.waitForAlerts(listed('checkout-silenced'), (a) => a.length === 0);
    const gates = [
      pagesGate('checkout-silenced', ', silences: warn'),
      `  - { id: pages_quiet, source: am, filter: ['severity="page"', 'service="checkout-silenced"'], silences: ignore }`,
    ].join('\n');
    const { code, report } = await check('silenced', src(am.url), gates);
    const c = crit(report);
    expect(c).toMatchObject({ status: 'WARN', value: 0 });
    expect(c.reason).toContain('1 firing alert silenced: CheckoutErrors; 1 active silence mutes them: ');
    expect(c.reason).toContain(`${id} by bob "db failover drill" until `);
    expect(crit(report, 'pages_quiet')).toMatchObject({ status: 'PASS', value: 0 });
    expect(report.overall).toBe('WARN');
    expect(code).toBe(1);

    // Expired, the silence no longer holds anything back: the page fires again.
    await am.expireSilence(id);
    await am.waitForAlerts(listed('checkout-silenced'), (a) => a.length === 1);
    const after = await check('silence-expired', src(am.url), pagesGate('checkout-silenced', ', silences: warn'));
    expect(crit(after.report)).toMatchObject({ status: 'FAIL', value: 1 });
    expect(crit(after.report).reason).not.toContain('silence');
  });

  it('a silence for another service does not hold the gate', async () => {
    await am.postSilence({ matchers: [{ name: 'service', value: 'search-elsewhere' }] });
    const { report } = await check('other-silence', src(am.url), pagesGate('checkout-quiet', ', silences: warn'));
    expect(crit(report)).toMatchObject({ status: 'PASS', value: 0 });
    expect(report.overall).toBe('GO');
  });

  it('Alertmanager down is UNKNOWN with the reason in words, NO-GO overall', async () => {
    const port = await freePort();
    const { code, report } = await check('down', src(`http://127.0.0.1:${port}`), pagesGate('checkout', ', silences: warn'));
    const c = crit(report);
    expect(c.status).toBe('UNKNOWN');
    expect(c.reason).toBe(`source am down: GET http://127.0.0.1:${port}/api/v2/alerts: connection refused`);
    expect(report.overall).toBe('NO-GO');
    expect(code).toBe(2);
  });

  it('base_path reaches an API under a prefix (as Grafana serves it); without it the gate is UNKNOWN', async () => {
    await prefixed.postAlerts([{ labels: { alertname: 'CheckoutErrors', severity: 'page', service: 'checkout-prefixed' }, annotations: { summary: 'via /am' } }]);
    await prefixed.waitForAlerts(listed('checkout-prefixed'), (a) => a.length === 1);
    const { code, report } = await check('prefixed', src(prefixed.url, ', base_path: /am/'), pagesGate('checkout-prefixed', ', silences: warn'));
    expect(crit(report)).toMatchObject({ status: 'FAIL', value: 1, reason: '1 fails == 0; firing: CheckoutErrors (via /am)' });
    expect(code).toBe(2);

    const without = await check('no-prefix', src(prefixed.url), pagesGate('checkout-prefixed'));
    const c = crit(without.report);
    expect(c.status).toBe('UNKNOWN');
    expect(c.reason).toMatch(new RegExp(`^source am down: GET ${prefixed.url}/api/v2/alerts: HTTP 404`));
  });
});
