import { describe, it, expect } from 'vitest';
import type { RampConfig } from '../../src/config/types.js';
import { initialRamp, observeInfluence, stageForInfluence } from '../../src/ramp/tracker.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 10, 23, 14, 0, 0);

function cfg(start: RampConfig['start'] = 'manual'): RampConfig {
  return {
    start,
    maxStep: 25,
    stages: [
      { influence: 10, hold: 2 * HOUR, checkpoints: [] },
      { influence: 25, hold: 2 * HOUR, checkpoints: [] },
      { influence: 50, hold: 2 * HOUR, checkpoints: [] },
    ],
  };
}

describe('ramp tracker', () => {
  it('manual start: not started at 0, starts on the first influence above 0', () => {
    const c = cfg();
    let m = initialRamp(c, T0);
    expect(m).toEqual({ stageIndex: -1 });
    m = observeInfluence(c, m, 0, T0 + 1000);
    expect(m.startedAt).toBeUndefined();
    expect(m.stageIndex).toBe(-1);
    m = observeInfluence(c, m, 10, T0 + 5 * MIN);
    expect(m.startedAt).toBe(T0 + 5 * MIN);
    expect(m.stageIndex).toBe(0);
    expect(m.stageEnteredAt).toBe(T0 + 5 * MIN);
    // Same stage again: nothing moves.
    const again = observeInfluence(c, m, 10, T0 + 6 * MIN);
    expect(again.stageEnteredAt).toBe(T0 + 5 * MIN);
    expect(again.startedAt).toBe(T0 + 5 * MIN);
  });

  it('stage follows observed influence up and down; entering a stage resets its clock', () => {
    const c = cfg();
    let m = observeInfluence(c, initialRamp(c, T0), 10, T0);
    m = observeInfluence(c, m, 25, T0 + HOUR);
    expect(m.stageIndex).toBe(1);
    expect(m.stageEnteredAt).toBe(T0 + HOUR);
    m = observeInfluence(c, m, 40, T0 + 2 * HOUR); // between stages → the lower one
    expect(m.stageIndex).toBe(1);
    expect(m.stageEnteredAt).toBe(T0 + HOUR);
    m = observeInfluence(c, m, 80, T0 + 3 * HOUR); // above the last stage → last
    expect(m.stageIndex).toBe(2);
    m = observeInfluence(c, m, 10, T0 + 4 * HOUR); // stepped down
    expect(m.stageIndex).toBe(0);
    expect(m.stageEnteredAt).toBe(T0 + 4 * HOUR);
    expect(m.startedAt).toBe(T0);
  });

  it('influence back to 0 after the start: keeps startedAt, stage -1 (rolled back)', () => {
    const c = cfg();
    let m = observeInfluence(c, initialRamp(c, T0), 25, T0);
    m = observeInfluence(c, m, 0, T0 + 10 * MIN);
    expect(m.startedAt).toBe(T0);
    expect(m.stageIndex).toBe(-1);
    expect(m.stageEnteredAt).toBe(T0 + 10 * MIN);
    expect(m.everLive).toBe(true);
    m = observeInfluence(c, m, 10, T0 + 20 * MIN);
    expect(m.stageIndex).toBe(0);
    expect(m.startedAt).toBe(T0);
  });

  it('a partial first step (below stage 0) is stage 0, not "not started"', () => {
    const c = cfg();
    expect(stageForInfluence(c, 5)).toBe(0);
    expect(stageForInfluence(c, 0)).toBe(-1);
    expect(observeInfluence(c, initialRamp(c, T0), 5, T0).stageIndex).toBe(0);
  });

  it('unreadable influence changes nothing', () => {
    const c = cfg();
    const m = observeInfluence(c, initialRamp(c, T0), 10, T0);
    expect(observeInfluence(c, m, Number.NaN, T0 + 1)).toBe(m);
    expect(observeInfluence(c, m, -3, T0 + 1)).toBe(m);
    expect(observeInfluence(c, m, Number.POSITIVE_INFINITY, T0 + 1)).toBe(m);
  });

  it('start timestamp: started then, stage 0 entered then, before any reading', () => {
    const c = cfg(T0);
    const m = initialRamp(c, T0 + 31 * MIN);
    expect(m).toEqual({ startedAt: T0, stageIndex: 0, stageEnteredAt: T0 });
    const seen = observeInfluence(c, m, 10, T0 + 31 * MIN);
    expect(seen.stageEnteredAt).toBe(T0);
    expect(seen.stageIndex).toBe(0);
  });

  it('start timestamp: 0 before the start changes nothing; influence earlier than planned starts it then', () => {
    const c = cfg(T0);
    let m = initialRamp(c, T0 - HOUR);
    m = observeInfluence(c, m, 0, T0 - 30 * MIN);
    expect(m.stageIndex).toBe(0);
    expect(m.stageEnteredAt).toBe(T0);
    m = observeInfluence(c, m, 10, T0 - 10 * MIN);
    expect(m.startedAt).toBe(T0 - 10 * MIN);
    expect(m.stageEnteredAt).toBe(T0 - 10 * MIN);
    expect(m.stageIndex).toBe(0);
  });

  it('start timestamp: 0 observed after the start is the truth (no stage), not a rollback', () => {
    const c = cfg(T0);
    const m = observeInfluence(c, initialRamp(c, T0), 0, T0 + MIN);
    expect(m.stageIndex).toBe(-1);
    expect(m.startedAt).toBe(T0);
    expect(m.everLive).toBe(false);
  });
});
