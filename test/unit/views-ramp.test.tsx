import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/audit/ledger.js';
import { FakeClock } from '../../src/core/clock.js';
import type { RampConfig } from '../../src/config/types.js';
import { testConfig } from '../helpers/config.js';
import { gate } from '../helpers/gates.js';
import { renderConsole } from '../helpers/ink.js';

const MIN = 60_000;

function rampConfig(start: number): RampConfig {
  return {
    start,
    maxStep: 25,
    stages: [
      { influence: 10, hold: 120 * MIN, checkpoints: [{ at: 30 * MIN, label: 'Check for any alerts' }, { at: 60 * MIN, label: 'Review metrics stability' }, { at: 120 * MIN, label: 'Continuation decision' }] },
      { influence: 25, hold: 120 * MIN, checkpoints: [] },
    ],
  };
}

async function setup() {
  const clock = new FakeClock();
  const dir = await mkdtemp(join(tmpdir(), 'warroom-ramp-view-'));
  const config = testConfig({ ramp: rampConfig(clock.now() - 31 * MIN), audit: { dir } }, [
    gate({ id: 'entropy', title: 'Policy entropy', go: '>= 0.9', metric: 'e', rollback: 'auto', staleAfter: 3_600_000 }),
    gate({ id: 'q_spread', title: 'Q spread', go: '<= 2', metric: 'q', rollback: 'prompt', staleAfter: 3_600_000 }),
  ]);
  // The console's ledger is its deployment's: an ack for another deployment never counts.
  const ledger = await Ledger.open(dir, { clock, deployment: config.deployment.name, environment: config.deployment.environment });
  const ui = await renderConsole({ config, clock, ledger, columns: 120, rows: 36 });
  return { ui, clock, ledger };
}

describe('ramp timeline and rollback banners', () => {
  it('a ramp started 31 minutes ago shows T+00:31 and the T+30 checkpoint due; a acknowledges it', async () => {
    const { ui, ledger } = await setup();
    await ui.feed({ entropy: 0.95, q_spread: 1, influence: 10 });
    let f = ui.frame();
    expect(f).toMatch(/stage 1\/2 10% · T\+00:31:00 · hold 1h29m left · n → 25%/);
    // The next checkpoint is named too, not only the due one; later ones keep their countdown alone.
    expect(f).toMatch(/T\+30 Check for any alerts: DUE 1m ago \(a acks\) · T\+60 Review metrics stability in 00:29:00 · T\+120 in 01:29:00/);
    expect(ui.store.getState().bell).toBeGreaterThan(0);
    await ui.press('a');
    await ui.flush();
    f = ui.frame();
    expect(f).toMatch(/T\+30 ✓ alice 14:00Z/);
    expect(ledger.lines().at(-1)).toMatchObject({ type: 'checkpoint.ack', stage: 0, offset_ms: 30 * MIN, actor: 'alice' });
    expect(f).toMatch(/T\+30 ✓ alice 14:00Z · T\+60 Review metrics stability in 00:29:00 · T\+120 in 01:29:00/);
    await ui.advance(30 * MIN);
    expect(ui.frame()).toMatch(/T\+60 Review metrics stability: DUE/);
    expect(ui.frame()).toMatch(/T\+120 Continuation decision in 00:59:00/);
    ui.unmount();
  });

  it('an auto gate turning NO-GO arms a 30 s countdown that a cancels; nothing is sent', async () => {
    const { ui, ledger } = await setup();
    await ui.feed({ entropy: 0.95, q_spread: 1, influence: 10 });
    await ui.feed({ entropy: 0.5, q_spread: 1, influence: 10 });
    expect(ui.frame()).toMatch(/AUTO-ROLLBACK in 00:00:30: entropy = 0\.5 fails >= 0\.9\. Press a to cancel/);
    await ui.advance(10_000);
    await ui.feed({ entropy: 0.5, q_spread: 1, influence: 10 });
    expect(ui.frame()).toMatch(/AUTO-ROLLBACK in 00:00:20/);
    await ui.press('a');
    await ui.flush();
    expect(ui.frame()).toMatch(/auto-rollback cancelled: entropy = 0\.5/);
    await ui.advance(30_000);
    await ui.feed({ entropy: 0.5, q_spread: 1, influence: 10 });
    expect(ui.store.getState().actions).toHaveLength(0);
    expect(ledger.lines().filter((l) => l.type === 'trigger').map((l) => (l as { phase: string }).phase)).toEqual(['armed', 'cancelled']);
    ui.unmount();
  });

  it('left alone, the armed trigger fires the kill-switch (refused loudly here: none configured) and is recorded', async () => {
    const { ui, ledger } = await setup();
    await ui.feed({ entropy: 0.95, q_spread: 1, influence: 10 });
    await ui.feed({ entropy: 0.5, q_spread: 1, influence: 10 });
    await ui.advance(30_000);
    await ui.feed({ entropy: 0.5, q_spread: 1, influence: 10 });
    const f = ui.frame();
    expect(f).toMatch(/AUTO-ROLLBACK FIRED: entropy = 0\.5 fails >= 0\.9/);
    expect(f).toMatch(/no kill_switch action is configured/);
    expect(ledger.lines().filter((l) => l.type === 'trigger').map((l) => (l as { phase: string }).phase)).toEqual(['armed', 'fired']);
    ui.unmount();
  });

  it('a prompt gate raises the banner asking for K, and it clears when the gate recovers', async () => {
    const { ui } = await setup();
    await ui.feed({ entropy: 0.95, q_spread: 1, influence: 10 });
    await ui.feed({ entropy: 0.95, q_spread: 5, influence: 10 });
    expect(ui.frame()).toMatch(/ROLLBACK TRIGGER: q_spread = 5 fails <= 2\. Press K for the kill-switch/);
    await ui.feed({ entropy: 0.95, q_spread: 1, influence: 10 });
    expect(ui.frame()).not.toMatch(/ROLLBACK TRIGGER: q_spread/);
    await ui.flush();
    expect(ui.frame()).toMatch(/rollback trigger for q_spread cleared/);
    ui.unmount();
  });

  it('no triggers while influence is 0', async () => {
    const { ui } = await setup();
    await ui.feed({ entropy: 0.5, q_spread: 5, influence: 0 });
    expect(ui.frame()).not.toMatch(/ROLLBACK/);
    ui.unmount();
  });
});
