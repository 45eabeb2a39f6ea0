/**
 * The console's action keys wired end to end below the terminal: keys → flows → action runner →
 * a real HTTP control API, verified through a real scrape source, recorded in a real ledger.
 */
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/audit/ledger.js';
import { splitLines, verifyChain } from '../../src/audit/chain.js';
import { systemClock } from '../../src/core/clock.js';
import { parseThreshold } from '../../src/config/threshold.js';
import type { Config } from '../../src/config/types.js';
import { startControlServer, type ControlServer } from '../helpers/controlServer.js';
import { testConfig } from '../helpers/config.js';
import { gate } from '../helpers/gates.js';
import { renderConsole } from '../helpers/ink.js';

let control: ControlServer;
let dir: string;
let ledger: Ledger;

beforeEach(async () => {
  control = await startControlServer({ influence: 10, applyDelayMs: 50 });
  dir = await mkdtemp(join(tmpdir(), 'warroom-actions-'));
  ledger = await Ledger.open(dir, { clock: systemClock, deployment: 'rl-policy-v42', environment: 'production' });
});
afterEach(async () => {
  await ledger.flush(2000);
  await ledger.close();
  await control.stop();
});

function config(over: Partial<Config> = {}): Config {
  const verify = { source: 'control', metric: 'policy_influence_pct', within: 5000 };
  return testConfig(
    {
      sources: {
        control: { id: 'control', type: 'scrape', url: `${control.url}/metrics`, headers: {}, interval: 1000, timeout: 1000, staleAfter: 3000 },
      },
      actions: {
        killSwitch: { kind: 'http', method: 'POST', url: `${control.url}/admin/kill-switch`, headers: {}, body: { enabled: true, reason: '{{reason}}', actor: '{{actor}}' }, timeout: 2000, retries: 2, verify: { ...verify, expect: '== 0' } },
        setInfluence: { kind: 'http', method: 'POST', url: `${control.url}/admin/influence`, headers: {}, body: { pct: '{{pct}}' }, timeout: 2000, retries: 0, verify: { ...verify, expect: '== {{pct}}' } },
      },
      influence: { source: 'control', metric: 'policy_influence_pct' },
      audit: { dir },
      ...over,
    },
    [
      gate({ id: 'influence_known', title: 'Influence readable', source: 'control', metric: 'policy_influence_pct', go: '>= 0' }),
      gate({ id: 'oncall_ack', title: 'On-call ACK', group: 'Readiness', source: 'manual', signoffRole: 'on_call' }),
    ],
  );
}

const kills = () => control.requests.filter((r) => r.path === '/admin/kill-switch');
const ledgerTypes = () => ledger.lines().map((l) => `${l.type}${'phase' in l ? `:${String(l.phase)}` : ''}`);

describe('console actions', () => {
  it('K then Esc, or K then n, sends nothing and records nothing', async () => {
    const ui = await renderConsole({ config: config(), ledger, clock: systemClock });
    await ui.press('K');
    expect(ui.frame()).toContain('KILL-SWITCH');
    await ui.press('\u001b');
    await new Promise((r) => setTimeout(r, 50));
    expect(ui.frame()).not.toContain('y or Enter to confirm');
    await ui.press('K', 'n');
    await new Promise((r) => setTimeout(r, 300));
    expect(kills()).toHaveLength(0);
    expect(ledger.lines()).toHaveLength(0);
    ui.unmount();
  });

  it('K y sends one kill-switch with an Idempotency-Key, shows VERIFIED, and records the chain', async () => {
    const recorded: Array<{ kind: string; data: unknown }> = [];
    const ui = await renderConsole({ config: config(), ledger, clock: systemClock, recorder: (kind, data) => recorded.push({ kind, data }) });
    ui.session.start();
    await ui.waitFor(/influence 10%/);
    await ui.press('K');
    await ui.waitFor(/KILL-SWITCH: influence 10% → 0%/);
    await ui.press('y');
    await ui.waitFor(/KILL-SWITCH 10% → 0%: .*VERIFIED/);
    expect(kills()).toHaveLength(1);
    expect(kills()[0]!.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(kills()[0]!.body).toMatchObject({ enabled: true, actor: 'alice' });
    expect(ledgerTypes()).toEqual(['action:requested', 'action:verified']);
    await ledger.flush(2000);
    const text = await readFile(join(dir, 'ledger.jsonl'), 'utf8');
    expect(verifyChain(splitLines(text))).toMatchObject({ ok: true, count: 2 });
    // --record keeps the key action too, although the kill path sends before anything else.
    expect(recorded.filter((r) => r.kind === 'key').map((r) => r.data)).toEqual([expect.objectContaining({ type: 'kill', from: 10 })]);
    await ui.session.stop();
    ui.unmount();
  });

  it('a kill-switch that is acknowledged but never verified fails loudly and stays on screen', async () => {
    await control.stop();
    control = await startControlServer({ influence: 10, apply: false });
    const cfg = config();
    (cfg.actions.killSwitch as { verify: { within: number } }).verify.within = 600;
    const ui = await renderConsole({ config: cfg, ledger, clock: systemClock });
    await ui.press('K');
    await ui.waitFor(/y or Enter to confirm/);
    await ui.press('\r');
    await ui.waitFor(/KILL-SWITCH \S+ → 0% FAILED at verifying \(Esc dismisses\): not verified within 600ms: policy_influenc/);
    expect(ledgerTypes()).toEqual(['action:requested', 'action:failed']);
    await ui.press('\u001b');
    await new Promise((r) => setTimeout(r, 50));
    await ui.flush();
    expect(ui.frame()).not.toContain('Esc dismisses');
    ui.unmount();
  });

  it('Ctrl+K while typing an influence keeps the draft; cancelling the kill restores it', async () => {
    const ui = await renderConsole({ config: config(), ledger, clock: systemClock });
    await ui.press('i', '4');
    expect(ui.frame()).toMatch(/new influence %: 4_/);
    await ui.press('\u000b'); // Ctrl+K
    expect(ui.frame()).toContain('KILL-SWITCH');
    await ui.press('n');
    expect(ui.frame()).toMatch(/new influence %: 4_/);
    await ui.press('\u001b');
    expect(kills()).toHaveLength(0);
    ui.unmount();
  });

  it('i sets influence through the control API with a reason when the light is not GO', async () => {
    const ui = await renderConsole({ config: config(), ledger, clock: systemClock });
    ui.session.start();
    await ui.waitFor(/influence 10%/);
    await ui.press('i', '2', '5', '\r');
    await ui.waitFor(/reason/i);
    for (const ch of 'ramp stage 2') await ui.press(ch);
    await ui.press('\r');
    await ui.waitFor(/SET INFLUENCE 10% → 25%/);
    await ui.press('y');
    await ui.waitFor(/influence 10% → 25%: .*VERIFIED/);
    const req = control.requests.find((r) => r.path === '/admin/influence');
    expect(req?.body).toEqual({ pct: 25 });
    const requested = ledger.lines().find((l) => l.type === 'action');
    expect(requested).toMatchObject({ action: 'set_influence', from_pct: 10, to_pct: 25, reason: 'ramp stage 2', actor: 'alice' });
    await ui.session.stop();
    ui.unmount();
  });

  it('s signs the manual gate (GO), GO decisions are refused while NO-GO, and a GO is recorded once allowed', async () => {
    const ui = await renderConsole({ config: config(), ledger, clock: systemClock });
    ui.session.start();
    await ui.waitFor(/● NO-GO\s+On-call ACK/);
    await ui.press('d', 'g');
    await ui.waitFor(/GO refused: the light is NO-GO/);
    expect(ledger.lines()).toHaveLength(0);
    await ui.press('j', 's');
    await ui.waitFor(/y to confirm/);
    await ui.press('y');
    await ui.waitFor(/● GO\s+On-call ACK ✓alice/);
    await ui.waitFor(/ GO  /);
    await ui.press('d', 'g');
    for (const ch of 'all green') await ui.press(ch);
    await ui.press('\r');
    await ui.waitFor(/y to confirm/);
    await ui.press('y');
    await ui.waitFor(/decision GO recorded/);
    await ledger.flush(2000);
    await new Promise((r) => setTimeout(r, 200));
    const files = (await readdir(dir)).filter((f) => f.endsWith('_go_nogo.json'));
    expect(files).toHaveLength(1);
    const rec = JSON.parse(await readFile(join(dir, files[0]!), 'utf8'));
    expect(rec).toMatchObject({ schema: 'warroom.decision/v1', decision: 'GO', decided_by: 'alice', justification: 'all green', overall: 'GO', influence_pct: 10 });
    expect(rec.criteria.map((c: { id: string; status: string }) => `${c.id}:${c.status}`)).toEqual(['influence_known:PASS', 'oncall_ack:PASS']);
    expect(ledgerTypes()).toEqual(['signoff', 'decision']);
    await ui.session.stop();
    ui.unmount();
  });

  it('a decision records its ramp stage; without an audit trail a confirmed decision says why it was refused', async () => {
    const ramp = { start: Date.now() - 60_000, maxStep: 25, stages: [{ influence: 10, hold: 3600_000, checkpoints: [] }, { influence: 25, hold: 3600_000, checkpoints: [] }] };
    const ui = await renderConsole({ config: config({ ramp }), ledger, clock: systemClock });
    ui.session.start();
    await ui.waitFor(/stage 1\/2/);
    const decide = async () => {
      await ui.press('d', 'h');
      for (const ch of 'wait') await ui.press(ch);
      await ui.press('\r');
      await ui.waitFor(/y to confirm/);
      await ui.press('y');
    };
    await decide();
    await ui.waitFor(/decision HOLD recorded/);
    await ledger.flush(2000);
    await new Promise((r) => setTimeout(r, 200));
    const files = (await readdir(dir)).filter((f) => f.endsWith('_go_nogo.json'));
    expect(JSON.parse(await readFile(join(dir, files[0]!), 'utf8'))).toMatchObject({ decision: 'HOLD', ramp_stage: 1, influence_pct: 10 });
    await ui.session.stop();
    ui.unmount();

    const bare = await renderConsole({ config: config(), clock: systemClock });
    bare.session.start();
    await bare.waitFor(/Influence readable/);
    await bare.press('d', 'h');
    for (const ch of 'wait') await bare.press(ch);
    await bare.press('\r');
    await bare.waitFor(/y to confirm/);
    await bare.press('y');
    await bare.waitFor(/decision refused: the audit trail is unavailable/);
    await bare.session.stop();
    bare.unmount();
  });

  it('w waives the selected gate until its expiry, visibly', async () => {
    const cfg = config();
    cfg.gates[0]!.go = parseThreshold('>= 50');
    const ui = await renderConsole({ config: cfg, ledger, clock: systemClock });
    ui.session.start();
    await ui.waitFor(/● NO-GO\s+Influence readable/);
    await ui.press('w');
    for (const ch of 'known low') await ui.press(ch);
    await ui.press('\r');
    for (const ch of '2h') await ui.press(ch);
    await ui.press('\r');
    await ui.waitFor(/y to confirm/);
    await ui.press('y');
    await ui.waitFor(/● WAIVED\s+Influence readable/);
    expect(ledger.lines()[0]).toMatchObject({ type: 'waiver', gate: 'influence_known', reason: 'known low', actor: 'alice' });
    await ui.session.stop();
    ui.unmount();
  });

  it('--read-only refuses every action key and sends nothing', async () => {
    const ui = await renderConsole({ config: config(), ledger, clock: systemClock, readOnly: true });
    for (const k of ['K', 'i', 'n', 'd', 's', 'w', 'a']) {
      await ui.press(k);
      await ui.flush();
      expect(ui.frame()).toContain('READ-ONLY');
      expect(ui.store.getState().flow).toBeNull();
    }
    expect(ui.frame()).toMatch(/READ-ONLY: actions are disabled/);
    expect(control.requests).toHaveLength(0);
    expect(ledger.lines()).toHaveLength(0);
    ui.unmount();
  });

  it('roles: a tech lead may not fire the kill-switch, and is told why', async () => {
    const ui = await renderConsole({ config: config({ roles: { release_captain: ['alice'], on_call: ['bob'], tech_lead: ['carol'] } }), ledger, clock: systemClock, actor: 'carol' });
    await ui.press('K');
    await ui.flush();
    expect(ui.frame()).toMatch(/kill-switch needs role on_call or release_captain \(you are: tech_lead\)/);
    expect(kills()).toHaveLength(0);
    ui.unmount();
  });
});

describe('quitting', () => {
  it('Ctrl+C cancels an open prompt; q quits at once when nothing is in flight', async () => {
    const ui = await renderConsole({ config: config(), ledger, clock: systemClock });
    await ui.press('K');
    expect(ui.frame()).toContain('KILL-SWITCH');
    await ui.press('\u0003');
    expect(ui.store.getState().flow).toBeNull();
    expect(ui.quits()).toBe(0);
    await ui.press('q');
    expect(ui.quits()).toBe(1);
    expect(kills()).toHaveLength(0);
    ui.unmount();
  });

  it('q asks first while an action is in flight', async () => {
    await control.stop();
    control = await startControlServer({ influence: 10 });
    control.respondWith([{ status: 200, delayMs: 1500 }]);
    const ui = await renderConsole({ config: config(), ledger, clock: systemClock });
    await ui.press('K');
    await ui.waitFor(/y or Enter to confirm/);
    await ui.press('y');
    await ui.waitFor(/ACTION IN FLIGHT/);
    await ui.press('q');
    expect(ui.quits()).toBe(0);
    await ui.waitFor(/in flight/i);
    await ui.press('n');
    expect(ui.quits()).toBe(0);
    ui.unmount();
  });
});
