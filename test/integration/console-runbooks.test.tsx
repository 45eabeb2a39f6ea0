/**
 * Runbooks below the terminal (SPEC §9.5): a runbook in flight never holds up the kill-switch,
 * and a runbook's own roles are checked at the act, whoever asks (palette, x, or a direct call).
 * Real HTTP servers; the console's real Session, ActionRunner, Controller and ledger.
 */
import { mkdtemp } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/audit/ledger.js';
import { renderReport } from '../../src/audit/report.js';
import { verifyAuditDir } from '../../src/audit/verify.js';
import { systemClock } from '../../src/core/clock.js';
import type { Config, RunbookConfig } from '../../src/config/types.js';
import { startControlServer, type ControlServer } from '../helpers/controlServer.js';
import { testConfig } from '../helpers/config.js';
import { gate } from '../helpers/gates.js';
import { renderConsole } from '../helpers/ink.js';

/** A control endpoint that holds every answer until released: a slow rollout. */
async function startSlowServer() {
  const held: http.ServerResponse[] = [];
  const requests: { path: string; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', body });
      held.push(res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    release: () => {
      for (const res of held.splice(0)) res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    },
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

let control: ControlServer;
let slow: Awaited<ReturnType<typeof startSlowServer>>;
let ledger: Ledger;
let dir: string;

beforeEach(async () => {
  control = await startControlServer({ influence: 10 });
  slow = await startSlowServer();
  dir = await mkdtemp(join(tmpdir(), 'warroom-runbooks-'));
  ledger = await Ledger.open(dir, { clock: systemClock, deployment: 'rl-policy-v42', environment: 'production' });
});
afterEach(async () => {
  slow.release();
  await ledger.flush(2000);
  await ledger.close();
  await slow.stop();
  await control.stop();
});

function runbook(id: string, over: Partial<RunbookConfig> = {}): RunbookConfig {
  return {
    id,
    title: `Slow ${id}`,
    params: [],
    usesReason: false,
    action: { kind: 'http', method: 'POST', url: `${slow.url}/admin/${id}`, headers: {}, body: { by: '{{actor}}' }, timeout: 20_000, retries: 0 },
    ...over,
  };
}

function config(): Config {
  return testConfig(
    {
      roles: { release_captain: ['alice'], on_call: ['bob'], tech_lead: ['carol'] },
      sources: { control: { id: 'control', type: 'scrape', url: `${control.url}/metrics`, headers: {}, interval: 1000, timeout: 1000, staleAfter: 3000 } },
      actions: {
        killSwitch: { kind: 'http', method: 'POST', url: `${control.url}/admin/kill-switch`, headers: {}, body: { enabled: true }, timeout: 2000, retries: 2, verify: { source: 'control', metric: 'policy_influence_pct', expect: '== 0', within: 5000 } },
        runbooks: { drain: runbook('drain'), locked: runbook('locked', { roles: ['tech_lead'] }) },
      },
      influence: { source: 'control', metric: 'policy_influence_pct' },
    },
    [gate({ id: 'influence_known', title: 'Influence readable', source: 'control', metric: 'policy_influence_pct', go: '>= 0' })],
  );
}

describe('runbooks in the console', () => {
  it('a runbook waiting on a slow control API never holds up K: the kill is sent and verified meanwhile', async () => {
    const ui = await renderConsole({ config: config(), ledger, clock: systemClock, columns: 120, rows: 36 });
    ui.session.start();
    await ui.waitFor(/influence 10%/);
    await ui.press(':', 'd', 'r', 'a', 'i', 'n', '\r');
    await ui.waitFor(/run Slow drain\?/);
    await ui.press('y');
    await ui.waitFor(/RUNBOOK Slow drain: .*sent/);
    expect(slow.requests).toHaveLength(1);

    await ui.press('K');
    await ui.waitFor(/KILL-SWITCH: influence 10% → 0%/);
    await ui.press('y');
    await ui.waitFor(/KILL-SWITCH 10% → 0%: .*VERIFIED/);
    expect(control.requests.filter((r) => r.path === '/admin/kill-switch')).toHaveLength(1);
    // The runbook is still waiting for its answer: the kill did not queue behind it.
    expect(ui.store.getState().actions.find((a) => a.runbook === 'drain')?.state).toBe('running');

    slow.release();
    await ui.waitFor(/RUNBOOK Slow drain: .*ACKNOWLEDGED/);
    const lines = ledger.lines().filter((l) => l.type === 'action').map((l) => `${String((l as { action?: unknown }).action)}:${String((l as { phase?: unknown }).phase)}`);
    expect(lines).toEqual(['runbook:requested', 'kill_switch:requested', 'kill_switch:verified', 'runbook:acknowledged']);
    ui.unmount();
    // The chain holds, and the report names the runbook rather than an influence change.
    await ledger.flush(2000);
    expect(await verifyAuditDir(dir)).toMatchObject({ ok: true, exitCode: 0 });
    const md = await renderReport(dir);
    expect(md).toMatch(/\| runbook drain \| requested \|  \| alice \| runbook drain \|/);
    expect(md).toMatch(/\| runbook drain \| acknowledged \|/);
  });

  it("a runbook's roles are checked at the act: listed dimmed in the palette, refused from it and from a direct call, nothing sent", async () => {
    const ui = await renderConsole({ config: config(), ledger, clock: systemClock, columns: 120, rows: 36 });
    await ui.press(':');
    const frame = await ui.waitFor(/COMMANDS \d+ shown/);
    expect(frame).toMatch(/runbook +Slow locked \(locked\) - runbook "Slow locked" needs role tech_lead/);
    // Runnable entries carry no reason.
    expect(frame).toMatch(/runbook +Slow drain \(drain\) +│/);
    await ui.press('l', 'o', 'c', 'k', '\r');
    await ui.waitFor(/Slow locked refused: runbook "Slow locked" needs role tech_lead/);
    await ui.press('\u001b');
    // As a timer or a trigger would: straight to the runner, past every prompt.
    expect(ui.runner.runbook({ id: 'locked', params: {} })).toBe(false);
    expect(ui.runner.runbook({ id: 'drain', params: { extra: 'x' } })).toBe(false);
    expect(ui.store.getState().notice?.text).toBe('runbook "Slow drain" refused: unknown param "extra"');
    await new Promise((r) => setTimeout(r, 300));
    expect(slow.requests).toEqual([]);
    expect(ledger.lines().filter((l) => l.type === 'action')).toEqual([]);
    ui.unmount();
  });
});
