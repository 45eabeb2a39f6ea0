import { describe, it, expect } from 'vitest';
import type { CriterionStatus, GateResult } from '../../src/core/types.js';
import { bannerOf, cancelArmed, soonestArmed, stepTriggers, type TriggerState } from '../../src/ramp/triggers.js';

const T0 = 1_000_000;
const S = 1000;
const gates = [
  { id: 'entropy', rollback: 'auto' as const },
  { id: 'q_spread', rollback: 'prompt' as const },
  { id: 'latency' }, // no rollback: never a trigger
];

function res(id: string, status: CriterionStatus, value: number | null = 0.5): GateResult {
  return { id, status, raw: status, value, threshold: '>= 0.9', reason: 'test' };
}
function results(map: Record<string, CriterionStatus>): Record<string, GateResult> {
  return Object.fromEntries(Object.entries(map).map(([id, st]) => [id, res(id, st)]));
}
const allPass = results({ entropy: 'PASS', q_spread: 'PASS', latency: 'PASS' });

type States = Record<string, TriggerState>;
function step(prev: States, map: Record<string, CriterionStatus>, now: number, influencePct: number | undefined = 10) {
  return stepTriggers(prev, { gates, results: { ...allPass, ...results(map) }, influencePct, now });
}

describe('rollback triggers', () => {
  it('all passing: idle, no effects; gates without rollback are not tracked', () => {
    const r = step({}, {}, T0);
    expect(r.effects).toEqual([]);
    expect(Object.keys(r.states).sort()).toEqual(['entropy', 'q_spread']);
    expect(bannerOf(r.states)).toEqual([]);
    const r2 = step(r.states, { latency: 'FAIL' }, T0 + S);
    expect(r2.effects).toEqual([]);
  });

  it('auto: FAIL arms a 30 s countdown, fires at 30 s if still FAIL, once', () => {
    let r = step({}, { entropy: 'FAIL' }, T0);
    expect(r.effects).toEqual([{ type: 'arm', gate: 'entropy', mode: 'auto', value: 0.5, threshold: '>= 0.9', at: T0 }]);
    expect(r.states.entropy).toMatchObject({ phase: 'armed', firesAt: T0 + 30 * S, since: T0 });
    r = step(r.states, { entropy: 'FAIL' }, T0 + 29_999);
    expect(r.effects).toEqual([]);
    expect(soonestArmed(r.states)?.firesAt! - (T0 + 29_999)).toBe(1);
    r = step(r.states, { entropy: 'FAIL' }, T0 + 30 * S);
    expect(r.effects.map((e) => e.type)).toEqual(['fire']);
    expect(r.states.entropy!.phase).toBe('fired');
    // Still FAIL and influence still > 0 (verify pending): does not fire or re-arm again.
    r = step(r.states, { entropy: 'FAIL' }, T0 + 40 * S);
    expect(r.effects).toEqual([]);
    expect(bannerOf(r.states).map((s) => s.phase)).toEqual(['fired']);
  });

  it('auto: recovery before the deadline clears the arm; nothing fires', () => {
    let r = step({}, { entropy: 'FAIL' }, T0);
    r = step(r.states, { entropy: 'WARN' }, T0 + 10 * S);
    expect(r.effects.map((e) => e.type)).toEqual(['clear']);
    expect(r.states.entropy!.phase).toBe('idle');
    r = step(r.states, {}, T0 + 60 * S);
    expect(r.effects).toEqual([]);
  });

  it('auto: custom delay honoured', () => {
    const r = stepTriggers({}, { gates, results: { ...allPass, ...results({ entropy: 'FAIL' }) }, influencePct: 5, now: T0, autoDelayMs: 5 * S });
    expect(r.states.entropy!.firesAt).toBe(T0 + 5 * S);
  });

  it('cancel: nothing fires, no re-arm while still FAIL; re-arms after recovery and a new FAIL', () => {
    let r = step({}, { entropy: 'FAIL' }, T0);
    const c = cancelArmed(r.states, undefined, T0 + 5 * S);
    expect(c.effects).toEqual([{ type: 'cancel', gate: 'entropy', mode: 'auto', value: 0.5, threshold: '>= 0.9', at: T0 + 5 * S }]);
    expect(c.states.entropy!.phase).toBe('cancelled');
    expect(bannerOf(c.states).map((s) => s.phase)).toEqual(['cancelled']);
    r = step(c.states, { entropy: 'FAIL' }, T0 + 31 * S);
    expect(r.effects).toEqual([]);
    r = step(r.states, { entropy: 'FAIL' }, T0 + 120 * S);
    expect(r.effects).toEqual([]);
    expect(r.states.entropy!.phase).toBe('cancelled');
    // UNKNOWN is not a recovery.
    r = step(r.states, { entropy: 'UNKNOWN' }, T0 + 130 * S);
    r = step(r.states, { entropy: 'FAIL' }, T0 + 140 * S);
    expect(r.effects).toEqual([]);
    r = step(r.states, { entropy: 'PASS' }, T0 + 150 * S);
    expect(r.effects.map((e) => e.type)).toEqual(['clear']);
    expect(bannerOf(r.states)).toEqual([]);
    r = step(r.states, { entropy: 'FAIL' }, T0 + 160 * S);
    expect(r.effects.map((e) => e.type)).toEqual(['arm']);
    expect(r.states.entropy!.firesAt).toBe(T0 + 190 * S);
  });

  it('cancelArmed with nothing armed, or a named gate that is not armed: no change', () => {
    const r = step({}, { q_spread: 'FAIL' }, T0);
    expect(cancelArmed(r.states, undefined, T0).effects).toEqual([]);
    expect(cancelArmed(r.states, 'q_spread', T0).states).toBe(r.states);
    expect(cancelArmed({}, 'nope', T0).effects).toEqual([]);
  });

  it('cancelArmed without a gate picks the soonest to fire', () => {
    const two = [
      { id: 'a', rollback: 'auto' as const },
      { id: 'b', rollback: 'auto' as const },
    ];
    let r = stepTriggers({}, { gates: two, results: results({ a: 'PASS', b: 'FAIL' }), influencePct: 10, now: T0 });
    r = stepTriggers(r.states, { gates: two, results: results({ a: 'FAIL', b: 'FAIL' }), influencePct: 10, now: T0 + 10 * S });
    expect(bannerOf(r.states).map((s) => s.gate)).toEqual(['b', 'a']);
    const c = cancelArmed(r.states, undefined, T0 + 11 * S);
    expect(c.effects.map((e) => e.gate)).toEqual(['b']);
    expect(c.states.a!.phase).toBe('armed');
    const c2 = cancelArmed(r.states, 'a', T0 + 11 * S);
    expect(c2.states.a!.phase).toBe('cancelled');
    expect(c2.states.b!.phase).toBe('armed');
  });

  it('prompt: FAIL raises a banner and waits (never fires by itself)', () => {
    let r = step({}, { q_spread: 'FAIL' }, T0);
    expect(r.effects).toEqual([{ type: 'raise', gate: 'q_spread', mode: 'prompt', value: 0.5, threshold: '>= 0.9', at: T0 }]);
    r = step(r.states, { q_spread: 'FAIL' }, T0 + 10 * 60 * S);
    expect(r.effects).toEqual([]);
    expect(r.states.q_spread).toMatchObject({ phase: 'raised', since: T0 });
    expect(cancelArmed(r.states, undefined, T0).effects).toEqual([]); // `a` does not dismiss a prompt
    // K pressed by the console → influence observed at 0 → cleared.
    r = step(r.states, { q_spread: 'FAIL' }, T0 + 11 * 60 * S, 0);
    expect(r.effects.map((e) => e.type)).toEqual(['clear']);
    expect(bannerOf(r.states)).toEqual([]);
  });

  it('influence 0: no triggers at all; reaching 0 clears armed ones before they fire', () => {
    let r = step({}, { entropy: 'FAIL', q_spread: 'FAIL' }, T0, 0);
    expect(r.effects).toEqual([]);
    expect(bannerOf(r.states)).toEqual([]);
    r = step({}, { entropy: 'FAIL' }, T0, 10);
    r = step(r.states, { entropy: 'FAIL' }, T0 + 10 * S, 0);
    expect(r.effects.map((e) => e.type)).toEqual(['clear']);
    r = step(r.states, { entropy: 'FAIL' }, T0 + 40 * S, 0);
    expect(r.effects).toEqual([]);
  });

  it('unknown influence counts as > 0 (fail safe)', () => {
    let r = step({}, { entropy: 'FAIL' }, T0, undefined);
    expect(r.effects.map((e) => e.type)).toEqual(['arm']);
    r = step(r.states, { entropy: 'FAIL' }, T0 + 30 * S, undefined);
    expect(r.effects.map((e) => e.type)).toEqual(['fire']);
    expect(step({}, { entropy: 'FAIL' }, T0, Number.NaN).effects.map((e) => e.type)).toEqual(['arm']);
  });

  it('UNKNOWN and WAIVED do not trigger; a missing result does not either', () => {
    expect(step({}, { entropy: 'UNKNOWN', q_spread: 'UNKNOWN' }, T0).effects).toEqual([]);
    expect(step({}, { entropy: 'WAIVED', q_spread: 'WAIVED' }, T0).effects).toEqual([]);
    const r = stepTriggers({}, { gates, results: {}, influencePct: 10, now: T0 });
    expect(r.effects).toEqual([]);
  });

  it('armed gate going UNKNOWN is held: no fire on missing data, fires when FAIL is seen again', () => {
    let r = step({}, { entropy: 'FAIL' }, T0);
    r = step(r.states, { entropy: 'UNKNOWN' }, T0 + 31 * S);
    expect(r.effects).toEqual([]);
    expect(r.states.entropy!.phase).toBe('armed');
    r = step(r.states, { entropy: 'FAIL' }, T0 + 35 * S);
    expect(r.effects.map((e) => e.type)).toEqual(['fire']);
  });

  it('a waiver while armed clears it', () => {
    let r = step({}, { entropy: 'FAIL' }, T0);
    r = step(r.states, { entropy: 'WAIVED' }, T0 + 5 * S);
    expect(r.effects.map((e) => e.type)).toEqual(['clear']);
    r = step(r.states, { entropy: 'WAIVED' }, T0 + 40 * S);
    expect(r.effects).toEqual([]);
  });

  it('fired: once influence is 0 it resets, so a new ramp while still FAIL triggers again', () => {
    let r = step({}, { entropy: 'FAIL' }, T0);
    r = step(r.states, { entropy: 'FAIL' }, T0 + 30 * S);
    expect(r.states.entropy!.phase).toBe('fired');
    r = step(r.states, { entropy: 'FAIL' }, T0 + 40 * S, 0);
    expect(r.effects.map((e) => e.type)).toEqual(['clear']);
    r = step(r.states, { entropy: 'FAIL' }, T0 + 100 * S, 10);
    expect(r.effects.map((e) => e.type)).toEqual(['arm']);
  });

  it('a gate that loses its rollback: config emits clear for an active banner', () => {
    const r = step({}, { entropy: 'FAIL' }, T0);
    const r2 = stepTriggers(r.states, { gates: [{ id: 'q_spread', rollback: 'prompt' }], results: allPass, influencePct: 10, now: T0 + S });
    expect(r2.effects.map((e) => [e.type, e.gate])).toEqual([['clear', 'entropy']]);
    expect(r2.states.entropy).toBeUndefined();
  });
});

describe('rollback trigger on a judged gate', () => {
  it('carries the effect in words, for the banner and the messages', () => {
    const judged: GateResult = {
      ...res('entropy', 'FAIL', 0.31),
      judgment: { kind: 'compare', m: 30, n: 30, dropped: { canary: 0, baseline: 0 }, medians: { canary: 0.24, baseline: 0.18 }, shift: 0.056, ci: [0.04, 0.072], effect: 0.31, effectCi: [0.22, 0.4], p: 1e-6 },
    };
    const r = stepTriggers({}, { gates, results: { ...allPass, entropy: judged }, influencePct: 10, now: T0 });
    expect(r.states.entropy!.value).toBe('+31% [+22%, +40%] vs baseline');
  });
});
