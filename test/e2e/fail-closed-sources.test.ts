/**
 * Issue 11 (cases 1, 6, 7) on the real console in tmux: data stamped in the future still ages
 * out when its source dies; environment values never reach the screen or the --record file;
 * processes a command source started do not survive quit.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, lineWith, removeWhenQuiet } from '../helpers/e2e.js';
import { promVector, sendJson, startHttpFixture } from '../helpers/httpFixture.js';
import { killAll, pidsWithArgv, settle } from '../helpers/procs.js';
import { startTmux, type Tmux } from '../helpers/tmux.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function gateLight(screen: string, title: string): string | undefined {
  return /● (GO|WARN|NO-GO|\?|WAIVED)\s/.exec(lineWith(screen, title))?.[1];
}

function workspace(yaml: string): { dir: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), 'warroom-e2e-fc-'));
  cleanups.push(() => removeWhenQuiet(dir));
  const config = join(dir, 'warroom.yaml');
  writeFileSync(config, yaml);
  return { dir, config };
}

function console_(config: string, env: Record<string, string> = {}, args: string[] = []): Tmux {
  const t = startTmux({ command: [process.execPath, BIN, '--config', config, '--actor', 'e2e-alice', ...args], cols: 160, rows: 40, env });
  cleanups.push(() => t.stop());
  return t;
}

describe('fail closed on the console (issue 11)', () => {
  it('a sample stamped 1h ahead turns UNKNOWN after stale_after once its source dies', async () => {
    const prom = await startHttpFixture((_req, res) => sendJson(res, promVector(Date.now() / 1000 + 3600, '0')));
    cleanups.push(() => prom.stop());
    const { config } = workspace(`version: 1
deployment: { name: skew-e2e, environment: e2e }
sources:
  prom: { type: prometheus, url: ${prom.url}, interval: 500ms, timeout: 1s }
gates:
  - { id: page_alerts, title: No page alerts, source: prom, query: 'count(ALERTS)', go: "== 0", stale_after: 3s }
`);
    const t = console_(config);
    await t.waitFor((s) => gateLight(s, 'No page alerts') === 'GO', 15_000, 'the gate GO while the source answers');
    await prom.stop();
    // stale_after 3s from the last answer; the screen ticks once a second.
    const screen = await t.waitFor((s) => gateLight(s, 'No page alerts') === '?', 10_000, 'the gate UNKNOWN after the source died');
    expect(lineWith(screen, 'No page alerts')).not.toMatch(/● GO/);
  });

  it('environment values never reach the screen or the --record file, whatever their length', async () => {
    const LONG = 'tok-9f3kq2zz';
    const SHORT = 'k7q';
    const dead = await startHttpFixture((_req, res) => res.end());
    const deadUrl = dead.url;
    await dead.stop(); // nothing listens there now: connection refused, with the URL in the error
    const { dir, config } = workspace(`version: 1
deployment: { name: secrets-e2e, environment: e2e }
sources:
  prom: { type: prometheus, url: "${deadUrl}/\${LONG_TOKEN}/x", interval: 1s, timeout: 1s }
  exporter: { type: scrape, url: "${deadUrl}/m/\${SHORT_TOKEN}/metrics", interval: 1s, timeout: 1s, headers: { X-Api-Key: "\${SHORT_TOKEN}" } }
  check: { type: command, argv: [sh, -c, "echo \\"auth failed for \${LONG_TOKEN}\\" >&2; exit 3"], interval: 1s, timeout: 5s }
gates:
  - { id: prom_gate, title: Prom gate, source: prom, query: up, go: "== 1" }
  - { id: scrape_gate, title: Scrape gate, source: exporter, metric: up, go: "== 1" }
  - { id: cmd_gate, title: Command gate, source: check }
`);
    const record = join(dir, 'session.jsonl');
    const t = console_(config, { LONG_TOKEN: LONG, SHORT_TOKEN: SHORT }, ['--record', record]);
    const events = await t.waitFor(
      (s) => lineWith(s, 'Command gate:').includes('exit 3') && /SHORT_TOKEN/.test(s),
      15_000,
      'the command failure and the short-value warning in the event log',
    );
    expect(lineWith(events, 'Command gate:')).toContain('auth failed for [redacted]');
    expect(events).not.toContain(LONG);
    expect(events).not.toContain(SHORT);
    // Each gate's detail (Enter) shows its full reason: the source-down error with the URL.
    t.send('Enter');
    const promDetail = await t.waitFor((s) => /reason.*connection refused/.test(s), 10_000, 'the prom gate detail');
    expect(lineWith(promDetail, 'connection refused')).toContain('/[redacted]/x');
    expect(promDetail).not.toContain(LONG);
    t.send('j');
    const scrapeDetail = await t.waitFor((s) => /reason.*\/m\/.*connection refused/.test(s), 10_000, 'the scrape gate detail');
    expect(lineWith(scrapeDetail, 'connection refused')).toContain('/m/[redacted]/metrics');
    expect(scrapeDetail).not.toContain(`/m/${SHORT}/`);
    t.send('j');
    const cmdDetail = await t.waitFor((s) => /reason.*exit 3/.test(s), 10_000, 'the command gate detail');
    expect(cmdDetail).not.toContain(LONG);
    t.send('Escape');
    t.send('q');
    await t.exitCode(10_000);
    const rec = readFileSync(record, 'utf8');
    expect(rec.length).toBeGreaterThan(0);
    expect(rec).not.toContain(LONG);
    expect(rec).not.toContain(`/m/${SHORT}/`);
    // The short header value is masked where it was substituted (the config line).
    const cfgLine = JSON.parse(rec.split('\n')[0]!) as { data: { sources: { exporter: { headers: Record<string, string> } } } };
    expect(cfgLine.data.sources.exporter.headers['X-Api-Key']).toBe('[redacted]');
  });

  it('quit leaves no process a command source started, even one ignoring SIGTERM', async () => {
    const bg = ['sleep', '3101'];
    const stubborn = ['sleep', '3102'];
    cleanups.push(() => killAll([...pidsWithArgv(bg), ...pidsWithArgv(stubborn)]));
    const { config } = workspace(`version: 1
deployment: { name: orphans-e2e, environment: e2e }
sources:
  bg: { type: command, argv: [sh, -c, "sleep 3101 & echo 0"], interval: 500ms, timeout: 5s }
  slow: { type: command, argv: [sh, -c, "trap '' TERM; sleep 3102; echo 0"], interval: 1s, timeout: 60s }
gates:
  - { id: bg_gate, title: Background gate, source: bg }
  - { id: slow_gate, title: Slow gate, source: slow }
`);
    const t = console_(config);
    await t.waitFor((s) => gateLight(s, 'Background gate') === 'GO', 15_000, 'the background gate GO');
    // Several polls have run by now; none of them left its sleep behind.
    await settle(1500);
    // At most the run in flight right now: earlier runs left nothing behind.
    expect(pidsWithArgv(bg).length).toBeLessThanOrEqual(1);
    // The slow run is in flight (it never finishes by itself).
    expect(pidsWithArgv(stubborn).length).toBe(1);
    t.send('q');
    expect(await t.exitCode(10_000)).toBe(0);
    await settle(300);
    expect(pidsWithArgv(bg)).toEqual([]);
    expect(pidsWithArgv(stubborn)).toEqual([]);
  });
});
