/**
 * Issue 11 (keys and small terminals) on the real binary in tmux: keys that arrive in one
 * read each count (`send-keys -l` writes its text at once), and below 80x24 the console keeps
 * the light and a kill key that really sends.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  entropyGate,
  eventually,
  headerInfluence,
  killswitchTestedGate,
  metric,
  qSpreadGate,
  requestsTo,
  setInfluence,
  startConsole,
  startSim,
  writeE2eConfig,
  type Simulator,
} from '../helpers/e2e.js';
import type { Tmux } from '../helpers/tmux.js';
import { confirm } from '../helpers/confirm.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const KILL = '/admin/kill-switch';
const CONFIRM = /KILL-SWITCH: influence 10% → 0%[\s\S]*y or Enter to confirm/;
/** Long enough for a key that was (wrongly) acted on to reach the simulator. */
const SETTLE_MS = 1_000;

let sim: Simulator;
beforeAll(async () => {
  sim = await startSim({ speed: 20 });
});
afterAll(async () => {
  await sim?.stop();
});
beforeEach(async () => {
  await setInfluence(sim, 10);
  await eventually(async () => (await metric(sim, 'policy_influence_pct')) === 10, 5_000, 'sim influence 10');
});
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function open(size: { cols: number; rows: number } = { cols: 120, rows: 36 }): Tmux {
  const ws = writeE2eConfig(sim, {
    gates: [entropyGate(), qSpreadGate(), killswitchTestedGate(), { id: 'oncall_ack', title: 'On-call engineer ACK', group: 'Readiness', source: 'manual', signoff_role: 'on_call' }],
  });
  cleanups.push(() => ws.cleanup());
  const t = startConsole(ws.configPath, size);
  cleanups.push(() => t.stop());
  return t;
}

/** Grid rows (a light and a title), and which of them carries the selection cursor. */
function selectedRow(screen: string): number {
  const rows = screen.split('\n').filter((l) => /^[› ] ● (GO|WARN|NO-GO|\?|WAIVED)\s/.test(l));
  return rows.findIndex((l) => l.startsWith('›'));
}

describe('keys arriving in one read (issue 11)', () => {
  it('KK in one write opens the kill confirm, which stays open; nothing is sent', async () => {
    const t = open();
    await t.waitFor((s) => headerInfluence(s) === 10, 10_000, 'influence 10% in the header');
    const before = requestsTo(sim, KILL).length;
    t.type('KK');
    await t.waitFor(CONFIRM, 5_000, 'the kill confirm');
    await sleep(SETTLE_MS);
    expect(t.capture()).toMatch(CONFIRM);
    expect(requestsTo(sim, KILL).length).toBe(before);
  });

  it('jjj in one write moves the selection three rows', async () => {
    const t = open();
    const start = await t.waitFor((s) => selectedRow(s) === 0 && headerInfluence(s) === 10, 10_000, 'the first row selected');
    expect(start.split('\n').filter((l) => /^[› ] ● /.test(l)).length).toBeGreaterThanOrEqual(4);
    t.type('jjj');
    await t.waitFor((s) => selectedRow(s) === 3, 5_000, 'the selection on the fourth row');
  });

  it('Ctrl+K Ctrl+K in one write opens the kill confirm and sends nothing', async () => {
    const t = open();
    await t.waitFor((s) => headerInfluence(s) === 10, 10_000, 'influence 10% in the header');
    const before = requestsTo(sim, KILL).length;
    t.type('\x0b\x0b');
    await t.waitFor(CONFIRM, 5_000, 'the kill confirm');
    await sleep(SETTLE_MS);
    expect(t.capture()).toMatch(CONFIRM);
    expect(requestsTo(sim, KILL).length).toBe(before);
    expect(sim.state().killswitch_engaged).toBe(false);
  });
});

describe('below 80x24 (issue 11, SPEC §9.2)', () => {
  it('60x20: says so with the light; K y sends exactly one kill-switch; 100x30 brings the full screen back', async () => {
    const t = open({ cols: 60, rows: 20 });
    const small = await t.waitFor(/terminal too small \(60x20, needs 80x24\)/, 10_000, 'the too-small message');
    await t.waitFor(/^ (GO|WARN|NO-GO|\?) +influence 10%/m, 10_000, 'the overall light and influence');
    expect(small).toMatch(/K kill-switch/);
    const before = requestsTo(sim, KILL).length;

    t.send('K');
    const confirmScreen = await t.waitFor(/10% → 0%[\s\S]*y or Enter confirms · Esc or n cancels/, 5_000, 'a kill confirm that fits');
    for (const line of confirmScreen.split('\n')) expect([...line].length).toBeLessThanOrEqual(60);
    await confirm(t); // the confirm guard
    await eventually(() => requestsTo(sim, KILL).length > before, 10_000, 'the kill-switch request');
    await sleep(SETTLE_MS);
    expect(requestsTo(sim, KILL).length).toBe(before + 1);
    await t.waitFor((s) => / influence 0%/.test(s), 10_000, 'influence 0% on the small screen');

    t.resize(100, 30);
    const full = await t.waitFor((s) => !s.includes('terminal too small') && /^K kill/m.test(s) && s.includes('Policy entropy'), 5_000, 'the full screen');
    expect(headerInfluence(full)).toBe(0);
  });
});
