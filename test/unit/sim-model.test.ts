import { describe, it, expect } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { SimModel, noise } from '../../src/sim/model.js';
import { parseInfluence, parseKillSwitch } from '../../src/sim/control.js';
import { SCENARIOS } from '../../src/sim/scenarios.js';

const S = 1000;

function model(scenario?: string, seed?: number) {
  const clock = new FakeClock();
  const m = new SimModel({ clock, ...(scenario ? { scenario } : {}), ...(seed !== undefined ? { seed } : {}) });
  return { clock, m };
}

describe('SimModel scenarios', () => {
  it('healthy: entropy 0.93±0.01, q spread ≈1.5, 0.2 % errors, p99 ≈180 ms, no alerts, influence 0', () => {
    const { clock, m } = model('healthy');
    for (let i = 0; i < 120; i++) {
      const s = m.snapshot();
      expect(Math.abs(s.entropyLive - 0.93)).toBeLessThanOrEqual(0.01);
      expect(Math.abs(s.qSpread - 1.5)).toBeLessThanOrEqual(0.05);
      expect(s.errorRatio).toBeGreaterThan(0.0015);
      expect(s.errorRatio).toBeLessThan(0.0025);
      expect(Math.abs(s.p99Seconds - 0.18)).toBeLessThanOrEqual(0.01);
      expect(s.alerts).toEqual([]);
      expect(s.pageAlertsFiring).toBe(0);
      expect(s.influencePct).toBe(0);
      clock.advance(S);
    }
  });

  it('noise is deterministic per seed and actually varies', () => {
    const a = model('healthy', 7);
    const b = model('healthy', 7);
    const seen = new Set<number>();
    for (let i = 0; i < 20; i++) {
      expect(a.m.snapshot().entropyLive).toBe(b.m.snapshot().entropyLive);
      seen.add(a.m.snapshot().entropyLive);
      a.clock.advance(S);
      b.clock.advance(S);
    }
    expect(seen.size).toBeGreaterThan(5);
    expect(noise(1, 1, 5)).not.toBe(noise(2, 1, 5));
    // same second -> same value, whatever the call order
    expect(noise(3, 2, 9)).toBe(noise(3, 2, 9));
  });

  it('entropy-collapse: healthy for 20 s, then linear fall to 0.55 over 40 s; q spread to 4.5', () => {
    const { clock, m } = model('entropy-collapse');
    clock.advance(19 * S);
    expect(m.snapshot().entropyLive).toBeGreaterThanOrEqual(0.92);
    expect(m.snapshot().qSpread).toBeLessThan(1.6);
    clock.advance(21 * S); // 40 s: half way
    expect(Math.abs(m.snapshot().entropyLive - 0.74)).toBeLessThanOrEqual(0.011);
    expect(Math.abs(m.snapshot().qSpread - 3.0)).toBeLessThanOrEqual(0.051);
    clock.advance(20 * S); // 60 s
    expect(Math.abs(m.snapshot().entropyLive - 0.55)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(m.snapshot().qSpread - 4.5)).toBeLessThanOrEqual(0.05);
    clock.advance(600 * S);
    expect(m.snapshot().entropyLive).toBeLessThan(0.57);
    // the shadow policy is unaffected
    expect(m.snapshot().entropyShadow).toBeGreaterThan(0.93);
  });

  it('page-alert: after 10 s alert a-17 fires, gauge = 1, errors 6 %', () => {
    const { clock, m } = model('page-alert');
    clock.advance(9 * S);
    expect(m.snapshot().pageAlertsFiring).toBe(0);
    expect(m.snapshot().errorRatio).toBeLessThan(0.01);
    expect(m.alertTransitions()).toEqual([m.startedAt + 10 * S]);
    clock.advance(2 * S);
    const s = m.snapshot();
    expect(s.pageAlertsFiring).toBe(1);
    expect(s.alerts).toEqual([{ id: 'a-17', severity: 'page', summary: 'checkout error budget burn' }]);
    expect(s.errorRatio).toBeGreaterThan(0.055);
    expect(s.errorRatio).toBeLessThan(0.065);
    // error counter grows at ~6 % of requests from then on
    const before = m.snapshot();
    clock.advance(100 * S);
    const after = m.snapshot();
    const dErr = after.requestsError - before.requestsError;
    const dAll = dErr + after.requestsOk - before.requestsOk;
    expect(dErr / dAll).toBeCloseTo(0.06, 2);
  });

  it('switching scenario restarts its timeline; leaving page-alert resolves the alert', () => {
    const { clock, m } = model('healthy');
    clock.advance(100 * S);
    m.setScenario('page-alert');
    clock.advance(5 * S);
    expect(m.snapshot().pageAlertsFiring).toBe(0);
    clock.advance(6 * S);
    expect(m.snapshot().pageAlertsFiring).toBe(1);
    m.setScenario('healthy');
    expect(m.snapshot().pageAlertsFiring).toBe(0);
    expect(m.scenario()).toBe('healthy');
  });

  it('unknown scenario is an error naming every valid one', () => {
    expect(() => model('nope')).toThrow(/unknown scenario "nope".*healthy, entropy-collapse, page-alert, feed-flap, slow-control, canary-healthy, canary-regression/);
    const { m } = model();
    expect(() => m.setScenario('bogus')).toThrow(/valid scenarios/);
    expect(SCENARIOS).toHaveLength(7);
  });

  it('counters and histogram are monotonic and consistent', () => {
    const { clock, m } = model('healthy');
    let prev = m.snapshot();
    for (let i = 0; i < 60; i++) {
      clock.advance(2500);
      if (i === 20) m.setScenario('page-alert');
      if (i === 40) m.setScenario('healthy');
      const s = m.snapshot();
      expect(s.requestsOk).toBeGreaterThanOrEqual(prev.requestsOk);
      expect(s.requestsError).toBeGreaterThanOrEqual(prev.requestsError);
      expect(s.latency.count).toBeGreaterThanOrEqual(prev.latency.count);
      expect(s.latency.sum).toBeGreaterThanOrEqual(prev.latency.sum);
      expect(s.costUsd).toBeGreaterThanOrEqual(prev.costUsd);
      for (let b = 1; b < s.latency.buckets.length; b++) {
        expect(s.latency.buckets[b]![1]).toBeGreaterThanOrEqual(s.latency.buckets[b - 1]![1]);
      }
      expect(s.latency.buckets.at(-1)).toEqual([Infinity, s.latency.count]);
      expect(s.requestsOk + s.requestsError).toBe(s.latency.count);
      prev = s;
    }
    expect(prev.latency.count).toBe(40 * 150);
  });
});

describe('SimModel control actions', () => {
  it('kill-switch: answers at once (healthy) and influence drops to 0 about 0.5 s later', () => {
    const { clock, m } = model('healthy');
    const set = m.control({ kind: 'set', pct: 25 });
    expect(set.status).toBe(202);
    expect(set.respondAt).toBe(clock.now());
    clock.advance(999);
    expect(m.influenceAt()).toBe(0);
    clock.advance(1);
    expect(m.influenceAt()).toBe(25);
    const kill = m.control({ kind: 'kill', enabled: true, actor: 'bob', reason: 'entropy', idempotencyKey: 'k1' });
    expect(kill.body).toEqual({ ok: true, influence_pct: 0, idempotency_key: 'k1' });
    expect(kill.change.effectiveAt - kill.respondAt).toBe(500);
    clock.advance(499);
    expect(m.snapshot().influencePct).toBe(25);
    expect(m.snapshot().killswitchEngaged).toBe(false);
    clock.advance(1);
    expect(m.snapshot().influencePct).toBe(0);
    expect(m.snapshot().killswitchEngaged).toBe(true);
    // raising influence again releases the kill-switch
    m.control({ kind: 'set', pct: 10 });
    clock.advance(1000);
    expect(m.snapshot()).toMatchObject({ influencePct: 10, killswitchEngaged: false });
  });

  it('slow-control: answers after 4 s and influence takes 15 s more to move', () => {
    const { clock, m } = model('slow-control');
    const t0 = clock.now();
    const o = m.control({ kind: 'set', pct: 50 });
    expect(o.respondAt - t0).toBe(4000);
    expect(o.change.effectiveAt - t0).toBe(19_000);
    clock.advance(18_999);
    expect(m.influenceAt()).toBe(0);
    clock.advance(1);
    expect(m.influenceAt()).toBe(50);
    const k = m.control({ kind: 'kill', enabled: true });
    expect(k.respondAt - clock.now()).toBe(4000);
    clock.advance(19_000);
    expect(m.influenceAt()).toBe(0);
  });

  it('a repeated idempotency key returns the first response and does not apply twice', () => {
    const { clock, m } = model('healthy');
    const first = m.control({ kind: 'set', pct: 20, idempotencyKey: 'abc' });
    clock.advance(5000);
    expect(m.influenceAt()).toBe(20);
    m.control({ kind: 'set', pct: 5, idempotencyKey: 'other' });
    clock.advance(5000);
    expect(m.influenceAt()).toBe(5);
    const again = m.control({ kind: 'set', pct: 20, idempotencyKey: 'abc' });
    expect(again.applied).toBe(false);
    expect(again.body).toEqual(first.body);
    expect(again.status).toBe(first.status);
    clock.advance(5000);
    expect(m.influenceAt()).toBe(5); // not re-applied
    // without a key each request applies and gets its own generated key
    const a = m.control({ kind: 'kill', enabled: true });
    const b = m.control({ kind: 'kill', enabled: true });
    expect(a.applied && b.applied).toBe(true);
    expect(a.idempotencyKey).not.toBe(b.idempotencyKey);
  });

  it('cost grows faster with influence', () => {
    const { clock, m } = model('healthy');
    const c0 = m.snapshot().costUsd;
    clock.advance(60 * S);
    const low = m.snapshot().costUsd - c0;
    m.control({ kind: 'set', pct: 100 });
    clock.advance(1000);
    const c1 = m.snapshot().costUsd;
    clock.advance(60 * S);
    const high = m.snapshot().costUsd - c1;
    expect(high).toBeGreaterThan(low * 2);
  });
});

describe('control body validation', () => {
  it('pct must be an integer 0..100', () => {
    expect(parseInfluence({ pct: 25 })).toEqual({ ok: true, value: { kind: 'set', pct: 25 } });
    for (const bad of [{ pct: 101 }, { pct: -1 }, { pct: 2.5 }, { pct: '25' }, {}, [], null, 'x']) {
      const r = parseInfluence(bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/pct|JSON object/);
    }
    const r = parseInfluence({ pct: '25' });
    expect(!r.ok && r.message).toContain('"25" (a string)');
  });

  it('kill-switch body: enabled boolean (default true), actor/reason strings', () => {
    expect(parseKillSwitch({ enabled: true, reason: 'r', actor: 'bob' }, 'k')).toEqual({
      ok: true,
      value: { kind: 'kill', enabled: true, actor: 'bob', reason: 'r', idempotencyKey: 'k' },
    });
    expect(parseKillSwitch({})).toEqual({ ok: true, value: { kind: 'kill', enabled: true } });
    expect(parseKillSwitch({ enabled: 'yes' }).ok).toBe(false);
    expect(parseKillSwitch({ actor: 5 }).ok).toBe(false);
    expect(parseKillSwitch(42).ok).toBe(false);
  });
});
