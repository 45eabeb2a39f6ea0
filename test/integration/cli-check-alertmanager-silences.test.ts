/**
 * `silences: warn` judged by what a silence actually mutes: a silence that names labels the
 * gate's filter does not (`alertname="CheckoutDown"`, `alertname=~".+"`) still silences every
 * page the gate watches, and must hold the gate at WARN. A real Alertmanager (its own instance,
 * since a match-everything silence would mute the other tests' alerts), the compiled binary.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlertmanager, type TestAlertmanager } from '../helpers/alertmanager.js';
import { runCli } from '../helpers/cli.js';

let am: TestAlertmanager;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warroom-am-silences-'));
  am = await startAlertmanager();
});
afterAll(async () => {
  await am?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Report {
  overall: string;
  criteria: { id: string; status: string; value: unknown; reason: string }[];
}

async function check(name: string, service: string): Promise<{ code: number | null; c: Report['criteria'][number]; overall: string }> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(
    file,
    `version: 1
deployment: { name: checkout-v7, environment: production }
sources:
  am: { type: alertmanager, url: "${am.url}", interval: 15s, timeout: 3s }
gates:
  - { id: pages, source: am, filter: ['severity="page"', 'service="${service}"'], silences: warn }
decision: { unknown: nogo }
audit: { dir: ${join(dir, `audit-${name}`)} }
`,
  );
  const r = await runCli(['check', '--strict', '--format', 'json', '--config', file], { timeoutMs: 20_000 });
  const report = JSON.parse(r.stdout) as Report;
  return { code: r.code, c: report.criteria.find((x) => x.id === 'pages')!, overall: report.overall };
}

const unsilenced = (service: string) => `active=true&silenced=false&inhibited=false&filter=${encodeURIComponent(`service="${service}"`)}`;

describe('silences: warn sees silences that mute the gate\'s alerts, whatever labels they name', () => {
  it('alertname="CheckoutDown" silencing the only page: WARN naming the silence, not PASS', async () => {
    await am.postAlerts([{ labels: { alertname: 'CheckoutDown', severity: 'page', service: 'checkout-named' } }]);
    await am.waitForAlerts(unsilenced('checkout-named'), (a) => a.length === 1);
    const id = await am.postSilence({ matchers: [{ name: 'alertname', value: 'CheckoutDown' }], createdBy: 'mallory', comment: 'noise' });
    await am.waitForAlerts(unsilenced('checkout-named'), (a) => a.length === 0);
    const { code, c, overall } = await check('named', 'checkout-named');
    expect(c).toMatchObject({ status: 'WARN', value: 0 });
    expect(c.reason).toContain('1 firing alert silenced: CheckoutDown');
    expect(c.reason).toContain(`${id} by mallory "noise"`);
    expect(overall).toBe('WARN');
    expect(code).toBe(1);
    await am.expireSilence(id);
  });

  it('alertname=~".+" (every alert) silencing the pages: WARN; expired, the page is NO-GO again', async () => {
    await am.postAlerts([
      { labels: { alertname: 'CheckoutErrors', severity: 'page', service: 'checkout-all' } },
      { labels: { alertname: 'CheckoutSlow', severity: 'page', service: 'checkout-all' } },
    ]);
    await am.waitForAlerts(unsilenced('checkout-all'), (a) => a.length === 2);
    const id = await am.postSilence({ matchers: [{ name: 'alertname', value: '.+', isRegex: true }], createdBy: 'mallory' });
    await am.waitForAlerts(unsilenced('checkout-all'), (a) => a.length === 0);
    const { code, c } = await check('all', 'checkout-all');
    expect(c).toMatchObject({ status: 'WARN', value: 0 });
    expect(c.reason).toMatch(/2 firing alerts silenced: (CheckoutErrors; CheckoutSlow|CheckoutSlow; CheckoutErrors); 1 active silence mutes them: /);
    expect(c.reason).toContain(id);
    expect(code).toBe(1);

    await am.expireSilence(id);
    await am.waitForAlerts(unsilenced('checkout-all'), (a) => a.length === 2);
    const after = await check('all-expired', 'checkout-all');
    expect(after.c).toMatchObject({ status: 'FAIL', value: 2 });
    expect(after.c.reason).not.toContain('silence');
    expect(after.code).toBe(2);
  });

  it('a silence on an unrelated alert (another service) still does not hold the gate', async () => {
    await am.postAlerts([{ labels: { alertname: 'SearchDown', severity: 'page', service: 'search-x' } }]);
    const id = await am.postSilence({ matchers: [{ name: 'alertname', value: 'SearchDown' }] });
    await am.waitForAlerts(unsilenced('search-x'), (a) => a.length === 0);
    const { code, c } = await check('unrelated', 'checkout-calm');
    expect(c).toMatchObject({ status: 'PASS', value: 0 });
    expect(code).toBe(0);
    await am.expireSilence(id);
  });
});
