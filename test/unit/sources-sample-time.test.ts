import { describe, expect, it } from 'vitest';
import { sampleTime } from '../../src/sources/sampleTime.js';

describe('sampleTime: min(source time, receive time)', () => {
  const now = 1_800_000_000_000;
  it('keeps a past source time (old data must age out)', () => {
    expect(sampleTime(now - 90_000, now, 30_000)).toEqual({ observedAt: now - 90_000 });
  });
  it('clamps a source time ahead of us to the receive time, silently within max_clock_skew', () => {
    expect(sampleTime(now + 30_000, now, 30_000)).toEqual({ observedAt: now });
  });
  it('warns beyond max_clock_skew, naming how far ahead', () => {
    const t = sampleTime(now + 3_600_000, now, 30_000);
    expect(t.observedAt).toBe(now);
    expect(t.warning).toBe('source clock 1h ahead (max_clock_skew 30s); using receive time');
  });
  it('max_clock_skew 0 warns on any lead', () => {
    expect(sampleTime(now + 1500, now, 0).warning).toMatch(/source clock 2s ahead/);
  });
  it('a non-finite source time falls back to the receive time', () => {
    expect(sampleTime(Number.NaN, now, 30_000)).toEqual({ observedAt: now });
  });
});
