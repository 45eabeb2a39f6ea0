/** severity: info — watch-only gates: evaluated and shown like any gate, never counted by the decision rule. */
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/engine/decide.js';
import { evaluateAll } from '../../src/engine/evaluate.js';
import { rawStatus } from '../../src/engine/gate.js';
import type { DecisionConfig } from '../../src/config/types.js';
import type { CriterionStatus, GateResult } from '../../src/core/types.js';
import { gate, reading } from '../helpers/gates.js';

const cfg = (over: Partial<DecisionConfig> = {}): DecisionConfig => ({ unknown: 'nogo', warnWhenFailedAtMost: 0, requireSignoffs: [], signoffMaxAge: 12 * 3600_000, ...over });
const res = (id: string, status: CriterionStatus): GateResult => ({ id, status, raw: status, value: null, threshold: '', reason: '' });

const gates = [gate({ id: 'a' }), gate({ id: 'cost', severity: 'info' })];

describe('info gates', () => {
  it.each(['FAIL', 'UNKNOWN', 'WARN'] as const)('an info gate at %s leaves the overall GO, with no reason naming it', (s) => {
    const d = decide(gates, { a: res('a', 'PASS'), cost: res('cost', s) }, cfg());
    expect(d.overall).toBe('GO');
    expect(d.reasons.join(' ')).not.toContain('cost');
  });

  it('the same failing gate as critical or advisory is counted (the exemption is the severity alone)', () => {
    const r = { a: res('a', 'PASS'), cost: res('cost', 'FAIL') };
    expect(decide([gates[0]!, gate({ id: 'cost' })], r, cfg()).overall).toBe('NO-GO');
    expect(decide([gates[0]!, gate({ id: 'cost', severity: 'advisory' })], r, cfg()).overall).toBe('WARN');
  });

  it('an info gate cannot make a NO-GO better: critical failures still decide', () => {
    expect(decide(gates, { a: res('a', 'FAIL'), cost: res('cost', 'PASS') }, cfg()).overall).toBe('NO-GO');
  });

  it('info gates alone never give GO: no counted gate is no evidence', () => {
    const d = decide([gate({ id: 'cost', severity: 'info' })], { cost: res('cost', 'PASS') }, cfg());
    expect(d.overall).toBe('WARN');
    expect(d.reasons).toContain('no gates counted (all are severity info)');
  });

  it('its light is still evaluated: the FAIL shows in the results', () => {
    const out = evaluateAll(
      { gates: [gate({ id: 'a', go: '>= 0' }), gate({ id: 'cost', severity: 'info', go: '<= 50' })], decision: cfg() },
      { now: 1000, readings: { 'gate:a': reading(1, 1000), 'gate:cost': reading(61.5, 1000) }, signoffs: [], waivers: [] },
    );
    expect(out.results.cost).toMatchObject({ status: 'FAIL', value: 61.5 });
    expect(out.overall.overall).toBe('GO');
  });

  it('without go an info gate only watches: PASS with a value, UNKNOWN without one or with NaN', () => {
    const g = gate({ id: 'cost', severity: 'info' });
    expect(rawStatus(g, { now: 10, reading: reading(0, 10) })).toMatchObject({ status: 'PASS', value: 0 });
    expect(rawStatus(g, { now: 10, reading: reading(Number.NaN, 10) }).status).toBe('UNKNOWN');
    expect(rawStatus(g, { now: 10, reading: reading(null, 10, { error: 'no series' }) }).status).toBe('UNKNOWN');
    // A critical gate without go keeps the truthiness rule: 0 is false.
    expect(rawStatus(gate({ id: 'x' }), { now: 10, reading: reading(0, 10) }).status).toBe('FAIL');
  });
});
