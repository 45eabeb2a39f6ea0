/** The palette and the remedy hints on the real Console (Ink): 80x24 fits, below it the small screen keeps it usable. */
import { describe, expect, it } from 'vitest';
import type { RunbookConfig } from '../../src/config/types.js';
import { testConfig } from '../helpers/config.js';
import { gate } from '../helpers/gates.js';
import { renderConsole } from '../helpers/ink.js';
import { PALETTE_BUILTINS } from '../../src/flows/palette.js';

const DOWNSHIFT: RunbookConfig = {
  id: 'downshift',
  title: 'Downshift to balanced',
  params: [{ name: 'mode', kind: 'choice', choices: ['balanced', 'fast'] }],
  usesReason: false,
  action: { kind: 'http', method: 'POST', url: 'http://127.0.0.1:1/admin/mode/set', headers: {}, body: { mode: '{{mode}}' }, timeout: 1000, retries: 0 },
};

function config() {
  return testConfig({ actions: { runbooks: { downshift: DOWNSHIFT } } }, [
    gate({ id: 'entropy', title: 'Policy entropy', go: '>= 0.9', metric: 'policy_entropy', rollback: 'prompt', remedy: 'downshift' }),
    gate({ id: 'errors', title: 'Error ratio', go: '<= 0.01', metric: 'err' }),
  ]);
}

describe('the palette on screen', () => {
  it('fits 80x24: every entry, the filter and the keys, within rows - 1 lines and 80 columns', async () => {
    const ui = await renderConsole({ config: config(), columns: 80, rows: 24 });
    await ui.press(':');
    const frame = await ui.waitFor(new RegExp(`COMMANDS ${PALETTE_BUILTINS.length + 1} shown`));
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(23);
    expect(lines.every((l) => l.length <= 80)).toBe(true);
    for (const t of ['Kill-switch: influence to 0%', 'Help: all keys', 'Invalidate a decision, sign-off or waiver', 'runbook Downshift to balanced (downshift)', 'Enter opens · Esc cancels']) expect(frame).toContain(t);
    await ui.press('x', 'y', 'z');
    await ui.waitFor(/nothing matches/);
    await ui.press('\u001b');
    await ui.waitFor(/Policy entropy/);
    expect(ui.store.getState().flow).toBeNull();
    ui.unmount();
  });

  it('below 80x24 the small screen shows the filter and the best matches', async () => {
    const ui = await renderConsole({ config: config(), columns: 60, rows: 20 });
    await ui.press(':', 'd', 'o', 'w', 'n');
    const frame = await ui.waitFor(/terminal too small/);
    expect(frame).toMatch(/COMMANDS \(1\)/);
    expect(frame).toMatch(/filter: down_/);
    expect(frame).toMatch(/> Downshift to balanced \(downshift\)/);
    ui.unmount();
  });

  it('the gate detail and the rollback banner say which key runs the remedy', async () => {
    const ui = await renderConsole({ config: config(), columns: 120, rows: 36 });
    await ui.feed({ influence: 10, entropy: 0.95, errors: 0 });
    await ui.press('\r');
    await ui.waitFor(/remedy\s+press x to run Downshift to balanced \(downshift\)/);
    await ui.press('\u001b');
    await ui.feed({ influence: 10, entropy: 0.2, errors: 0 });
    await ui.waitFor(/ROLLBACK TRIGGER: entropy = 0\.2 fails >= 0\.9\. K kill-switch · press x to run Downshift to balanced/);
    await ui.press('x');
    await ui.waitFor(/remedy for "Policy entropy"/);
    ui.unmount();
  });

  it('a console that may not run the remedy is not told to press x', async () => {
    const ui = await renderConsole({ config: config(), columns: 120, rows: 36, readOnly: true });
    await ui.feed({ influence: 10, entropy: 0.2, errors: 0 });
    const frame = await ui.waitFor(/ROLLBACK TRIGGER: entropy = 0\.2/);
    expect(frame).not.toMatch(/press x/);
    ui.unmount();
  });
});
