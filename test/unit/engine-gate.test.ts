import { describe, expect, it } from 'vitest';
import { evaluateGate, type GateMemory } from '../../src/engine/gate.js';
import { gate, reading } from '../helpers/gates.js';

const T0 = Date.parse('2026-11-23T14:00:00Z');

describe('gate evaluation', () => {
  const entropy = gate({ id: 'entropy', go: '>= 0.9', warn: '>= 0.8' });

  it('maps go / warn / neither to PASS / WARN / FAIL with reasons', () => {
    const at = (v: number) => evaluateGate(entropy, { now: T0, reading: reading(v, T0) }).result;
    expect(at(0.93)).toMatchObject({ status: 'PASS', value: 0.93, threshold: '>= 0.9 (warn >= 0.8)' });
    expect(at(0.85)).toMatchObject({ status: 'WARN' });
    expect(at(0.5)).toMatchObject({ status: 'FAIL' });
    expect(at(0.5).reason).toContain('0.5 fails >= 0.9');
  });

  it('never passes NaN, infinities, errors, missing or stale data', () => {
    for (const v of [NaN, Infinity, -Infinity]) {
      const r = evaluateGate(gate({ id: 'g', go: '!= 1' }), { now: T0, reading: reading(v, T0) }).result;
      expect(r.status).toBe('UNKNOWN');
    }
    expect(evaluateGate(entropy, { now: T0 }).result).toMatchObject({ status: 'UNKNOWN', reason: 'no data yet' });
    // A source that never answered says why, instead of a bare "no data yet".
    expect(evaluateGate(entropy, { now: T0, sourceError: 'connection refused' }).result)
      .toMatchObject({ status: 'UNKNOWN', reason: `source ${entropy.source} down: connection refused` });
    const err = evaluateGate(entropy, { now: T0, reading: reading(null, T0, { error: '3 series match x' }) }).result;
    expect(err).toMatchObject({ status: 'UNKNOWN', reason: '3 series match x' });
    const stale = evaluateGate(entropy, { now: T0 + 31_000, reading: reading(0.95, T0) }).result;
    expect(stale.status).toBe('UNKNOWN');
    expect(stale.reason).toMatch(/stale: last data 31s ago \(stale after 30s\)/);
    const fresh = evaluateGate(entropy, { now: T0 + 30_000, reading: reading(0.95, T0) }).result;
    expect(fresh.status).toBe('PASS');
  });

  it('compares against a fixed or read baseline for Nx thresholds', () => {
    const fixed = gate({ id: 'q', go: '<= 2x', warn: '<= 3x', baseline: 1.4 });
    expect(evaluateGate(fixed, { now: T0, reading: reading(2.8, T0) }).result).toMatchObject({ status: 'PASS', threshold: '<= 2x (2.8) (warn <= 3x (4.2))' });
    expect(evaluateGate(fixed, { now: T0, reading: reading(4, T0) }).result.status).toBe('WARN');
    expect(evaluateGate(fixed, { now: T0, reading: reading(4.5, T0) }).result.status).toBe('FAIL');
    const read = gate({ id: 'q', go: '<= 2x', baselineMetric: 'q_base' });
    expect(evaluateGate(read, { now: T0, reading: reading(3, T0) }).result).toMatchObject({ status: 'UNKNOWN', reason: 'no baseline reading yet' });
    expect(evaluateGate(read, { now: T0, reading: reading(3, T0), baseline: reading(2, T0) }).result.status).toBe('PASS');
    expect(evaluateGate(read, { now: T0, reading: reading(3, T0), baseline: reading(NaN, T0) }).result.status).toBe('UNKNOWN');
  });

  it('treats a command exit code as the verdict when there is no go', () => {
    const pre = gate({ id: 'preflight', source: 'preflight' });
    expect(evaluateGate(pre, { now: T0, reading: reading(0, T0, { exitCode: 0 }) }).result.status).toBe('PASS');
    const failed = evaluateGate(pre, { now: T0, reading: reading(null, T0, { exitCode: 2, error: 'exit 2: 3 diffs' }) }).result;
    expect(failed).toMatchObject({ status: 'FAIL', reason: 'exit 2: 3 diffs' });
  });

  it('reads feed values as booleans when there is no go', () => {
    const ks = gate({ id: 'ks', source: 'feed', key: 'killswitch.tested' });
    expect(evaluateGate(ks, { now: T0, reading: reading(true, T0) }).result.status).toBe('PASS');
    expect(evaluateGate(ks, { now: T0, reading: reading('false', T0) }).result.status).toBe('FAIL');
    expect(evaluateGate(ks, { now: T0, reading: reading('maybe', T0) }).result.status).toBe('UNKNOWN');
  });

  it('fails a files gate whose newest artifact is older than max_age', () => {
    const v = gate({ id: 'validation', source: 'validation', go: '== PASS', maxAge: 24 * 3_600_000, staleAfter: 180_000 });
    const young = reading('PASS', T0, { asOf: T0 - 3_600_000 });
    const old = reading('PASS', T0, { asOf: T0 - 30 * 3_600_000 });
    expect(evaluateGate(v, { now: T0, reading: young }).result.status).toBe('PASS');
    const r = evaluateGate(v, { now: T0, reading: old }).result;
    expect(r).toMatchObject({ status: 'FAIL', reason: 'newest is 30h old (max 24h)' });
    expect(evaluateGate(v, { now: T0, reading: reading('FAIL', T0, { asOf: T0 }) }).result.status).toBe('FAIL');
  });

  it('passes a manual gate only when signed by its role', () => {
    const ack = gate({ id: 'oncall_ack', source: 'manual', signoffRole: 'on_call' });
    expect(evaluateGate(ack, { now: T0, signoffs: [] }).result).toMatchObject({ status: 'FAIL', reason: 'not signed (needs on_call)' });
    const wrongRole = [{ role: 'tech_lead', actor: 'carol', at: T0, gate: 'oncall_ack' }];
    expect(evaluateGate(ack, { now: T0, signoffs: wrongRole }).result.status).toBe('FAIL');
    const ok = evaluateGate(ack, { now: T0, signoffs: [{ role: 'on_call', actor: 'bob', at: T0, gate: 'oncall_ack' }] }).result;
    expect(ok).toMatchObject({ status: 'PASS', signedBy: { actor: 'bob' } });
  });

  it('holds a worse status back for `for:` and shows improvements and UNKNOWN at once', () => {
    const g = gate({ id: 'entropy', go: '>= 0.9', warn: '>= 0.8', for: 60_000 });
    let mem: GateMemory | undefined;
    const step = (v: number | null, t: number) => {
      const out = evaluateGate(g, { now: t, reading: v === null ? undefined : reading(v, t), ...(mem ? { memory: mem } : {}) });
      mem = out.memory;
      return out.result;
    };
    expect(step(0.95, T0).status).toBe('PASS');
    const pending = step(0.5, T0 + 1_000);
    expect(pending).toMatchObject({ status: 'PASS', raw: 'FAIL', pendingSince: T0 + 1_000 });
    expect(pending.reason).toMatch(/^FAIL pending 0s of 1m/);
    expect(step(0.5, T0 + 60_000).status).toBe('PASS');
    expect(step(0.5, T0 + 61_000).status).toBe('FAIL');
    // recovery shows at once
    expect(step(0.95, T0 + 62_000).status).toBe('PASS');
    // a blip shorter than `for` never shows, and the timer restarts after recovery
    expect(step(0.5, T0 + 70_000).status).toBe('PASS');
    expect(step(0.95, T0 + 100_000).status).toBe('PASS');
    expect(step(0.5, T0 + 110_000).status).toBe('PASS');
    expect(step(0.5, T0 + 169_000).status).toBe('PASS');
    expect(step(0.5, T0 + 170_000).status).toBe('FAIL');
    // missing data is never held back
    expect(step(0.95, T0 + 171_000).status).toBe('PASS');
    expect(step(null, T0 + 172_000).status).toBe('UNKNOWN');
  });

  it('shows WAIVED until the waiver expires, then the real status', () => {
    const w = { gate: 'entropy', actor: 'alice', reason: 'known dip', at: T0, expires: T0 + 3_600_000 };
    const during = evaluateGate(entropy, { now: T0 + 1000, reading: reading(0.5, T0 + 1000), waivers: [w] }).result;
    expect(during).toMatchObject({ status: 'WAIVED', raw: 'FAIL', waiver: w });
    const after = evaluateGate(entropy, { now: T0 + 3_600_001, reading: reading(0.5, T0 + 3_600_001), waivers: [w] }).result;
    expect(after.status).toBe('FAIL');
  });
});
