/** One sink's queue under a manual clock: backoff, throttle, bound, timeout of a sender that never answers. */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { backoffDelay, SinkQueue, type DeliveryOutcome, type SendResult, type QueueItem } from '../../src/notify/queue.js';

const item = (n: number | string, dedup = `d${n}`): QueueItem => ({ event: `e${n}`, dedup, request: { url: 'http://x/', body: { n }, headers: {} } });
const flush = () => new Promise((r) => setImmediate(r));

/** A sender whose answers the test hands out one by one. */
function scripted(answers: SendResult[]) {
  const calls: { at: number; n: unknown }[] = [];
  return {
    calls,
    send: (clock: FakeClock) => async (req: { body: unknown }) => {
      calls.push({ at: clock.now(), n: (req.body as { n: unknown }).n });
      return answers.shift() ?? { ok: true as const, status: 200 };
    },
  };
}

describe('backoffDelay', () => {
  it('doubles from the base, capped, with the upper half jittered; Retry-After is honoured within the cap', () => {
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, { base: 1000, cap: 5000, random: () => 1 }))).toEqual([1000, 2000, 4000, 5000]);
    expect(backoffDelay(3, { base: 1000, cap: 60_000, random: () => 0 })).toBe(2000);
    expect(backoffDelay(1, { base: 1000, random: () => 0, retryAfterMs: 7000 })).toBe(7000);
    expect(backoffDelay(1, { base: 1000, cap: 5000, random: () => 0, retryAfterMs: 600_000 })).toBe(5000);
  });
});

describe('SinkQueue', () => {
  it('retries a failure with backoff on the clock, then delivers once', async () => {
    const clock = new FakeClock();
    const s = scripted([
      { ok: false, error: 'HTTP 500', retryable: true },
      { ok: false, error: 'HTTP 500', retryable: true },
    ]);
    const out: DeliveryOutcome[] = [];
    const q = new SinkQueue({ clock, send: s.send(clock), max: 10, retries: 3, throttle: 0, timeout: 5000, backoffBaseMs: 1000, random: () => 1, onOutcome: (o) => out.push(o) });
    const t0 = clock.now();
    q.enqueue(item(1));
    await flush();
    expect(s.calls).toHaveLength(1);
    expect(q.stats()).toMatchObject({ retrying: true, lastError: 'HTTP 500' });
    clock.advance(999);
    await flush();
    expect(s.calls).toHaveLength(1);
    clock.advance(1);
    await flush();
    clock.advance(2000);
    await flush();
    expect(s.calls.map((c) => c.at - t0)).toEqual([0, 1000, 3000]);
    expect(out).toEqual([{ event: 'e1', result: 'delivered', attempts: 3, at: t0 + 3000 }]);
    expect(q.stats()).toMatchObject({ delivered: 1, failed: 0, failing: false, retrying: false });
  });

  it('a final failure after retries is one outcome; a 4xx is not retried', async () => {
    const clock = new FakeClock();
    const s = scripted([
      { ok: false, error: 'HTTP 503', retryable: true },
      { ok: false, error: 'HTTP 503', retryable: true },
      { ok: false, error: 'HTTP 404: no_service', retryable: false },
    ]);
    const out: DeliveryOutcome[] = [];
    const q = new SinkQueue({ clock, send: s.send(clock), max: 10, retries: 1, throttle: 0, timeout: 5000, backoffBaseMs: 10, random: () => 0, onOutcome: (o) => out.push(o) });
    q.enqueue(item(1));
    q.enqueue(item(2));
    for (let i = 0; i < 5; i++) {
      await flush();
      clock.advance(100);
    }
    expect(out.map((o) => [o.event, o.result, o.attempts, o.error])).toEqual([
      ['e1', 'failed', 2, 'HTTP 503'],
      ['e2', 'failed', 1, 'HTTP 404: no_service'],
    ]);
    expect(q.stats()).toMatchObject({ failed: 2, failing: true });
  });

  it('identical repeats within throttle are dropped and counted; after it they go again', async () => {
    const clock = new FakeClock();
    const s = scripted([]);
    const q = new SinkQueue({ clock, send: s.send(clock), max: 10, retries: 0, throttle: 60_000, timeout: 5000 });
    expect(q.enqueue(item(1, 'same'))).toBe('queued');
    expect(q.enqueue(item(2, 'same'))).toBe('throttled');
    expect(q.enqueue(item(3, 'other'))).toBe('queued');
    clock.advance(60_000);
    expect(q.enqueue(item(4, 'same'))).toBe('queued');
    await flush();
    await flush();
    expect(s.calls.map((c) => c.n)).toEqual([1, 3, 4]);
    expect(q.stats().throttled).toBe(1);
  });

  it('beyond its bound the oldest waiting message is dropped (counted); the one in flight goes on', async () => {
    const clock = new FakeClock();
    let release: (r: SendResult) => void = () => {};
    const sent: unknown[] = [];
    const out: DeliveryOutcome[] = [];
    const q = new SinkQueue({
      clock,
      send: (req) => {
        sent.push((req.body as { n: unknown }).n);
        return new Promise<SendResult>((r) => (release = r));
      },
      max: 3,
      retries: 0,
      throttle: 0,
      timeout: 60_000,
      onOutcome: (o) => out.push(o),
    });
    for (let i = 1; i <= 6; i++) q.enqueue(item(i));
    expect(q.stats()).toMatchObject({ dropped: 3, waiting: 3 });
    expect(out.filter((o) => o.result === 'dropped').map((o) => o.event)).toEqual(['e2', 'e3', 'e4']);
    for (let i = 0; i < 3; i++) {
      release({ ok: true, status: 200 });
      await flush();
      await flush();
    }
    expect(sent).toEqual([1, 5, 6]);
  });

  it('a sender that never answers is cut at the timeout (retried like any failure), and the queue moves on', async () => {
    const clock = new FakeClock();
    const out: DeliveryOutcome[] = [];
    let aborted = 0;
    const q = new SinkQueue({
      clock,
      send: (_req, signal) => {
        signal.addEventListener('abort', () => aborted++);
        return new Promise<SendResult>(() => {}); // hangs forever
      },
      max: 10,
      retries: 1,
      throttle: 0,
      timeout: 2000,
      backoffBaseMs: 100,
      random: () => 0,
      onOutcome: (o) => out.push(o),
    });
    q.enqueue(item(1));
    q.enqueue(item(2));
    clock.advance(2000);
    await flush();
    clock.advance(50);
    await flush();
    clock.advance(2000);
    await flush();
    expect(aborted).toBe(2);
    expect(out[0]).toMatchObject({ event: 'e1', result: 'failed', attempts: 2, error: 'no answer within 2000 ms' });
    const idle = q.whenIdle(10_000);
    for (let i = 0; i < 4; i++) {
      clock.advance(2100);
      await flush();
    }
    expect(out.map((o) => o.event)).toEqual(['e1', 'e2']);
    expect(await idle).toBe(true);
  });
});
