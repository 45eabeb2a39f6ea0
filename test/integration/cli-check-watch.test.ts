/**
 * `warroom check --watch` through the real binary (SPEC §9.4) against a real HTTP exporter whose
 * value the test flips: GO after the flip → 0; a NO-GO held for --fail-after → 2 (NDJSON);
 * the timeout → 124; SIGINT → 130 without a stack trace. Also the scored `check` output (§9.5).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { BIN, runCli } from '../helpers/cli.js';
import { startExporter, type TestExporter } from '../helpers/exporter.js';
import { startReceiver } from '../helpers/notifyReceivers.js';

const dirs: string[] = [];
const exporters: TestExporter[] = [];
afterEach(async () => {
  for (const e of exporters.splice(0)) await e.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function workspace(value: number, extra: Record<string, unknown> = {}) {
  const exporter = await startExporter(`policy_entropy ${value}\nerr_ratio 0\n`);
  exporters.push(exporter);
  const dir = mkdtempSync(join(tmpdir(), 'warroom-watch-'));
  dirs.push(dir);
  const config = {
    version: 1,
    deployment: { name: 'rl-policy-v42', environment: 'production' },
    sources: { exporter: { type: 'scrape', url: exporter.url, interval: '1s', timeout: '2s' } },
    gates: [
      { id: 'entropy', source: 'exporter', metric: 'policy_entropy', go: '>= 0.9', warn: '>= 0.8' },
      { id: 'errors', source: 'exporter', metric: 'err_ratio', go: '<= 0.01', severity: 'advisory' },
    ],
    audit: { dir: join(dir, 'audit') },
    ...extra,
  };
  const configPath = join(dir, 'warroom.yaml');
  writeFileSync(configPath, stringify(config));
  return { exporter, configPath };
}

async function until(cond: () => boolean, what: string, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('check --watch (real binary, real exporter)', () => {
  it('re-evaluates until GO after the value flips: exit 0, printing only changes', async () => {
    const w = await workspace(0.5);
    const run = runCli(['check', '--watch', '--interval', '200ms', '--timeout', '30s', '--config', w.configPath], { timeoutMs: 40_000 });
    // Several rounds at NO-GO first, then the flip.
    await until(() => w.exporter.hits() >= 4, 'four scrapes');
    w.exporter.set('policy_entropy 0.95\nerr_ratio 0\n');
    const r = await run;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const heads = r.stdout.split('\n').filter((l) => /^\d{4}-\d\d-\d\dT/.test(l));
    expect(heads).toHaveLength(2);
    expect(heads[0]).toMatch(/Z {2}NO-GO {2}critical FAIL: entropy/);
    expect(heads[1]).toMatch(/Z {2}GO \(was NO-GO\)/);
    expect(r.stdout).toContain('  entropy: FAIL → PASS  0.95 vs >= 0.9 (warn >= 0.8)');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('watch ended: GO (exit 0)');
  });

  it('a NO-GO held for --fail-after exits 2, as NDJSON: one object per change and the final report', async () => {
    const w = await workspace(0.5);
    const r = await runCli(['check', '--watch', '--interval', '200ms', '--fail-after', '1s', '--timeout', '30s', '--format', 'json', '--config', w.configPath], { timeoutMs: 40_000 });
    expect(r.code).toBe(2);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.length).toBe(2);
    expect(events[0]).toMatchObject({ event: 'change', overall: 'NO-GO', previous: null });
    expect((events[0]!.gates as unknown[]).length).toBe(2);
    expect(events[1]).toMatchObject({ event: 'final', end: 'held', exit_code: 2, overall: 'NO-GO', deployment: 'rl-policy-v42' });
    expect(events[1]!.held_ms as number).toBeGreaterThanOrEqual(1000);
    expect(r.stderr).toMatch(/watch ended: NO-GO held for \d+(\.\d+)?s \(--fail-after 1s\) \(exit 2\)/);
    expect(w.exporter.hits()).toBeGreaterThanOrEqual(5);
  });

  it('a verdict that never settles ends at --timeout with 124', async () => {
    const w = await workspace(0.85);
    const r = await runCli(['check', '--watch', '--interval', '200ms', '--timeout', '1s', '--config', w.configPath], { timeoutMs: 30_000 });
    expect(r.code).toBe(124);
    expect(r.stdout).toMatch(/watch timed out after 1s: WARN held for/);
    expect(r.stdout).toContain('Overall: WARN');
  });

  it('SIGINT ends it cleanly with 130; --notify says no sinks are wired', async () => {
    const w = await workspace(0.5);
    const child = spawn(process.execPath, [BIN, 'check', '--watch', '--notify', '--interval', '200ms', '--config', w.configPath], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const closed = new Promise<number | null>((res) => child.on('close', (c) => res(c)));
    await until(() => out.includes('NO-GO') && w.exporter.hits() >= 2, 'the first verdict');
    child.kill('SIGINT');
    expect(await closed).toBe(130);
    expect(out).toContain('watch cancelled (SIGINT): last verdict NO-GO (exit 130)');
    expect(err).toContain('--notify: no notify sinks configured');
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('watch-only flags without --watch, and bad durations, are usage errors (64)', async () => {
    const w = await workspace(0.95);
    const a = await runCli(['check', '--fail-after', '1m', '--config', w.configPath]);
    expect(a.code).toBe(64);
    expect(a.stderr).toContain('--fail-after only go with --watch');
    const b = await runCli(['check', '--watch', '--interval', 'soon', '--config', w.configPath]);
    expect(b.code).toBe(64);
    expect(b.stderr).toContain('--interval');
  });
});

describe('check with decision.score (SPEC §9.5)', () => {
  it('shows the score in text and JSON; critical gates still veto', async () => {
    const gates = [
      { id: 'entropy', source: 'exporter', metric: 'policy_entropy', go: '>= 0.9', warn: '>= 0.8', severity: 'advisory', weight: 3 },
      { id: 'errors', source: 'exporter', metric: 'err_ratio', go: '<= 0.01', weight: 1 },
    ];
    const w = await workspace(0.85, { gates, decision: { score: { pass: '90%', warning: '75%' } } });
    const json = await runCli(['check', '--strict', '--format', 'json', '--config', w.configPath]);
    const rep = JSON.parse(json.stdout) as { overall: string; score: unknown; criteria: { id: string; weight?: number }[] };
    expect(rep.criteria.map((c) => [c.id, c.weight])).toEqual([['entropy', 3], ['errors', 1]]);
    // entropy WARN ½·3 + errors PASS 1 = 2.5 of 4 = 62.5 %: below warning.
    expect(rep.score).toEqual({ value: 62.5, pass: 90, warning: 75 });
    expect(rep.overall).toBe('NO-GO');
    expect(json.code).toBe(2);
    w.exporter.set('policy_entropy 0.95\nerr_ratio 0.5\n');
    const text = await runCli(['check', '--strict', '--config', w.configPath]);
    // 75 % (a WARN by score) but the critical errors gate FAILs: NO-GO.
    expect(text.stdout).toContain('Score: 75 % (pass ≥ 90 %, warning ≥ 75 %)');
    expect(text.stdout).toContain('critical gates veto the score');
    expect(text.code).toBe(2);
  });
});

describe('check --watch --notify (real receiver)', () => {
  it('--notify sends the final verdict to the sinks that take overall, naming gate, value and threshold', async () => {
    const hook = await startReceiver('ok');
    const w = await workspace(0.5, { notify: [{ type: 'webhook', url: `${hook.url}/hook`, on: ['overall'] }, { type: 'webhook', url: `${hook.url}/other`, on: ['decision'] }] });
    try {
      const r = await runCli(['check', '--watch', '--notify', '--interval', '200ms', '--fail-after', '600ms', '--timeout', '30s', '--config', w.configPath], { timeoutMs: 40_000, env: { WARROOM_ACTOR: 'ci-bot' } });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--notify:\ndelivered +webhook#0 http:\/\/127\.0\.0\.1:\d+/);
      // Only the sink whose on: takes overall was sent anything, and once.
      expect(hook.received.map((x) => x.path)).toEqual(['/hook']);
      const body = hook.received[0]!.body as { schema: string; event: string; overall: string; actor: string; gates: { id: string; status: string; threshold: string }[]; detail: { summary?: string } };
      expect(body).toMatchObject({ schema: 'warroom.event/v1', event: 'overall', overall: 'NO-GO', actor: 'ci-bot', deployment: 'rl-policy-v42' });
      expect(body.gates.map((g) => [g.id, g.status])).toContainEqual(['entropy', 'FAIL']);
      expect(JSON.stringify(body)).toContain('entropy = 0.5 fails >= 0.9');
    } finally {
      await hook.stop();
    }
  });
});

describe('check --watch --notify cancelled by a signal', () => {
  for (const [sig, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    it(`${sig} with a sink that never answers: exits ${code} within seconds, the message and stderr say the watch was cancelled`, async () => {
      const hang = await startReceiver('hang');
      const hook = await startReceiver('ok');
      const w = await workspace(0.5, {
        notify: [
          { type: 'webhook', url: `${hang.url}/hang`, on: ['overall'] },
          { type: 'webhook', url: `${hook.url}/hook`, on: ['overall'] },
        ],
      });
      try {
        const child = spawn(process.execPath, [BIN, 'check', '--watch', '--notify', '--interval', '200ms', '--timeout', '5m', '--config', w.configPath], {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', WARROOM_ACTOR: 'ci-bot' },
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (err += d));
        const closed = new Promise<number | null>((res) => child.on('close', (c) => res(c)));
        await until(() => out.includes('NO-GO') && w.exporter.hits() >= 2, 'the first verdict');
        const sent = Date.now();
        child.kill(sig);
        expect(await closed).toBe(code);
        // A CI runner sends SIGKILL some seconds after SIGTERM (GitLab, Actions: ~10 s): well before that.
        expect(Date.now() - sent).toBeLessThan(6_000);
        expect(out).toContain(`watch cancelled (${sig}): last verdict NO-GO (exit ${code})`);
        expect(err).toMatch(new RegExp(`--notify \\(watch cancelled by ${sig}\\):\\n(.|\\n)*delivered +webhook#1`));
        expect(err).toMatch(/pending +webhook#0 .*: no outcome within the wait/);
        const body = hook.delivered()[0] as { detail: { summary: string } };
        expect(body.detail.summary).toMatch(new RegExp(`^check cancelled \\(${sig}\\), last verdict NO-GO: entropy = 0.5 fails >= 0.9`));
        expect(err).not.toMatch(/\n\s+at /);
      } finally {
        await Promise.all([hang.stop(), hook.stop()]);
      }
    }, 60_000);
  }
});

describe('check --watch never shows an environment value', () => {
  it('changes and the final report (text and NDJSON) redact what came from ${VAR}', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warroom-watch-secret-'));
    dirs.push(dir);
    const SECRET = 'pw"q\\x-watch-long';
    const configPath = join(dir, 'warroom.yaml');
    writeFileSync(
      configPath,
      stringify({
        version: 1,
        deployment: { name: 'secrets', environment: 'test' },
        sources: { pre: { type: 'command', argv: ['sh', '-c', "printf '%s\\n' 'denied: ${WATCH_TOKEN}' >&2; exit 1"], timeout: '5s' } },
        gates: [{ id: 'preflight', source: 'pre' }],
        audit: { dir: join(dir, 'audit') },
      }),
    );
    for (const format of ['text', 'json']) {
      const r = await runCli(['check', '--watch', '--interval', '200ms', '--timeout', '600ms', '--format', format, '--config', configPath], { env: { WATCH_TOKEN: SECRET }, timeoutMs: 30_000 });
      expect(r.code).toBe(124);
      for (const text of [r.stdout, r.stderr]) {
        expect(text).not.toContain(SECRET);
        expect(text).not.toContain(JSON.stringify(SECRET).slice(1, -1));
      }
      expect(r.stdout).toContain('denied: [redacted]');
    }
  });
});
