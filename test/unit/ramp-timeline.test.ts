import { describe, it, expect } from 'vitest';
import type { RampConfig } from '../../src/config/types.js';
import { initialRamp, observeInfluence } from '../../src/ramp/tracker.js';
import {
  ackCheckpoint,
  checkpointLabel,
  formatT,
  isFinalCheckpoint,
  rampView,
  stageCheckpoints,
  type CheckpointAck,
} from '../../src/ramp/timeline.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 10, 23, 14, 0, 0);

function cfg(start: RampConfig['start'] = 'manual'): RampConfig {
  return {
    start,
    maxStep: 25,
    stages: [
      {
        influence: 10,
        hold: 2 * HOUR,
        checkpoints: [
          { at: 60 * MIN, label: 'Review metrics stability' }, // deliberately unsorted
          { at: 30 * MIN, label: 'Check for any alerts' },
          { at: 120 * MIN, label: 'Continuation decision' },
        ],
      },
      { influence: 25, hold: 2 * HOUR, checkpoints: [{ at: 15 * MIN, label: 'Look' }] },
    ],
  };
}

describe('formatting', () => {
  it('formatT', () => {
    expect(formatT(31 * MIN + 5000)).toBe('T+00:31:05');
    expect(formatT(0)).toBe('T+00:00:00');
    expect(formatT(125 * HOUR + 999)).toBe('T+125:00:00');
    expect(formatT(-5 * MIN)).toBe('T-00:05:00');
    expect(formatT(Number.NaN)).toBe('T+--:--:--');
  });
  it('checkpointLabel', () => {
    expect(checkpointLabel(30 * MIN)).toBe('T+30');
    expect(checkpointLabel(120 * MIN)).toBe('T+120');
    expect(checkpointLabel(90_000)).toBe('T+90s');
  });
});

describe('rampView', () => {
  it('not started: the whole plan, upcoming without dueAt, nothing due', () => {
    const c = cfg();
    const v = rampView(c, initialRamp(c, T0), [], T0);
    expect(v.started).toBe(false);
    expect(v.rolledBack).toBe(false);
    expect(v.elapsedMs).toBe(0);
    expect(v.stageIndex).toBe(-1);
    expect(v.checkpoints.map((x) => [x.stage, x.offsetMs / MIN, x.state, x.dueAt])).toEqual([
      [0, 30, 'upcoming', undefined],
      [0, 60, 'upcoming', undefined],
      [0, 120, 'upcoming', undefined],
      [1, 15, 'upcoming', undefined],
    ]);
    expect(v.due).toBeUndefined();
    expect(v.nextStage).toEqual({ index: 0, influence: 10 });
    expect(ackCheckpoint(v, 'bob', T0)).toBeUndefined();
  });

  it('start timestamp 31 min ago: elapsed 31 min, T+30 due, T+60 upcoming with countdown', () => {
    const c = cfg(T0);
    const now = T0 + 31 * MIN;
    const v = rampView(c, initialRamp(c, now), [], now);
    expect(v.started).toBe(true);
    expect(v.elapsedMs).toBe(31 * MIN);
    expect(formatT(v.elapsedMs)).toBe('T+00:31:00');
    expect(v.stageIndex).toBe(0);
    expect(v.stageElapsedMs).toBe(31 * MIN);
    expect(v.stageRemainingMs).toBe(89 * MIN);
    expect(v.holdComplete).toBe(false);
    expect(v.nextStage).toEqual({ index: 1, influence: 25 });
    const [c30, c60, c120] = v.checkpoints;
    expect(c30).toMatchObject({ offsetMs: 30 * MIN, state: 'due', dueAt: T0 + 30 * MIN, overdueMs: MIN, label: 'Check for any alerts' });
    expect(c60).toMatchObject({ state: 'upcoming', countdownMs: 29 * MIN, dueAt: T0 + 60 * MIN });
    expect(c120).toMatchObject({ state: 'upcoming', countdownMs: 89 * MIN });
    expect(v.due?.offsetMs).toBe(30 * MIN);
    expect(v.next?.offsetMs).toBe(60 * MIN);
  });

  it('exactly at the offset a checkpoint is due; one ms before it is upcoming', () => {
    const c = cfg(T0);
    expect(rampView(c, initialRamp(c, T0), [], T0 + 30 * MIN - 1).checkpoints[0]).toMatchObject({ state: 'upcoming', countdownMs: 1 });
    expect(rampView(c, initialRamp(c, T0), [], T0 + 30 * MIN).checkpoints[0]).toMatchObject({ state: 'due', overdueMs: 0 });
  });

  it('ack: the due checkpoint becomes acknowledged with who and when', () => {
    const c = cfg(T0);
    const mem = initialRamp(c, T0);
    const now = T0 + 32 * MIN;
    const ack = ackCheckpoint(rampView(c, mem, [], now), 'bob', now);
    expect(ack).toEqual({ stage: 0, offsetMs: 30 * MIN, actor: 'bob', at: now });
    const v = rampView(c, mem, [ack!], now + MIN);
    expect(v.checkpoints[0]).toMatchObject({ state: 'acknowledged', ack: { actor: 'bob' } });
    expect(v.due).toBeUndefined();
    expect(ackCheckpoint(v, 'bob', now + MIN)).toBeUndefined();
  });

  it('missed once T+60 comes due unacknowledged; a late ack is still allowed', () => {
    const c = cfg(T0);
    const mem = initialRamp(c, T0);
    const now = T0 + 61 * MIN;
    const v = rampView(c, mem, [], now);
    expect(v.checkpoints[0]).toMatchObject({ offsetMs: 30 * MIN, state: 'missed', overdueMs: 31 * MIN });
    expect(v.checkpoints[1]).toMatchObject({ offsetMs: 60 * MIN, state: 'due' });
    expect(v.due?.offsetMs).toBe(60 * MIN);
    // `a` takes the due one first, then the missed one.
    const a1 = ackCheckpoint(v, 'bob', now)!;
    expect(a1.offsetMs).toBe(60 * MIN);
    const v2 = rampView(c, mem, [a1], now);
    expect(v2.due).toBeUndefined();
    const a2 = ackCheckpoint(v2, 'carol', now + 1000)!;
    expect(a2.offsetMs).toBe(30 * MIN);
    const v3 = rampView(c, mem, [a1, a2], now + 2000);
    expect(v3.checkpoints.slice(0, 2).map((x) => x.state)).toEqual(['acknowledged', 'acknowledged']);
    expect(v3.checkpoints[0]!.ack?.actor).toBe('carol');
  });

  it('hold complete after the hold; final checkpoint detection', () => {
    const c = cfg(T0);
    const v = rampView(c, initialRamp(c, T0), [], T0 + 2 * HOUR);
    expect(v.holdComplete).toBe(true);
    expect(v.stageRemainingMs).toBe(0);
    expect(v.due?.offsetMs).toBe(120 * MIN);
    expect(isFinalCheckpoint(c, v.due!)).toBe(true);
    expect(isFinalCheckpoint(c, v.checkpoints[0]!)).toBe(false);
    expect(isFinalCheckpoint(c, { stage: 1, offsetMs: 15 * MIN })).toBe(true);
    expect(isFinalCheckpoint(c, { stage: 5, offsetMs: 15 * MIN })).toBe(false);
  });

  it('checkpoints count from stage entry; re-entering a stage asks for them again', () => {
    const c = cfg();
    let m = observeInfluence(c, initialRamp(c, T0), 10, T0);
    const ack: CheckpointAck = { stage: 0, offsetMs: 30 * MIN, actor: 'bob', at: T0 + 31 * MIN };
    m = observeInfluence(c, m, 0, T0 + 40 * MIN); // kill-switch
    const rb = rampView(c, m, [ack], T0 + 41 * MIN);
    expect(rb.rolledBack).toBe(true);
    expect(rb.started).toBe(true);
    expect(rb.elapsedMs).toBe(41 * MIN);
    expect(rb.stageIndex).toBe(-1);
    expect(rb.due).toBeUndefined();
    expect(rb.stageElapsedMs).toBe(MIN);
    m = observeInfluence(c, m, 10, T0 + HOUR);
    const v = rampView(c, m, [ack], T0 + HOUR + 30 * MIN);
    expect(v.rolledBack).toBe(false);
    expect(v.elapsedMs).toBe(90 * MIN);
    expect(v.checkpoints[0]).toMatchObject({ state: 'due', dueAt: T0 + HOUR + 30 * MIN });
  });

  it('a stage that was left: due-but-unacked are missed, never-due ones omitted', () => {
    const c = cfg();
    const cps = stageCheckpoints(c, 0, T0, [], T0 + 5 * HOUR, T0 + 45 * MIN);
    expect(cps.map((x) => [x.offsetMs / MIN, x.state])).toEqual([[30, 'missed']]);
  });

  it('scheduled start still in the future: not started, time to start shown', () => {
    const c = cfg(T0);
    const v = rampView(c, initialRamp(c, T0 - 10 * MIN), [], T0 - 10 * MIN);
    expect(v.started).toBe(false);
    expect(v.startsInMs).toBe(10 * MIN);
    expect(v.due).toBeUndefined();
    expect(v.elapsedMs).toBe(0);
  });
});
