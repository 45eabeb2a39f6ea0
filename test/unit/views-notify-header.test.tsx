/** The header says when a notification sink is failing or dropping (SPEC §9.4), at 80 columns too. */
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { setNotifyHealth } from '../../src/store/store.js';
import { renderConsole } from '../helpers/ink.js';

describe('header: notification health', () => {
  it('shows nothing while every sink delivers, then NOTIFY FAILING with the sink names and the dropped count', async () => {
    const ui = await renderConsole({ columns: 80, rows: 24 });
    await act(async () => setNotifyHealth(ui.store, [{ name: 'slack#0', failing: false, dropped: 0 }, { name: 'teams#1', failing: false, dropped: 0 }]));
    await ui.flush();
    const first = ui.frame().split('\n')[0]!;
    expect(ui.frame()).not.toContain('NOTIFY');
    await act(async () => setNotifyHealth(ui.store, [{ name: 'slack#0', failing: true, dropped: 0 }, { name: 'teams#1', failing: true, dropped: 3 }]));
    await ui.flush();
    const [line1, line2] = ui.frame().split('\n');
    // The sources line carries it, first; the light's line is left as it was.
    expect(line2).toMatch(/^ NOTIFY FAILING: slack#0, teams#1 \(3 dropped\)  sources /);
    expect(line1).toBe(first);
    await act(async () => setNotifyHealth(ui.store, [{ name: 'slack#0', failing: false, dropped: 0 }, { name: 'teams#1', failing: false, dropped: 0 }]));
    await ui.flush();
    expect(ui.frame()).not.toContain('NOTIFY FAILING');
    ui.unmount();
  });
});
