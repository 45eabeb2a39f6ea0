import { describe, expect, it } from 'vitest';
import { effectText, judgeCompare, judgeTrend, judgmentJson, whollyBad, type JudgeSpec } from '../../src/judge/verdict.js';

const spec: JudgeSpec = { kind: 'compare', window: 1_800_000, step: 60_000, bad: 'increase', tolerance: 0.1, confidence: 0.95, minSamples: 10 };
// Deterministic "noise": a fixed spread around the level, so the verdicts are exact.
const around = (level: number, k = 30) => Array.from({ length: k }, (_, i) => level * (1 + ((i * 7) % 11 - 5) / 100));

describe('compare verdict', () => {
  it('FAIL when the interval is wholly above 0 and the effect beyond tolerance', () => {
    const r = judgeCompare(spec, around(130), around(100));
    expect(r.status).toBe('FAIL');
    expect(r.figures?.kind).toBe('compare');
    if (r.figures?.kind !== 'compare') return;
    expect(r.figures.effect).toBeCloseTo(0.3, 2);
    expect(r.figures.m).toBe(30);
    expect(r.figures.ci[0]).toBeGreaterThan(0);
    expect(r.figures.p).toBeLessThan(1e-6);
    expect(effectText(r.figures)).toMatch(/^\+30% \[\+\d+%, \+\d+%\]$/);
  });
  it('WARN when the shift is real but within tolerance', () => {
    expect(judgeCompare(spec, around(105), around(100)).status).toBe('WARN');
  });
  it('PASS when the interval covers 0, or the change is on the good side', () => {
    expect(judgeCompare(spec, around(100), around(100)).status).toBe('PASS');
    expect(judgeCompare(spec, around(70), around(100)).status).toBe('PASS');
    expect(judgeCompare({ ...spec, bad: 'decrease' }, around(70), around(100)).status).toBe('FAIL');
    expect(judgeCompare({ ...spec, bad: 'either' }, around(70), around(100)).status).toBe('FAIL');
  });
  it('UNKNOWN "not enough data" below min_samples, after dropping NaN/Inf (counted)', () => {
    const c = [...around(130, 9), NaN, Infinity, -Infinity];
    const r = judgeCompare(spec, c, around(100));
    expect(r.status).toBe('UNKNOWN');
    expect(r.reason).toContain('not enough data');
    expect(r.reason).toContain('3 NaN/Inf samples dropped');
    const ok = judgeCompare(spec, [...around(130, 10), NaN], around(100));
    expect(ok.status).toBe('FAIL');
    expect(ok.figures?.kind === 'compare' && ok.figures.dropped.canary).toBe(1);
  });
  it('judgment JSON carries the contract keys, with null for non-finite', () => {
    const r = judgeCompare(spec, around(130), around(100));
    const j = judgmentJson(r.figures!);
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['kind', 'm', 'n', 'shift', 'ci', 'effect', 'p']));
    const zero = judgeCompare(spec, around(1), Array(30).fill(0));
    expect(judgmentJson(zero.figures!).effect).toBeNull(); // baseline median 0: effect infinite
    expect(zero.status).toBe('FAIL');
  });
  it('whollyBad is strict: an interval touching 0 is not wholly bad', () => {
    expect(whollyBad([0, 1], 'increase')).toBe(false);
    expect(whollyBad([-1, 0], 'decrease')).toBe(false);
    expect(whollyBad([0.1, 1], 'decrease')).toBe(false);
  });
});

describe('trend verdict', () => {
  const tspec: JudgeSpec = { ...spec, kind: 'trend', window: 7_200_000, step: 300_000, bad: 'decrease', tolerance: 0.02 };
  const t0 = Date.UTC(2026, 11, 7, 10);
  const line = (perHour: number, k = 24) => Array.from({ length: k }, (_, i) => ({ t: t0 + i * 300_000, v: 100 + perHour * (i / 12) + ((i * 5) % 7 - 3) * 0.01 }));
  it('FAIL on a falling series beyond 2%/h, shown relative to the median', () => {
    const r = judgeTrend(tspec, line(-5));
    expect(r.status).toBe('FAIL');
    expect(r.figures?.kind === 'trend' && r.figures.slope).toBeCloseTo(-5, 1);
    expect(effectText(r.figures!)).toBe('-5.3%/h'); // -5/h relative to the median (~95.2)
  });
  it('WARN within tolerance, PASS when rising or flat', () => {
    expect(judgeTrend(tspec, line(-1)).status).toBe('WARN');
    expect(judgeTrend(tspec, line(3)).status).toBe('PASS');
    expect(judgeTrend(tspec, line(0)).status).toBe('PASS');
  });
  it('UNKNOWN with fewer than min_samples', () => {
    const r = judgeTrend(tspec, line(-5, 9));
    expect(r.status).toBe('UNKNOWN');
    expect(r.reason).toContain('not enough data: 9 samples');
  });
});
