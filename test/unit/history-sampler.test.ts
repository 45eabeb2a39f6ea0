import { describe, expect, it } from 'vitest';
import type { CriterionStatus, GateResult } from '../../src/core/types.js';
import type { GatePoint, HistoryLine } from '../../src/history/format.js';
import { parseHistory } from '../../src/history/format.js';
import { HistorySampler } from '../../src/history/sampler.js';

const T0 = Date.parse('2026-12-07T10:00:00Z');
const gate = (status: CriterionStatus, value: number | null, threshold = '>= 0.9 (warn >= 0.8)'): GateResult => ({ id: 'entropy', status, raw: status, value, threshold, reason: '' });
const obs = (t: number, g: GateResult, influence?: number) => ({ now: T0 + t, gates: { entropy: g }, influence, overall: 'GO' as const });
const points = (ls: HistoryLine[]) => ls.filter((l): l is GatePoint => 'g' in l);

describe('history sampler: a point per gate on change, at most one per 10 s', () => {
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

  it('a flap to FAIL and back within 10 s still leaves a point carrying the worst status', () => {
    const s = new HistorySampler();
    s.observe(obs(0, gate('PASS', 0.95)));
    expect(s.observe(obs(2000, gate('FAIL', 0.5)))).toEqual([]);
    expect(s.observe(obs(4000, gate('PASS', 0.95)))).toEqual([]);
    expect(points(s.observe(obs(10_000, gate('PASS', 0.95))))).toEqual([{ t: T0 + 10_000, g: 'entropy', s: 'PASS', v: 0.95, w: 'FAIL' }]);
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
    s.observe(obs(2000, gate('FAIL', 0.5), 0));
    const out = s.drain(T0 + 3000);
    expect(points(out)).toEqual([{ t: T0 + 3000, g: 'entropy', s: 'FAIL', v: 0.5 }]);
    expect(out).toContainEqual({ t: T0 + 3000, i: 0 });
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
