import { describe, expect, it } from 'vitest';
import type { CriterionStatus, GateResult } from '../../src/core/types.js';
import type { GatePoint, HistoryLine } from '../../src/history/format.js';
import { parseHistory } from '../../src/history/format.js';
import { HistorySampler } from '../../src/history/sampler.js';

const T0 = Date.parse('2026-12-07T10:00:00Z');
const gate = (status: CriterionStatus, value: number | null, threshold = '>= 0.9 (warn >= 0.8)'): GateResult => ({ id: 'entropy', status, raw: status, value, threshold, reason: '' });
const obs = (t: number, g: GateResult, influence?: number) => ({ now: T0 + t, gates: { entropy: g }, influence, overall: 'GO' as const });
const points = (ls: HistoryLine[]) => ls.filter((l): l is GatePoint => 'g' in l);

describe('history sampler: a point per gate on change, one per 10 s on average', () => {
  it('writes the first state, then a change at once when 10 s have passed, else holds the newest one', () => {
    const s = new HistorySampler();
    const first = s.observe(obs(0, gate('PASS', 0.95)), false);
    expect(points(first)).toEqual([{ t: T0, g: 'entropy', s: 'PASS', v: 0.95, th: '>= 0.9 (warn >= 0.8)' }]);
    expect(first).toContainEqual({ t: T0, o: 'GO' });
    expect(first).toContainEqual({ t: T0, i: null });
    // Unchanged: nothing. Changed after 3 s: held.
    expect(s.observe(obs(1000, gate('PASS', 0.95)))).toEqual([]);
    expect(s.observe(obs(3000, gate('PASS', 0.94)))).toEqual([]);
    expect(s.observe(obs(6000, gate('PASS', 0.93)))).toEqual([]);
    // The gap has passed: the newest state, once; no threshold repeated.
    expect(points(s.observe(obs(10_000, gate('PASS', 0.93))))).toEqual([{ t: T0 + 10_000, g: 'entropy', s: 'PASS', v: 0.93 }]);
    expect(s.observe(obs(11_000, gate('PASS', 0.93)))).toEqual([]);
    // 30 s later a change is written at once.
    expect(points(s.observe(obs(40_000, gate('WARN', 0.85))))).toEqual([{ t: T0 + 40_000, g: 'entropy', s: 'WARN', v: 0.85 }]);
  });

  it('a status change is written at once (its real time kept), while a small budget lasts', () => {
    const s = new HistorySampler();
    s.observe(obs(0, gate('UNKNOWN', null)));
    // Startup: data arrives a second later; the gate went GO then, not 10 s later.
    expect(points(s.observe(obs(1000, gate('PASS', 0.95))))).toEqual([{ t: T0 + 1000, g: 'entropy', s: 'PASS', v: 0.95 }]);
    expect(points(s.observe(obs(2000, gate('FAIL', 0.5))))).toEqual([{ t: T0 + 2000, g: 'entropy', s: 'FAIL', v: 0.5 }]);
    expect(points(s.observe(obs(2100, gate('PASS', 0.95))))).toHaveLength(1);
    expect(points(s.observe(obs(2200, gate('FAIL', 0.5))))).toHaveLength(1);
    // Budget spent (5 points in 2.2 s): the next change waits.
    expect(s.observe(obs(2300, gate('PASS', 0.95)))).toEqual([]);
  });

  it('a red shorter than the budget allows still leaves a point carrying it as the worst status', () => {
    const s = new HistorySampler();
    s.observe(obs(0, gate('PASS', 0.95)));
    [100, 120, 150, 170].forEach((t, i) => expect(points(s.observe(obs(t, i % 2 ? gate('PASS', 0.95) : gate('FAIL', 0.5))))).toHaveLength(1));
    expect(s.observe(obs(200, gate('PASS', 0.95)))).toEqual([]);
    // Budget spent: red again for a moment, then back to what was last written.
    expect(s.observe(obs(300, gate('FAIL', 0.4)))).toEqual([]);
    expect(s.observe(obs(400, gate('PASS', 0.95)))).toEqual([]);
    expect(s.observe(obs(5000, gate('PASS', 0.95)))).toEqual([]);
    expect(points(s.observe(obs(10_300, gate('PASS', 0.95))))).toEqual([{ t: T0 + 10_300, g: 'entropy', s: 'PASS', v: 0.95, w: 'FAIL' }]);
  });

  it('a gate flapping every second for an hour: at most one point per 10 s on average, the red never lost', () => {
    const s = new HistorySampler();
    const all: GatePoint[] = [];
    for (let sec = 0; sec < 3600; sec++) all.push(...points(s.observe(obs(sec * 1000, sec % 2 ? gate('FAIL', 0.5) : gate('PASS', 0.95)))));
    expect(all.length).toBeLessThanOrEqual(360 + 5);
    expect(all.length).toBeGreaterThan(300);
    // The red is never lost: about every other point says FAIL.
    expect(all.filter((p) => p.s === 'FAIL' || p.w === 'FAIL').length).toBeGreaterThan(all.length / 3);
    for (let i = 6; i < all.length; i++) expect(all[i]!.t - all[i - 1]!.t).toBeGreaterThanOrEqual(9000);
  });

  it('a threshold that moves (a baseline query) is written again; statusOnly drops value-only changes', () => {
    const s = new HistorySampler();
    s.observe(obs(0, gate('PASS', 1, '<= 2x (2.8)')));
    expect(points(s.observe(obs(20_000, gate('PASS', 1, '<= 2x (3)'))))[0]?.th).toBe('<= 2x (3)');
    expect(s.observe(obs(40_000, gate('PASS', 2, '<= 2x (3)')), true).filter((l) => 'g' in l)).toEqual([]);
    expect(points(s.observe(obs(60_000, gate('FAIL', 9, '<= 2x (3)')), true))).toHaveLength(1);
  });

  it('drain writes what is held at the end of the window', () => {
    const s = new HistorySampler();
    s.observe(obs(0, gate('PASS', 0.95), 10));
    s.observe(obs(2000, gate('PASS', 0.94), 10));
    const out = s.drain(T0 + 3000);
    expect(points(out)).toEqual([{ t: T0 + 3000, g: 'entropy', s: 'PASS', v: 0.94 }]);
    expect(s.drain(T0 + 4000)).toEqual([]);
  });

  it('values are compact: 4 significant digits, NaN as null; parse skips what is not a history line', () => {
    const s = new HistorySampler();
    const [p] = points(s.observe(obs(0, gate('FAIL', 0.123456789))));
    expect(p!.v).toBe(0.1235);
    const text = [JSON.stringify(p), '{"t":1,"g":"x","s":"BOGUS"}', 'not json', '{"t":2,"o":"GO"}', ''].join('\n');
    expect(parseHistory(text)).toEqual({ lines: [p, { t: 2, o: 'GO' }], skipped: 2 });
  });
});
