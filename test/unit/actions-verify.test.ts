import { describe, it, expect } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import type { Reading } from '../../src/core/types.js';
import type { VerifyConfig } from '../../src/config/types.js';
import { parseThreshold } from '../../src/config/threshold.js';
import { verifyLoop, type VerifyResult } from '../../src/actions/verify.js';
import { makeScrub } from '../../src/actions/scrub.js';

const verify: VerifyConfig = { source: 'exporter', metric: 'policy_influence_pct', expect: '== 0', within: 30_000 };

/** Drives the fake clock in `stepMs` increments, letting promises run in between; bounded. */
async function drive<T>(clock: FakeClock, p: Promise<T>, stepMs = 100, maxSteps = 2000): Promise<T> {
  let done = false;
  let value!: T;
  p.then((v) => {
    done = true;
    value = v;
  });
  for (let i = 0; i < maxSteps && !done; i++) {
    await new Promise((r) => setImmediate(r));
    if (!done) clock.advance(stepMs);
  }
  if (!done) throw new Error('did not settle');
  return value;
}

function loop(clock: FakeClock, read: () => Promise<Reading>, signal = new AbortController().signal, expectText = '== 0') {
  return verifyLoop({
    verify,
    expect: parseThreshold(expectText),
    read,
    clock,
    pollMs: 500,
    signal,
    scrub: makeScrub(['s3cret-token']),
  });
}

describe('verifyLoop', () => {
  it('polls until the value matches; errors and wrong values count as not yet', async () => {
    const clock = new FakeClock();
    const seq: Reading[] = [
      { value: null, observedAt: 0, error: 'connection refused' },
      { value: 10, observedAt: 0 },
      { value: 'NaN', observedAt: 0 },
      { value: 0, observedAt: 0 },
    ];
    let reads = 0;
    const t0 = clock.now();
    const r = await drive(clock, loop(clock, async () => seq[Math.min(reads++, seq.length - 1)]!));
    expect(r).toEqual({ ok: true, value: 0 });
    expect(reads).toBe(4);
    expect(clock.now() - t0).toBeGreaterThanOrEqual(1500); // three waits of 500 ms
  });

  it('fails at the deadline naming the last value and the expectation', async () => {
    const clock = new FakeClock();
    let reads = 0;
    const t0 = clock.now();
    const r = await drive(clock, loop(clock, async () => (reads++, { value: 10, observedAt: 0 })));
    expect(r).toEqual({ ok: false, error: 'not verified within 30s: policy_influence_pct = 10 (expected == 0)' });
    expect(clock.now() - t0).toBeGreaterThanOrEqual(30_000);
    expect(clock.now() - t0).toBeLessThan(31_000);
    expect(reads).toBeGreaterThanOrEqual(60);
  });

  it('reports an unreadable source with its error, scrubbed', async () => {
    const clock = new FakeClock();
    const r = await drive(
      clock,
      loop(clock, async () => ({ value: null, observedAt: 0, error: 'HTTP 401 for token s3cret-token\u001b[2J' })),
    );
    expect(r.ok).toBe(false);
    const err = (r as { error: string }).error;
    expect(err).toContain('policy_influence_pct could not be read: HTTP 401');
    expect(err).not.toContain('s3cret-token');
    expect(err).not.toContain('\u001b');
  });

  it('treats a read that throws or never answers as not verified', async () => {
    const clock = new FakeClock();
    const r1 = await drive(clock, loop(clock, async () => Promise.reject(new Error('boom'))));
    expect((r1 as { error: string }).error).toMatch(/could not be read: boom/);
    const r2 = await drive(clock, loop(clock, () => new Promise<Reading>(() => {})));
    expect((r2 as { error: string }).error).toMatch(/^not verified within 30s: policy_influence_pct: the read did not answer/);
  });

  it('stops when aborted', async () => {
    const clock = new FakeClock();
    const ac = new AbortController();
    let reads = 0;
    const p = loop(clock, async () => (reads++, { value: 10, observedAt: 0 }), ac.signal);
    const settled: VerifyResult[] = [];
    p.then((r) => settled.push(r));
    await new Promise((r) => setImmediate(r));
    clock.advance(600);
    await new Promise((r) => setImmediate(r));
    ac.abort();
    const r = await drive(clock, p);
    expect(r).toEqual({ ok: false, cancelled: true, error: 'cancelled' });
    const before = reads;
    clock.advance(5000);
    await new Promise((r) => setImmediate(r));
    expect(reads).toBe(before);
  });
});
