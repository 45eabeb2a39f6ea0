/**
 * Issue 5 "Done means" on the real binary in tmux: the ramp timeline and checkpoint acks,
 * and rollback triggers (auto: cancel and fire; prompt: banner that waits for K).
 * The tests run concurrently, each with its own simulator, because two of them must wait out
 * the 30 s auto-rollback countdown.
 */
import { describe, expect, it } from 'vitest';
import {
  ACTOR,
  entropyGate,
  eventually,
  headerInfluence,
  metric,
  qSpreadGate,
  requestsTo,
  setInfluence,
  setScenario,
  startConsole,
  startSim,
  writeE2eConfig,
  type E2eConfigOptions,
  type Simulator,
} from '../helpers/e2e.js';
import type { Tmux } from '../helpers/tmux.js';
import { confirm } from '../helpers/confirm.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const KILL = '/admin/kill-switch';
const AUTO_DELAY_MS = 30_000;

interface Rig {
  sim: Simulator;
  t: Tmux;
  ledger: () => Array<Record<string, unknown>>;
}

/** Simulator at `influence`%, a config for it, and the console; always torn down. */
async function withRig(opts: Omit<E2eConfigOptions, 'deployment'>, influence: number, body: (rig: Rig) => Promise<void>): Promise<void> {
  const sim = await startSim({ speed: 20 });
  const ws = writeE2eConfig(sim, opts);
  let t: Tmux | undefined;
  try {
    await setInfluence(sim, influence);
    await eventually(async () => (await metric(sim, 'policy_influence_pct')) === influence, 5_000, `sim influence ${influence}`);
    t = startConsole(ws.configPath, { cols: 120, rows: 36 });
    await t.waitFor((s) => headerInfluence(s) === influence, 10_000, `influence ${influence}% in the header`);
    await body({ sim, t, ledger: ws.ledger });
  } finally {
    t?.stop();
    await sim.stop();
    ws.cleanup();
  }
}

const RAMP_STAGES = [
  {
    influence: 10,
    hold: '2h',
    checkpoints: [
      { at: '30m', label: 'Check for any alerts' },
      { at: '60m', label: 'Review metrics stability' },
      { at: '120m', label: 'Continuation decision' },
    ],
  },
  { influence: 25, hold: '2h' },
];

describe.concurrent('ramp timeline and rollback triggers (issue 5)', () => {
  it('a ramp started 31 min ago shows T+00:31 and the T+30 checkpoint DUE; a acknowledges it and the ledger records who', async () => {
    const start = new Date(Date.now() - 31 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    await withRig({ gates: [entropyGate()], ramp: { start, max_step: 25, stages: RAMP_STAGES } }, 10, async ({ t, ledger }) => {
      const screen = await t.waitFor(/T\+00:31:\d\d/, 10_000, 'T+00:31 on the timeline');
      expect(screen).toMatch(/stage 1\/2 10%/);
      const due = await t.waitFor(/T\+30 Check for any alerts: DUE/, 5_000, 'the T+30 checkpoint DUE');
      // The later checkpoints are still counting down, not due.
      // The next one is named with its countdown; the one after by its offset alone.
      expect(due).toMatch(/T\+60 Review metrics stability in \d\d:\d\d/);
      expect(due).not.toMatch(/T\+60[^·|]*DUE/);
      expect(ledger().filter((l) => l.type === 'checkpoint.ack')).toEqual([]);

      t.send('a');
      const acked = await t.waitFor(new RegExp(`T\\+30 \\S+ ${ACTOR} \\d\\d:\\d\\dZ`), 5_000, 'the acknowledged checkpoint with who');
      expect(acked).not.toMatch(/T\+30 Check for any alerts: DUE/);
      await eventually(() => ledger().some((l) => l.type === 'checkpoint.ack'), 5_000, 'a checkpoint.ack ledger line');
      const ack = ledger().find((l) => l.type === 'checkpoint.ack')!;
      expect(ack.actor).toBe(ACTOR);
      expect(ack).toMatchObject({ offset_ms: 30 * 60_000, label: 'Check for any alerts' });
    });
  });

  it('rollback: auto arms a visible countdown on entropy-collapse; a cancels it and no kill-switch is ever sent', async () => {
    await withRig({ gates: [entropyGate({ rollback: 'auto' })] }, 10, async ({ sim, t, ledger }) => {
      await t.waitFor(/● GO\s+Policy entropy/, 10_000, 'entropy GO');
      await setScenario(sim, 'entropy-collapse');
      const armed = await t.waitFor(/AUTO-ROLLBACK in \d\d:\d\d:\d\d/, 15_000, 'the AUTO-ROLLBACK countdown banner');
      expect(armed).toMatch(/entropy = [\d.]+ fails >= 0\.9/);
      expect(armed).toMatch(/Press a to cancel/);
      const armedAt = Date.now();

      t.send('a');
      await t.waitFor(/auto-rollback cancelled/, 5_000, 'the cancelled banner');
      expect(t.capture()).not.toMatch(/AUTO-ROLLBACK in/);
      await eventually(() => ledger().some((l) => l.type === 'trigger' && l.phase === 'cancelled' && l.gate === 'entropy'), 5_000, 'the cancel in the ledger');

      // Wait past the moment it would have fired: still nothing sent, influence untouched.
      await sleep(Math.max(0, armedAt + AUTO_DELAY_MS + 3_000 - Date.now()));
      expect(requestsTo(sim, KILL)).toEqual([]);
      expect(await metric(sim, 'policy_influence_pct')).toBe(10);
      const after = t.capture();
      expect(after).not.toMatch(/AUTO-ROLLBACK FIRED/);
      expect(headerInfluence(after)).toBe(10);
      expect(ledger().some((l) => l.type === 'trigger' && l.phase === 'fired')).toBe(false);
    });
  }, 75_000);

  it('rollback: auto left alone fires the kill-switch after 30 s: VERIFIED and influence 0', async () => {
    await withRig({ gates: [entropyGate({ rollback: 'auto' })] }, 10, async ({ sim, t, ledger }) => {
      await t.waitFor(/● GO\s+Policy entropy/, 10_000, 'entropy GO');
      await setScenario(sim, 'entropy-collapse');
      await t.waitFor(/AUTO-ROLLBACK in \d\d:\d\d:\d\d/, 15_000, 'the AUTO-ROLLBACK countdown banner');
      const armedAt = Date.now();
      // Counting down, visibly, and not fired early.
      await sleep(3_000);
      expect(t.capture()).toMatch(/AUTO-ROLLBACK in 00:00:2\d/);
      expect(requestsTo(sim, KILL)).toEqual([]);

      const fired = await t.waitFor(/KILL-SWITCH 10% → 0%:.*VERIFIED/, AUTO_DELAY_MS + 15_000, 'the kill-switch VERIFIED');
      expect(Date.now() - armedAt).toBeGreaterThanOrEqual(AUTO_DELAY_MS - 2_000);
      await t.waitFor((s) => headerInfluence(s) === 0, 5_000, 'header influence 0%');
      expect(fired).toMatch(/AUTO-ROLLBACK FIRED|ROLLED BACK/);
      const posts = requestsTo(sim, KILL);
      expect(posts).toHaveLength(1);
      expect(posts[0]!.idempotency_key).toBeTruthy();
      expect(await metric(sim, 'policy_influence_pct')).toBe(0);
      await eventually(() => ledger().some((l) => l.action === 'kill_switch' && l.phase === 'verified'), 5_000, 'a verified kill_switch ledger line');
      expect(ledger().some((l) => l.type === 'trigger' && l.phase === 'fired' && l.gate === 'entropy')).toBe(true);
    });
  }, 75_000);

  it('rollback: prompt raises ROLLBACK TRIGGER … press K and sends nothing by itself', async () => {
    await withRig({ gates: [qSpreadGate({ rollback: 'prompt' })] }, 10, async ({ sim, t }) => {
      await t.waitFor(/● GO\s+Q-value spread/, 10_000, 'q_spread GO');
      await setScenario(sim, 'entropy-collapse');
      const banner = await t.waitFor(/ROLLBACK TRIGGER: q_spread = [\d.]+ fails <= 2x\b.*\. Press K for the kill-switch/, 15_000, 'the ROLLBACK TRIGGER banner');
      expect(banner).not.toMatch(/AUTO-ROLLBACK/);
      await sleep(2_000);
      expect(requestsTo(sim, KILL)).toEqual([]);
      // K opens the usual kill-switch confirm from the current influence.
      t.send('K');
      await t.waitFor(/KILL-SWITCH: influence 10% → 0%/, 5_000, 'the kill-switch confirm');
      await confirm(t, 'n');
      await t.waitFor((s) => !s.includes('y or Enter to confirm'), 5_000, 'the confirm closed');
      expect(requestsTo(sim, KILL)).toEqual([]);
    });
  });
});
