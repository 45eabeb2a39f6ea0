/**
 * Issue 3 "Done means", proven on the real binary in tmux: the grid follows the simulator,
 * feed alerts reach the event log, the layout survives 80x24, help opens, q restores the terminal.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ACTOR, entropyGate, overall, killswitchTestedGate, lineWith, setScenario, startConsole, startSim, writeE2eConfig, type E2eWorkspace, type Simulator } from '../helpers/e2e.js';
import type { Tmux } from '../helpers/tmux.js';


/** The light word of the grid row titled `title`. */
function gateLight(screen: string, title: string): string | undefined {
  return /● (GO|WARN|NO-GO|\?|WAIVED)\s/.exec(lineWith(screen, title))?.[1];
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(): Promise<{ sim: Simulator; ws: E2eWorkspace; t: Tmux }> {
  const sim = await startSim({ speed: 20 });
  cleanups.push(() => sim.stop());
  const ws = writeE2eConfig(sim, { gates: [entropyGate(), killswitchTestedGate()] });
  cleanups.push(() => ws.cleanup());
  const t = startConsole(ws.configPath, { cols: 120, rows: 36 });
  cleanups.push(() => t.stop());
  return { sim, ws, t };
}

describe('console in a real terminal (issue 3)', () => {
  it('shows entropy GO, then entropy-collapse turns the entropy light and the overall NO-GO', async () => {
    const { sim, t } = await setup();
    const healthy = await t.waitFor((s) => gateLight(s, 'Policy entropy') === 'GO' && overall(s) === 'GO', 10_000, 'entropy GO and overall GO');
    expect(healthy).toContain(ACTOR);
    expect(healthy).toContain('rl-policy-e2e');

    await setScenario(sim, 'entropy-collapse');
    const collapsed = await t.waitFor((s) => gateLight(s, 'Policy entropy') === 'NO-GO', 15_000, 'entropy NO-GO');
    // The light follows the data: the shown value really fails the warn threshold.
    const value = Number(/NO-GO\s+Policy entropy\s+([\d.]+)/.exec(collapsed)?.[1]);
    expect(value).toBeLessThan(0.8);
    await t.waitFor((s) => overall(s) === 'NO-GO', 5_000, 'overall NO-GO');
    expect(gateLight(t.capture(), 'Kill-switch tested')).toBe('GO');
  });

  it('page-alert: the alert from the feed appears in the event log and the feed page-alert gate goes NO-GO', async () => {
    const { sim, t } = await setup();
    await t.waitFor((s) => overall(s) === 'GO', 10_000, 'overall GO');
    expect(t.capture()).not.toContain('checkout error budget burn');

    await setScenario(sim, 'page-alert');
    const screen = await t.waitFor(/ALERT a-17 page firing: checkout error budget burn/, 10_000, 'the alert in the event log');
    // It is in the event log, below the events header, not just anywhere.
    const lines = screen.split('\n');
    const logStart = lines.findIndex((l) => l.includes('events (newest first)'));
    const alertAt = lines.findIndex((l) => l.includes('checkout error budget burn'));
    expect(logStart).toBeGreaterThan(0);
    expect(alertAt).toBeGreaterThan(logStart);
    await t.waitFor((s) => gateLight(s, 'page alerts') === 'NO-GO' && overall(s) === 'NO-GO', 5_000, 'feed page-alert gate NO-GO');
  });

  it('survives a resize to 80x24, shows help on ?, and q exits 0 leaving the alternate screen', async () => {
    const { t } = await setup();
    await t.waitFor((s) => overall(s) === 'GO', 10_000, 'overall GO');
    expect(t.alternateOn()).toBe(true);

    t.resize(80, 24);
    // tmux crops the old 120-column frame at once, which would cut the threshold column off;
    // the console's own redraw fits the row (threshold visible) into 80 columns.
    const small = await t.waitFor(
      (s) => lineWith(s, 'Kill-switch tested').includes('== true') && /^K kill/m.test(s) && overall(s) !== undefined,
      5_000,
      'the 80x24 redraw',
    );
    expect(overall(small)).toBe('GO');
    expect(lineWith(small, 'K kill')).toMatch(/^K kill/);
    // No stale 120-column line survives the redraw.
    for (const line of small.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    expect(small).toContain('Policy entropy');

    t.send('?');
    const help = await t.waitFor(/Keys \(any key closes\)/, 5_000, 'the help overlay');
    expect(help).toMatch(/kill-switch: influence to 0%/);
    expect(help).toMatch(/^q\s+quit/m);
    t.send('Escape');
    await t.waitFor((s) => !s.includes('Keys (any key closes)') && s.includes('Policy entropy'), 5_000, 'help closed');

    t.send('q');
    expect(await t.exitCode(10_000)).toBe(0);
    const after = t.capture();
    expect(t.alternateOn()).toBe(false);
    expect(after).not.toContain('K kill');
    expect(after).not.toContain('Policy entropy');
  });
});
