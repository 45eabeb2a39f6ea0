/**
 * Scored decisions (SPEC §9.5) against Keptn's documented quality-gate arithmetic.
 * Source: keptn/spec service_level_objective.md, "Scoring" and "Objectives"
 * (https://github.com/keptn/spec/blob/master/service_level_objective.md), and the Keptn v1
 * docs reference/files/slo (https://keptn.sh/docs/0.16.x/reference/files/slo/):
 *  - "An evaluation for pass counts for one point, an evaluation for warning half a point, and
 *    an evaluation for fail zero points. The default weight of an SLI is 1 … The maximum score
 *    is the sum of the weights of all SLIs."
 *  - "the maximum score is 92 and the evaluation result is 85 - the total_score is 92.39%".
 *  - total_score pass "90%", warning "75%", compared with ">=" by default.
 *  - key_sli: "the objective is not met if this SLI fails" (here: critical gates veto).
 */
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/engine/decide.js';
import { applyScore, scoreOf, scoreVerdict } from '../../src/engine/score.js';
import type { DecisionConfig } from '../../src/config/types.js';
import type { CriterionStatus, GateResult } from '../../src/core/types.js';
import { loadConfigText } from '../../src/config/load.js';
import { gate } from '../helpers/gates.js';

const KEPTN = { pass: 90, warning: 75 };
const cfg = (over: Partial<DecisionConfig> = {}): DecisionConfig => ({ unknown: 'nogo', warnWhenFailedAtMost: 0, requireSignoffs: [], signoffMaxAge: 12 * 3600_000, score: KEPTN, ...over });
const res = (id: string, status: CriterionStatus): GateResult => ({ id, status, raw: status, value: null, threshold: '', reason: '' });
const results = (m: Record<string, CriterionStatus>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, res(k, v)]));

describe('score arithmetic (Keptn total_score)', () => {
  it('pass 1, warning ½, fail 0 points, default weight 1, max = Σ weight', () => {
    const gates = [gate({ id: 'a' }), gate({ id: 'b' }), gate({ id: 'c' }), gate({ id: 'd' })];
    const s = scoreOf(gates, results({ a: 'PASS', b: 'PASS', c: 'WARN', d: 'FAIL' }), KEPTN);
    expect(s.earned).toBe(2.5);
    expect(s.possible).toBe(4);
    expect(s.value).toBe(62.5);
  });
  it("Keptn's example: evaluation result 85 of a maximum 92 is 92.39 % (a pass at 90 %)", () => {
    // 80 points passed, 10 weight at warning (5 points), 2 weight failed: 85 of 92.
    const gates = [gate({ id: 'passed', weight: 80, severity: 'advisory' }), gate({ id: 'warned', weight: 10, severity: 'advisory' }), gate({ id: 'failed', weight: 2, severity: 'advisory' })];
    const r = results({ passed: 'PASS', warned: 'WARN', failed: 'FAIL' });
    const s = scoreOf(gates, r, KEPTN);
    expect([s.earned, s.possible, s.value]).toEqual([85, 92, 92.39]);
    expect(scoreVerdict(s)).toBe('GO');
    // The §6 rule alone says WARN (an advisory FAIL); the score says GO.
    expect(decide(gates, r, cfg({ score: undefined })).overall).toBe('WARN');
    const d = decide(gates, r, cfg());
    expect(d.overall).toBe('GO');
    expect(d.score).toEqual({ value: 92.39, pass: 90, warning: 75 });
  });
  it('pass and warning are ">=" (Keptn default operator): 90 is GO, 75 is WARN, below is NO-GO', () => {
    expect(scoreVerdict({ value: 90, ...KEPTN })).toBe('GO');
    expect(scoreVerdict({ value: 89.99, ...KEPTN })).toBe('WARN');
    expect(scoreVerdict({ value: 75, ...KEPTN })).toBe('WARN');
    expect(scoreVerdict({ value: 74.99, ...KEPTN })).toBe('NO-GO');
  });
  it("Keptn's objective example: response_time_p95 with weight 2 counts twice", () => {
    const gates = [gate({ id: 'response_time_p95', weight: 2, severity: 'advisory' }), gate({ id: 'error_rate', severity: 'advisory' })];
    // p95 at warning (½ × 2 = 1), error_rate pass (1): 2 of 3.
    expect(scoreOf(gates, results({ response_time_p95: 'WARN', error_rate: 'PASS' }), KEPTN).value).toBe(66.67);
    // p95 pass (2), error_rate at warning (½): 2.5 of 3.
    expect(scoreOf(gates, results({ response_time_p95: 'PASS', error_rate: 'WARN' }), KEPTN).value).toBe(83.33);
  });
  it('UNKNOWN earns nothing (fail closed), WAIVED earns a pass, info and weight 0 count nothing', () => {
    const gates = [gate({ id: 'a' }), gate({ id: 'w' }), gate({ id: 'i', severity: 'info' }), gate({ id: 'z', weight: 0 })];
    const s = scoreOf(gates, results({ a: 'UNKNOWN', w: 'WAIVED', i: 'FAIL', z: 'FAIL' }), KEPTN);
    expect([s.earned, s.possible, s.value]).toEqual([1, 2, 50]);
  });
  it('nothing weighed: no score, never GO', () => {
    const s = scoreOf([gate({ id: 'z', weight: 0, severity: 'advisory' })], results({ z: 'PASS' }), KEPTN);
    expect(s.value).toBeNull();
    expect(decide([gate({ id: 'z', weight: 0, severity: 'advisory' })], results({ z: 'PASS' }), cfg()).overall).toBe('WARN');
  });
});

describe('score with the rule (critical gates veto, like key_sli)', () => {
  const gates = [gate({ id: 'key', weight: 1 }), ...Array.from({ length: 19 }, (_, i) => gate({ id: `g${i}`, severity: 'advisory' }))];
  const allPass = Object.fromEntries(gates.map((g) => [g.id, 'PASS' as CriterionStatus]));
  it('a failing critical gate is NO-GO even at a 95 % score', () => {
    const d = decide(gates, results({ ...allPass, key: 'FAIL' }), cfg());
    expect(d.score?.value).toBe(95);
    expect(d.overall).toBe('NO-GO');
    expect(d.reasons).toContain('critical gates veto the score');
  });
  it('critical UNKNOWN is NO-GO under unknown: nogo, and holds WARN under unknown: warn', () => {
    expect(decide(gates, results({ ...allPass, key: 'UNKNOWN' }), cfg()).overall).toBe('NO-GO');
    const d = decide(gates, results({ ...allPass, key: 'UNKNOWN' }), cfg({ unknown: 'warn' }));
    expect(d.overall).toBe('WARN');
    expect(d.reasons.join('; ')).toMatch(/held at WARN: no data: key/);
  });
  it('critical failures tolerated by warn_when_failed_at_most stay WARN at best', () => {
    const d = decide(gates, results({ ...allPass, key: 'FAIL' }), cfg({ warnWhenFailedAtMost: 1 }));
    expect(d.overall).toBe('WARN');
  });
  it('a missing required sign-off holds a GO score at WARN', () => {
    const d = decide(gates, results(allPass), cfg({ requireSignoffs: ['on_call'] }));
    expect(d.score?.value).toBe(100);
    expect(d.overall).toBe('WARN');
    expect(d.reasons.join('; ')).toMatch(/held at WARN: sign-off missing/);
  });
  it('a low score is NO-GO although the rule alone would say WARN', () => {
    const r = results({ ...allPass, g0: 'FAIL', g1: 'FAIL', g2: 'FAIL', g3: 'FAIL', g4: 'FAIL', g5: 'FAIL' });
    expect(decide(gates, r, cfg({ score: undefined })).overall).toBe('WARN');
    const d = decide(gates, r, cfg());
    expect(d.score?.value).toBe(70);
    expect(d.overall).toBe('NO-GO');
  });
  it('applyScore keeps the rule reasons and says the score', () => {
    const out = applyScore({ overall: 'GO', reasons: [], missingSignoffs: [] }, { value: 87.5, earned: 7, possible: 8, ...KEPTN });
    expect(out.overall).toBe('WARN');
    expect(out.reasons).toEqual(['score 87.5 % (pass ≥ 90, warning ≥ 75)']);
  });
});

describe('config: decision.score and gate weight', () => {
  const yaml = (decision: string, weight = '2') => `version: 1
deployment: { name: d }
sources: { ex: { type: scrape, url: http://127.0.0.1:1/metrics } }
gates:
  - { id: p95, source: ex, metric: p95, go: "< 0.2", weight: ${weight} }
decision:
${decision}
`;
  const load = (t: string) => loadConfigText(t, { file: '/tmp/w.yaml', env: {} });
  it('parses percentages and weights', () => {
    const r = load(yaml('  score: { pass: 90%, warning: "75 %" }'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.decision.score).toEqual({ pass: 90, warning: 75 });
    expect(r.config.gates[0]!.weight).toBe(2);
  });
  it('rejects bad percentages, warning above pass and negative weights, with paths and lines', () => {
    for (const [text, path, msg] of [
      [yaml('  score: { pass: 90, warning: 75% }'), 'decision.score.pass', /percentage .* like "90%"/],
      [yaml('  score: { pass: 120%, warning: 75% }'), 'decision.score.pass', /0% to 100%/],
      [yaml('  score: { pass: 70%, warning: 75% }'), 'decision.score.warning', /at most pass/],
      [yaml('  score: { pass: 90%, warning: 75%, fail: 10% }'), 'decision.score.fail', /unknown key/],
      [yaml('  score: { pass: 90%, warning: 75% }', '-1'), 'gates[0].weight', /0 or more/],
      [yaml('  score: { pass: 90%, warning: 75% }', 'heavy'), 'gates[0].weight', /number/],
    ] as const) {
      const r = load(text);
      expect(r.ok, text).toBe(false);
      if (r.ok) continue;
      const p = r.problems.find((x) => x.path === path);
      expect(p, `${path} in ${JSON.stringify(r.problems)}`).toBeDefined();
      expect(p!.message).toMatch(msg);
      expect(p!.line).toBeGreaterThan(0);
    }
  });
});
