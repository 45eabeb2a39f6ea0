import { describe, expect, it } from 'vitest';
import { renderConsole } from '../helpers/ink.js';
import { testConfig } from '../helpers/config.js';

describe('console views', () => {
  it('shows every gate grouped with its light word, value and threshold', async () => {
    const ui = await renderConsole();
    await ui.feed({ entropy: 0.93, q_spread: 1.5, errors: 0.002, latency: 0.5 });
    const f = ui.frame();
    expect(f).toMatch(/warroom rl-policy-v42 · production/);
    expect(f).toContain('Policy health');
    expect(f).toContain('Service');
    expect(f).toMatch(/● GO\s+Policy entropy\s+0\.93\s+>= 0\.9 \(warn >= 0\.8\)/);
    expect(f).toMatch(/● NO-GO\s+On-call ACK/);
    expect(f).toMatch(/● NO-GO\s+p99 latency \(adv\)/);
    // not signed -> critical FAIL -> NO-GO overall
    expect(f).toContain(' NO-GO ');
    ui.unmount();
  });

  it('updates a light when the data changes, and shows ? for stale data', async () => {
    const ui = await renderConsole();
    await ui.feed({ entropy: 0.93 });
    expect(ui.frame()).toMatch(/● GO\s+Policy entropy/);
    await ui.feed({ entropy: 0.5 });
    expect(ui.frame()).toMatch(/● NO-GO\s+Policy entropy\s+0\.5/);
    expect(ui.frame()).toMatch(/Policy entropy: GO → NO-GO/);
    await ui.advance(31_000);
    expect(ui.frame()).toMatch(/● \?\s+Policy entropy/);
    ui.unmount();
  });

  it('moves the selection with j/k and arrows, and opens the detail with Enter', async () => {
    const ui = await renderConsole();
    for (const v of [0.91, 0.92, 0.95]) {
      await ui.feed({ entropy: v });
      await ui.advance(1000);
    }
    expect(ui.frame()).toMatch(/› ● GO\s+Policy entropy/);
    await ui.press('j');
    expect(ui.frame()).toMatch(/› ● \?\s+Q-value spread/);
    await ui.press('\u001b[A'); // up arrow
    await ui.press('\r');
    const f = ui.frame();
    expect(f).toMatch(/source\s+exporter: policy_entropy/);
    expect(f).toMatch(/history\s+[▁-█]{3}\s+min 0\.91 max 0\.95/);
    expect(f).toContain('(Enter or Esc closes)');
    await ui.press('\r');
    expect(ui.frame()).toContain('events (newest first)');
    ui.unmount();
  });

  it('filters gates with / and clears with Esc', async () => {
    const ui = await renderConsole();
    await ui.press('/', 'l', 'a', 't');
    let f = ui.frame();
    expect(f).toContain('filter: lat');
    expect(f).toContain('p99 latency');
    expect(f).not.toContain('Policy entropy');
    await ui.press('\r');
    expect(ui.frame()).toContain('filter: lat');
    await ui.press('/', '\u001b');
    await new Promise((r) => setTimeout(r, 30));
    f = ui.frame();
    expect(f).not.toContain('filter:');
    expect(f).toContain('Policy entropy');
    ui.unmount();
  });

  it('shows the help overlay with ? and closes on any key; r refreshes; q quits', async () => {
    const ui = await renderConsole();
    await ui.press('?');
    expect(ui.frame()).toContain('Keys (any key closes)');
    expect(ui.frame()).toMatch(/K, Ctrl\+K\s+kill-switch/);
    await ui.press('x');
    expect(ui.frame()).not.toContain('Keys (any key closes)');
    await ui.press('r');
    await ui.flush();
    expect(ui.frame()).toContain('refresh requested by alice');
    await ui.press('q');
    expect(ui.quits()).toBe(1);
    ui.unmount();
  });

  it('fits 80x24 and redraws on resize, keeping the light and footer', async () => {
    const ui = await renderConsole({ columns: 120, rows: 36 });
    await ui.feed({ entropy: 0.93 });
    await ui.resize(80, 24);
    const lines = ui.frame().split('\n');
    expect(lines.length).toBeLessThanOrEqual(23);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(lines[0]).toContain(' NO-GO ');
    expect(lines[lines.length - 1]).toContain('K kill');
    expect(lines[lines.length - 1]).toContain('q quit');
    ui.unmount();
  });

  it('honours --ascii and says READ-ONLY', async () => {
    const ui = await renderConsole({ readOnly: true, theme: { ascii: true } });
    await ui.feed({ entropy: 0.5 });
    await ui.feed({ entropy: 0.93 });
    const f = ui.frame();
    expect(f).toMatch(/> \* GO\s+Policy entropy/);
    expect(f).toContain('READ-ONLY');
    expect(f).toContain('Policy entropy: NO-GO -> GO');
    expect(/[^\x00-\x7f]/.test(f)).toBe(false);
    ui.unmount();
  });

  it('READ-ONLY stays on the header line at 80 columns with a long actor and role: the texts before it truncate', async () => {
    const config = testConfig({ roles: { release_captain: ['e2e-alice-the-captain'] } });
    const ui = await renderConsole({ config, actor: 'e2e-alice-the-captain', readOnly: true, columns: 80, rows: 24 });
    await ui.feed({ entropy: 0.93 });
    const lines = ui.frame().split('\n');
    expect(lines[0]).toMatch(/ READ-ONLY\s*$/);
    expect(lines[0]).toMatch(/ (GO|NO-GO|WARN) /);
    expect(lines[0]!.length).toBeLessThanOrEqual(80);
    expect(lines[1]).toMatch(/^sources /);
    ui.unmount();
  });
});
