import { describe, expect, it } from 'vitest';
import { evaluateAll } from '../../src/engine/evaluate.js';
import { evaluateGate, type GateMemory } from '../../src/engine/gate.js';
import { toCriteria } from '../../src/engine/criteria.js';
import type { JudgeConfig } from '../../src/config/types.js';
import type { Reading } from '../../src/core/types.js';
import { gate, reading } from '../helpers/gates.js';
import { explainCriterion } from '../../src/notify/events.js';
import { buildDecisionRecord } from '../../src/audit/decisionFile.js';

const T0 = Date.parse('2026-12-07T12:00:00Z');
const MIN = 60_000;
const judge: JudgeConfig = { kind: 'compare', canary: 'c', baseline: 'b', window: 30 * MIN, step: MIN, bad: 'increase', tolerance: 0.1, confidence: 0.95, minSamples: 10 };
const judged = gate({ id: 'p99', source: 'prom', judge, forEvaluations: 3 });
const wobble = (i: number) => 1 + (((i * 7) % 11) - 5) / 100;
/** A range query's answer: 31 points of [now − 30m, now] at 1m. */
function window(now: number, level: number): Reading {
  const series = Array.from({ length: 31 }, (_, i) => ({ t: now - (30 - i) * MIN, v: level * wobble(i) }));
  return { value: series[30]!.v, observedAt: now, series };
}

describe('a judged compare gate in the engine', () => {
  it('FAIL from a range window, with the figures on the result', () => {
    const r = evaluateGate(judged, { now: T0, reading: window(T0, 0.13), baseline: window(T0, 0.1) }).result;
    expect(r.status).toBe('FAIL');
    expect(r.judgment).toMatchObject({ kind: 'compare', m: 31, n: 31 });
    expect(r.value).toBeCloseTo(0.3, 2);
    expect(r.threshold).toBe('increase > 10% @95%');
    expect(r.series?.a).toHaveLength(31);
    expect(r.reason).toMatch(/^canary \+30% \[\+\d+%, \+\d+%\] vs baseline: beyond tolerance$/);
  });

  it('holds a worse verdict for 3 evaluations with new data (for: default), not for redraws of the same data', () => {
    let mem: GateMemory | undefined;
    const look = (now: number, level: number) => {
      const out = evaluateGate(judged, { now, reading: window(now, level), baseline: window(now, 0.1), ...(mem ? { memory: mem } : {}) });
      mem = out.memory;
      return out.result;
    };
    expect(look(T0, 0.1).status).toBe('PASS');
    const first = look(T0 + MIN, 0.13);
    expect(first.status).toBe('PASS');
    expect(first.raw).toBe('FAIL');
    expect(first.reason).toMatch(/^FAIL pending 1 of 3 evaluations/);
    expect(look(T0 + MIN, 0.13).reason).toMatch(/pending 1 of 3/); // same observation again
    expect(look(T0 + 2 * MIN, 0.13).status).toBe('PASS');
    expect(look(T0 + 3 * MIN, 0.13).status).toBe('FAIL');
  });

  it('a query with several series is UNKNOWN with its reason; a source down says so', () => {
    const bad = reading(null, T0, { error: 'canary: returns 3 series; compare needs one per side — aggregate it' });
    const r = evaluateGate(judged, { now: T0, reading: bad, baseline: window(T0, 0.1) }).result;
    expect(r).toMatchObject({ status: 'UNKNOWN', reason: 'canary: returns 3 series; compare needs one per side — aggregate it' });
    expect(evaluateGate(judged, { now: T0, sourceError: 'connection refused' }).result.reason).toBe('source prom down: connection refused');
  });

  it('on a source without range queries, judges the samples seen in the window (one look: not enough data)', () => {
    const seen = gate({ id: 'lat', source: 'exporter', judge: { ...judge, step: 5000 }, forEvaluations: 3 });
    let mem: GateMemory | undefined;
    let r = evaluateGate(seen, { now: T0, reading: reading(0.13, T0), baseline: reading(0.1, T0) });
    expect(r.result.status).toBe('UNKNOWN');
    expect(r.result.reason).toContain('not enough data: canary 1, baseline 1 samples (needs 10 each)');
    mem = r.memory;
    for (let i = 1; i < 12; i++) {
      const now = T0 + i * 5000;
      r = evaluateGate(seen, { now, reading: reading(0.13 * wobble(i), now), baseline: reading(0.1 * wobble(i + 3), now), memory: mem });
      mem = r.memory;
    }
    expect(mem.samples?.a).toHaveLength(12);
    expect(r.result.status).toBe('FAIL'); // UNKNOWN -> FAIL shows at once (hiding it would not fail closed)
    // Samples older than the window are forgotten.
    const later = T0 + 31 * MIN;
    r = evaluateGate(seen, { now: later, reading: reading(0.1, later), baseline: reading(0.1, later), memory: mem });
    expect(r.memory.samples?.a).toHaveLength(1);
  });

  it('check JSON carries judgment; a waiver and the decision rule apply as to any gate', () => {
    const cfg = { gates: [judged], decision: { unknown: 'nogo' as const, warnWhenFailedAtMost: 0, requireSignoffs: [], signoffMaxAge: 1e9 } };
    const out = evaluateAll(cfg, { now: T0, readings: { 'gate:p99': window(T0, 0.13), 'baseline:p99': window(T0, 0.1) }, signoffs: [], waivers: [] });
    expect(out.overall.overall).toBe('NO-GO');
    const [c] = toCriteria([judged], out.results);
    expect(c!.judgment).toMatchObject({ kind: 'compare', m: 31, n: 31 });
    expect(Object.keys(c!.judgment!)).toEqual(expect.arrayContaining(['shift', 'ci', 'effect', 'p']));
    expect(c!.value_text).toMatch(/^\+30% \[\+\d+%, \+\d+%\] vs baseline$/);
    expect(explainCriterion(c!)).toMatch(/^p99 = \+30% \[.*\] vs baseline fails increase > 10% @95% \(critical\)$/);
    const { observed_at: _o, ...rest } = c!;
    const rec = buildDecisionRecord({ at: T0, deployment: 'd', environment: 'e', decision: 'HOLD', decidedBy: 'alice', justification: 'j', overall: 'NO-GO', signoffs: [], waivers: [], criteria: [{ ...rest, observedAt: T0 }] }, 'sha256:0');
    expect(rec.criteria[0]).toMatchObject({ value_text: c!.value_text, judgment: { kind: 'compare', m: 31 } });
    const waived = evaluateAll(cfg, { now: T0, readings: { 'gate:p99': window(T0, 0.13), 'baseline:p99': window(T0, 0.1) }, signoffs: [], waivers: [{ gate: 'p99', actor: 'alice', reason: 'known', at: T0 - 1, expires: T0 + MIN }] });
    expect(waived.results.p99!.status).toBe('WAIVED');
    expect(waived.overall.overall).toBe('GO');
  });
});
