/**
 * Keys arriving in one read and the small-terminal screen, through the real Console, Session
 * and Controller (ink-testing-library stdin: each write is one read).
 */
import { describe, expect, it } from 'vitest';
import { renderConsole } from '../helpers/ink.js';

describe('keys that arrive in one read', () => {
  it('KK opens the kill confirm once; a following y in the same read never confirms', async () => {
    const ui = await renderConsole();
    await ui.feed({ influence: 10 });
    await ui.press('KK');
    expect(ui.frame()).toMatch(/KILL-SWITCH: influence 10% → 0%/);
    await ui.press('n');
    await ui.press('Ky\r');
    expect(ui.store.getState().flow?.kind).toBe('kill');
    expect(ui.store.getState().actions).toEqual([]);
    ui.unmount();
  });

  it('jjj moves the selection three rows', async () => {
    const ui = await renderConsole();
    expect(ui.store.getState().ui.selected).toBe(0);
    await ui.press('jjj');
    expect(ui.store.getState().ui.selected).toBe(3);
    await ui.press('\u001b[A\u001b[Ak');
    expect(ui.store.getState().ui.selected).toBe(0);
    ui.unmount();
  });

  it('one read shares one arrival time: a slow first key does not let a later y past the guard', async () => {
    const ui = await renderConsole();
    // Each read of the wall clock moves it 100 ms, as if every key took that long to handle.
    let t = ui.wall.t;
    Object.defineProperty(ui.wall, 't', { get: () => (t += 100), set: (v: number) => void (t = v), configurable: true });
    await ui.press('Kyyyy');
    expect(ui.store.getState().flow?.kind).toBe('kill');
    expect(ui.store.getState().actions).toEqual([]);
    ui.unmount();
  });

  it('Ctrl+K in a text prompt keeps the draft; a bare K there is text', async () => {
    const ui = await renderConsole();
    await ui.press('i');
    await ui.press('K');
    expect(ui.store.getState().flow).toMatchObject({ kind: 'influence', draft: 'K' });
    await ui.press('\x0b\x0b');
    expect(ui.store.getState().flow).toMatchObject({ kind: 'kill', suspended: { kind: 'influence', draft: 'K' } });
    ui.unmount();
  });
});

describe('below 80x24', () => {
  it('says the terminal is too small, keeps the light and a kill confirm that fits, and restores on resize', async () => {
    const ui = await renderConsole({ columns: 60, rows: 20 });
    await ui.feed({ influence: 10 });
    let f = ui.frame();
    expect(f).toContain('terminal too small (60x20, needs 80x24)');
    expect(f).toMatch(/^ (GO|WARN|NO-GO) +influence 10%/m);
    expect(f).not.toContain('events (newest first)');
    await ui.press('K');
    f = ui.frame();
    expect(f).toContain('KILL-SWITCH 10% → 0%');
    expect(f).toContain('y or Enter confirms');
    for (const line of f.split('\n')) expect([...line].length).toBeLessThanOrEqual(60);
    expect(f.split('\n').length).toBeLessThanOrEqual(19);
    await ui.resize(100, 30);
    f = ui.frame();
    expect(f).not.toContain('terminal too small');
    expect(f).toMatch(/KILL-SWITCH: influence 10% → 0%/);
    ui.unmount();
  });

  it('a terminal 80 wide but 23 rows is too small too', async () => {
    const ui = await renderConsole({ columns: 80, rows: 23 });
    expect(ui.frame()).toContain('terminal too small (80x23, needs 80x24)');
    await ui.resize(80, 24);
    expect(ui.frame()).not.toContain('terminal too small');
    ui.unmount();
  });
});
