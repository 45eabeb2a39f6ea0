/** The screen for a tired operator: hidden gates are counted and named, notices go away, `s` signs what waits. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/audit/ledger.js';
import { FakeClock } from '../../src/core/clock.js';
import { gridWindow, moreText } from '../../views/gridWindow.js';
import { NOTICE_MS, shownNotice } from '../../src/store/store.js';
import { testConfig } from '../helpers/config.js';
import { gate } from '../helpers/gates.js';
import { renderConsole } from '../helpers/ink.js';

describe('gridWindow', () => {
  const rows = ['h', 'a', 'b', 'h', 'c', 'd'];
  const status: Record<string, 'PASS' | 'FAIL' | 'UNKNOWN' | 'WARN'> = { a: 'PASS', b: 'WARN', c: 'UNKNOWN', d: 'FAIL' };
  const gateOf = (i: number) => (rows[i] === 'h' ? undefined : { title: `gate ${rows[i]}`, status: status[rows[i]!]! });

  it('everything fits: no summary line', () => {
    expect(gridWindow(rows.length, 6, 0, gateOf)).toEqual({ start: 0, end: 6 });
  });

  it('one row short: a line says +N more and names the hidden NO-GO gate', () => {
    const w = gridWindow(rows.length, 5, 1, gateOf);
    expect(w.end - w.start).toBe(4);
    expect(w.more).toEqual({ text: '+2 more below · 1 NO-GO: gate d · 1 ?', nogo: true });
  });

  it('a one-line body shows the selected row alone (no room for the summary)', () => {
    const w = gridWindow(rows.length, 1, 4, gateOf);
    expect(w).toEqual({ start: 4, end: 5 });
  });

  it('hidden above and below are both counted; the selection stays in view', () => {
    const w = gridWindow(rows.length, 3, 4, gateOf);
    expect(w.start).toBeLessThanOrEqual(4);
    expect(w.end).toBeGreaterThan(4);
    expect(w.more?.text).toMatch(/^\+\d more \(\d above, \d below\)/);
  });

  it('moreText lists NO-GO first with a count, then ? and WARN', () => {
    expect(moreText([{ title: 'A', status: 'WARN' }], [{ title: 'B', status: 'FAIL' }, { title: 'C', status: 'FAIL' }, { title: 'D', status: 'PASS' }])).toBe(
      '+4 more (1 above, 3 below) · 2 NO-GO: B, C · 1 WARN',
    );
  });
});

describe('the console at 80x24 with more gates than rows', () => {
  const gates = Array.from({ length: 14 }, (_, i) => gate({ id: `g${i}`, title: `Gate number ${i}`, group: i < 7 ? 'First' : 'Second', go: '>= 1', metric: `m${i}` }));

  it('keeps the frame at rows-1 lines and names the hidden failing gate on the last grid line', async () => {
    const ui = await renderConsole({ config: testConfig({}, gates), columns: 80, rows: 24 });
    const values = Object.fromEntries(gates.map((g) => [g.id, 1]));
    await ui.feed({ ...values, g13: 0 });
    const f = ui.frame();
    expect(f.split('\n').length).toBeLessThanOrEqual(23);
    expect(f).toMatch(/\+\d+ more below · 1 NO-GO: Gate number 13/);
    expect(f).not.toMatch(/NO-GO +Gate number 13/);
    ui.unmount();
  });
});

describe('notices', () => {
  it('shownNotice: shown for NOTICE_MS of console time, then gone', () => {
    const notice = { text: 'signed off as on_call', level: 'ok' as const, at: 1000 };
    expect(shownNotice({ notice, now: 1000 })).toBe(notice);
    expect(shownNotice({ notice, now: 1000 + NOTICE_MS - 1 })).toBe(notice);
    expect(shownNotice({ notice, now: 1000 + NOTICE_MS })).toBeUndefined();
    expect(NOTICE_MS).toBeLessThanOrEqual(15_000);
    // A notice that says a lasting state (quit waits for the kill's outcome) stays.
    expect(shownNotice({ notice: { ...notice, sticky: true }, now: 1000 + 60 * NOTICE_MS })).toBeDefined();
  });

  it('a sign-off notice leaves the screen ~10 s later by the console clock', async () => {
    const clock = new FakeClock();
    const dir = await mkdtemp(join(tmpdir(), 'warroom-notice-'));
    const ledger = await Ledger.open(dir, { clock, deployment: 'rl-policy-v42', environment: 'production' });
    const ui = await renderConsole({ clock, ledger, config: testConfig({ audit: { dir } }), columns: 100, rows: 30 });
    await ui.feed({ entropy: 0.95 });
    // The selected row is entropy; the only unsigned manual gate is On-call ACK: s signs it.
    await ui.press('s');
    expect(ui.frame()).toMatch(/SIGN OFF "On-call ACK" as on_call/);
    await ui.press('y');
    await ui.flush();
    expect(ui.frame()).toMatch(/^signed off as on_call$/m);
    await ui.advance(NOTICE_MS + 1000);
    expect(ui.frame()).not.toMatch(/^signed off as on_call$/m);
    expect(ui.frame()).toMatch(/signed off oncall_ack as on_call \(alice\)/); // the event log keeps it
    expect(ui.frame()).toMatch(/✓alice/);
    ui.unmount();
    await ledger.close();
    await rm(dir, { recursive: true, force: true });
  });
});

describe('help at 80x24', () => {
  it('counts and names the keys that do not fit instead of dropping them, and keeps q on screen', async () => {
    const ui = await renderConsole({ columns: 80, rows: 24 });
    await ui.press('?');
    const f = ui.frame();
    expect(f).toContain('Keys (any key closes)');
    expect(f.split('\n').length).toBeLessThanOrEqual(23);
    const shown = f.split('\n').filter((l) => /^\S/.test(l) && !l.startsWith('Keys'));
    expect(f).toMatch(/\+\d+ more \(a taller terminal shows them\): /);
    // What gives way is navigation, never how to quit or an act key.
    expect(f).toMatch(/^q\s+quit/m);
    expect(f).toMatch(/^K, Ctrl\+K\s+kill-switch/m);
    expect(shown.length).toBeGreaterThan(5);
    ui.unmount();
  });
});
