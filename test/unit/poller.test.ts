import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { Poller, type PollOutcome } from '../../src/runtime/poller.js';
import type { SourceAdapter, SourceResult } from '../../src/sources/types.js';

/** An adapter whose reads finish only when the test says so. */
function manualAdapter(id: string) {
  const calls: { resolve: (r: SourceResult) => void; signal: AbortSignal }[] = [];
  const adapter: SourceAdapter = {
    id,
    type: 'test',
    read: (_probes, ctx) => new Promise<SourceResult>((resolve) => calls.push({ resolve, signal: ctx.signal })),
  };
  return { adapter, calls };
}
const ok = (v: number): SourceResult => ({ ok: true, readings: { 'gate:x': { value: v, observedAt: 0 } } });
const tick = () => new Promise((r) => setImmediate(r));

describe('poller', () => {
  it('reads at the interval and never overlaps a slow read', async () => {
    const clock = new FakeClock();
    const { adapter, calls } = manualAdapter('slow');
    const got: PollOutcome[] = [];
    const p = new Poller(clock, [{ id: 'slow', adapter, probes: [], interval: 1000, timeout: 10_000 }], (o) => got.push(o));
    p.start();
    expect(calls).toHaveLength(1);
    clock.advance(5000); // five intervals pass while the first read hangs
    expect(calls).toHaveLength(1);
    calls[0]!.resolve(ok(1));
    await tick();
    await tick();
    expect(got).toHaveLength(1);
    // overdue: the next read starts at once, not five of them
    expect(calls).toHaveLength(2);
    calls[1]!.resolve(ok(2));
    await tick();
    await tick();
    expect(calls).toHaveLength(2);
    clock.advance(1000);
    expect(calls).toHaveLength(3);
    await p.stop();
  });

  it('times a read out at the source timeout and aborts it', async () => {
    const clock = new FakeClock();
    const { adapter, calls } = manualAdapter('hang');
    const got: PollOutcome[] = [];
    const p = new Poller(clock, [{ id: 'hang', adapter, probes: [], interval: 15_000, timeout: 5000 }], (o) => got.push(o));
    p.start();
    clock.advance(5000);
    await tick();
    expect(got[0]!.result).toEqual({ ok: false, error: 'timed out after 5s', readings: {} });
    expect(calls[0]!.signal.aborted).toBe(true);
    await p.stop();
  });

  it('refresh reads now, or right after an in-flight read', async () => {
    const clock = new FakeClock();
    const a = manualAdapter('a');
    const p = new Poller(clock, [{ id: 'a', adapter: a.adapter, probes: [], interval: 60_000, timeout: 5000 }], () => {});
    p.start();
    a.calls[0]!.resolve(ok(1));
    await tick();
    await tick();
    p.refresh();
    expect(a.calls).toHaveLength(2);
    p.refresh(); // in flight: queued once, not stacked
    p.refresh();
    expect(a.calls).toHaveLength(2);
    a.calls[1]!.resolve(ok(2));
    await tick();
    await tick();
    expect(a.calls).toHaveLength(3);
    await p.stop();
  });

  it('turns an adapter that throws into a source error', async () => {
    const clock = new FakeClock();
    const adapter: SourceAdapter = { id: 'bad', type: 't', read: async () => { throw new Error('boom'); } };
    const p = new Poller(clock, [{ id: 'bad', adapter, probes: [], interval: 1000, timeout: 1000 }], () => {});
    const [o] = await p.readAllOnce();
    expect(o!.result).toMatchObject({ ok: false, error: 'internal error in bad: boom' });
    await p.stop();
  });
});

describe('poller timeouts keep the adapter’s own reason', () => {
  it('an adapter answering the abort with a reason is believed; one echoing the abort gets the timeout text', async () => {
    const clock = new FakeClock();
    const reasoned: SourceAdapter = {
      id: 'ws',
      type: 'websocket',
      read: (_p, ctx) =>
        new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve({ ok: false, error: 'feed not connected: ECONNREFUSED', readings: {} }))),
    };
    const echo: SourceAdapter = {
      id: 'http',
      type: 'scrape',
      read: (_p, ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve({ ok: false, error: 'This operation was aborted', readings: {} }))),
    };
    const p = new Poller(clock, [
      { id: 'ws', adapter: reasoned, probes: [], interval: 1000, timeout: 2000 },
      { id: 'http', adapter: echo, probes: [], interval: 1000, timeout: 2000 },
    ], () => {});
    const all = p.readAllOnce();
    clock.advance(2000);
    const out = await all;
    expect(out.find((o) => o.sourceId === 'ws')!.result.error).toBe('feed not connected: ECONNREFUSED');
    expect(out.find((o) => o.sourceId === 'http')!.result.error).toBe('timed out after 2s');
    await p.stop();
  });
});
