import { describe, expect, it } from 'vitest';
import { decide } from '../../src/engine/decide.js';
import { evaluateAll } from '../../src/engine/evaluate.js';
import type { DecisionConfig } from '../../src/config/types.js';
import type { CriterionStatus, GateResult } from '../../src/core/types.js';
import { gate, reading } from '../helpers/gates.js';

const cfg = (over: Partial<DecisionConfig> = {}): DecisionConfig => ({ unknown: 'nogo', warnWhenFailedAtMost: 0, requireSignoffs: [], signoffMaxAge: 12 * 3600_000, ...over });
const res = (id: string, status: CriterionStatus): GateResult => ({ id, status, raw: status, value: null, threshold: '', reason: '' });

const gates = [gate({ id: 'a' }), gate({ id: 'b' }), gate({ id: 'adv', severity: 'advisory' })];
const all = (a: CriterionStatus, b: CriterionStatus, adv: CriterionStatus) => ({ a: res('a', a), b: res('b', b), adv: res('adv', adv) });

describe('decision rule', () => {
  it('GO only when every gate passes (waived counts as pass)', () => {
    expect(decide(gates, all('PASS', 'PASS', 'PASS'), cfg()).overall).toBe('GO');
    expect(decide(gates, all('WAIVED', 'PASS', 'PASS'), cfg()).overall).toBe('GO');
  });
  it('NO-GO on any critical FAIL, or critical UNKNOWN when fail-closed', () => {
    const d = decide(gates, all('FAIL', 'PASS', 'PASS'), cfg());
    expect(d.overall).toBe('NO-GO');
    expect(d.reasons[0]).toBe('critical FAIL: a');
    expect(decide(gates, all('UNKNOWN', 'PASS', 'PASS'), cfg()).overall).toBe('NO-GO');
    expect(decide(gates, all('UNKNOWN', 'PASS', 'PASS'), cfg({ unknown: 'warn' })).overall).toBe('WARN');
  });
  it('a gate with no result at all is UNKNOWN, never GO', () => {
    expect(decide(gates, { b: res('b', 'PASS'), adv: res('adv', 'PASS') }, cfg()).overall).toBe('NO-GO');
  });
  it('warn_when_failed_at_most turns a few critical FAILs into WARN', () => {
    expect(decide(gates, all('FAIL', 'PASS', 'PASS'), cfg({ warnWhenFailedAtMost: 1 })).overall).toBe('WARN');
    expect(decide(gates, all('FAIL', 'FAIL', 'PASS'), cfg({ warnWhenFailedAtMost: 1 })).overall).toBe('NO-GO');
  });
  it('WARN for gate warnings, advisory failures and missing sign-offs', () => {
    expect(decide(gates, all('WARN', 'PASS', 'PASS'), cfg()).overall).toBe('WARN');
    expect(decide(gates, all('PASS', 'PASS', 'FAIL'), cfg()).overall).toBe('WARN');
    expect(decide(gates, all('PASS', 'PASS', 'UNKNOWN'), cfg()).overall).toBe('WARN');
    const need = cfg({ requireSignoffs: ['release_captain', 'on_call'] });
    const d = decide(gates, all('PASS', 'PASS', 'PASS'), need, [{ role: 'on_call', actor: 'bob', at: 1 }]);
    expect(d).toMatchObject({ overall: 'WARN', missingSignoffs: ['release_captain'] });
    const both = [{ role: 'on_call', actor: 'bob', at: 1 }, { role: 'release_captain', actor: 'alice', at: 2 }];
    expect(decide(gates, all('PASS', 'PASS', 'PASS'), need, both).overall).toBe('GO');
  });
  it('no gates is not GO', () => {
    expect(decide([], {}, cfg()).overall).toBe('WARN');
  });
  it('evaluateAll wires readings to gates by probe id', () => {
    const T = 1_000_000;
    const out = evaluateAll(
      { gates: [gate({ id: 'e', go: '>= 0.9' }), gate({ id: 'q', go: '<= 2x', baselineMetric: 'b' })], decision: cfg() },
      { now: T, readings: { 'gate:e': reading(0.95, T), 'gate:q': reading(3, T), 'baseline:q': reading(1, T) }, signoffs: [], waivers: [] },
    );
    expect(out.results.e!.status).toBe('PASS');
    expect(out.results.q!.status).toBe('FAIL');
    expect(out.overall.overall).toBe('NO-GO');
  });
});
