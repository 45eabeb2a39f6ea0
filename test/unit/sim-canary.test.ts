import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { SimModel } from '../../src/sim/model.js';
import { renderExposition } from '../../src/sim/exposition.js';
import { judgeCompare, type JudgeSpec } from '../../src/judge/verdict.js';

const spec: JudgeSpec = { kind: 'compare', window: 60_000, step: 1000, bad: 'increase', tolerance: 0.1, confidence: 0.95, minSamples: 10 };

/** Per-second track samples over [fromS, toS) seconds into the scenario. */
function tracks(scenario: string, fromS: number, toS: number, seed = 7) {
  const clock = new FakeClock();
  const m = new SimModel({ clock, scenario, seed });
  clock.advance(fromS * 1000);
  const canary: number[] = [];
  const stable: number[] = [];
  for (let s = fromS; s < toS; s++) {
    const snap = m.snapshot();
    canary.push(snap.tracks!.canary);
    stable.push(snap.tracks!.stable);
    clock.advance(1000);
  }
  return { canary, stable, exposition: renderExposition(m.snapshot()) };
}

describe('canary scenarios', () => {
  it('serve sim_track_latency_p99_seconds with track="canary|stable"; other scenarios do not', () => {
    const { exposition } = tracks('canary-healthy', 0, 1);
    expect(exposition).toMatch(/^sim_track_latency_p99_seconds\{track="canary"\} 0\.1\d+$/m);
    expect(exposition).toMatch(/^sim_track_latency_p99_seconds\{track="stable"\} 0\.1\d+$/m);
    const clock = new FakeClock();
    expect(renderExposition(new SimModel({ clock, scenario: 'healthy' }).snapshot())).not.toContain('sim_track_');
  });
  it('canary-healthy: one distribution, the compare verdict passes', () => {
    for (const seed of [1, 2, 3]) {
      const { canary, stable } = tracks('canary-healthy', 0, 60, seed);
      expect(judgeCompare(spec, canary, stable).status).toBe('PASS');
    }
  });
  it('canary-regression: the canary p99 is +25 % from a minute in, and the compare verdict fails', () => {
    const before = tracks('canary-regression', 0, 60);
    expect(judgeCompare(spec, before.canary, before.stable).status).toBe('PASS');
    const after = tracks('canary-regression', 60, 120);
    const r = judgeCompare(spec, after.canary, after.stable);
    expect(r.status).toBe('FAIL');
    expect(r.figures?.kind === 'compare' && r.figures.effect).toBeGreaterThan(0.15);
  });
});
