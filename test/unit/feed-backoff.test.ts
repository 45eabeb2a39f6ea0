import { describe, it, expect } from 'vitest';
import { backoffDelay, ReconnectBackoff } from '../../src/feed/backoff.js';
import { FakeClock } from '../../src/core/clock.js';

const almostOne = () => 0.999999;

describe('backoffDelay (full jitter)', () => {
  it('first retry is under 1 s even with a large base', () => {
    expect(backoffDelay(0, 500, 30_000, almostOne)).toBeLessThan(500);
    expect(backoffDelay(0, 5_000, 30_000, almostOne)).toBeLessThan(1000);
    expect(backoffDelay(0, 5_000, 30_000, () => 1)).toBeLessThan(1000);
  });

  it('grows as base·2^attempt and is capped', () => {
    expect(backoffDelay(1, 500, 30_000, almostOne)).toBe(999);
    expect(backoffDelay(3, 500, 30_000, almostOne)).toBe(3999);
    expect(backoffDelay(10, 500, 30_000, almostOne)).toBe(29_999);
    expect(backoffDelay(1000, 500, 30_000, almostOne)).toBe(29_999);
  });

  it('is uniform from zero (full jitter) and survives a broken random source', () => {
    expect(backoffDelay(5, 500, 30_000, () => 0)).toBe(0);
    expect(backoffDelay(5, 500, 30_000, () => 0.5)).toBe(8000);
    expect(backoffDelay(5, 500, 30_000, () => NaN)).toBe(0);
    expect(backoffDelay(5, 500, 30_000, () => 7)).toBe(15_999);
  });
});

describe('ReconnectBackoff', () => {
  it('first retry < 1 s, then doubles up to the 30 s cap', () => {
    const b = new ReconnectBackoff({ random: almostOne, clock: new FakeClock() });
    const delays = Array.from({ length: 10 }, () => b.nextDelay());
    expect(delays[0]).toBeLessThan(1000);
    expect(delays.slice(0, 7)).toEqual([499, 999, 1999, 3999, 7999, 15_999, 29_999]);
    expect(Math.max(...delays)).toBeLessThan(30_000);
    expect(delays[9]).toBe(29_999);
  });

  it('resets the attempt count only after the connection stayed up stableMs', () => {
    const clock = new FakeClock();
    const b = new ReconnectBackoff({ random: almostOne, clock, stableMs: 10_000 });
    b.nextDelay();
    b.nextDelay();
    b.nextDelay();
    expect(b.attempt).toBe(3);
    // A connection that drops after 9.9 s is a flap: keep backing off.
    b.opened();
    clock.advance(9_900);
    expect(b.nextDelay()).toBe(3999);
    expect(b.attempt).toBe(4);
    // One that held for 10 s earns a fresh, fast first retry.
    b.opened();
    clock.advance(10_000);
    expect(b.nextDelay()).toBe(499);
    expect(b.attempt).toBe(1);
  });

  it('a failed connect (never opened) does not reset', () => {
    const clock = new FakeClock();
    const b = new ReconnectBackoff({ random: almostOne, clock });
    b.opened();
    clock.advance(60_000);
    b.nextDelay(); // resets: was stable
    clock.advance(60_000);
    expect(b.nextDelay()).toBe(999); // no open in between: attempt 1
  });
});
