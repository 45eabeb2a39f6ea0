import { describe, it, expect, afterEach } from 'vitest';
import { createWebsocketSource, PAGE_ALERTS_KEY } from '../../src/sources/websocket.js';
import type { WebsocketSourceAdapter } from '../../src/sources/websocket.js';
import { FeedClient } from '../../src/feed/client.js';
import type { FeedMessage } from '../../src/feed/protocol.js';
import { systemClock } from '../../src/core/clock.js';
import type { WebsocketSource } from '../../src/config/types.js';
import { startFeedServer, waitUntil } from '../helpers/feedServer.js';
import type { FeedServer } from '../helpers/feedServer.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const cfg = (url: string): WebsocketSource => ({
  id: 'feed', type: 'websocket', url, headers: {}, interval: 1000, timeout: 2000, staleAfter: 10_000,
});

async function setup(): Promise<{ s: FeedServer; src: WebsocketSourceAdapter }> {
  const s = await startFeedServer();
  cleanups.push(() => s.stop());
  const client = new FeedClient({ url: s.url, backoff: { baseMs: 2000, capMs: 4000 }, random: () => 0.99 });
  const src = createWebsocketSource(cfg(s.url), { client });
  cleanups.push(() => src.close?.());
  return { s, src };
}

const ctx = (ms = 2000) => ({ clock: systemClock, signal: AbortSignal.timeout(ms) });
let seq = 0;
const ts = () => new Date().toISOString();
const status = (key: string, value: unknown, detail?: string) => ({ type: 'status', seq: ++seq, ts: ts(), key, value, detail });
const alert = (id: string, severity: string, state: string, summary = `alert ${id}`) =>
  ({ type: 'alert', seq: ++seq, ts: ts(), id, severity, state, summary });

describe('websocket source', () => {
  it('answers a key with the latest status value, current while connected', async () => {
    const { s, src } = await setup();
    src.start();
    await waitUntil(() => s.clients() === 1);
    s.send(status('killswitch.tested', false, 'build 1233'));
    s.send(status('killswitch.tested', true, 'build 1234'));
    s.send(status('build', 'v42'));
    s.send(status('obj', { a: 1 }));
    s.send(status('list', [1]));
    await waitUntil(() => src.client.stats().lastSeq === seq);
    const before = Date.now();
    const r = await src.read(
      [{ id: 'g1', key: 'killswitch.tested' }, { id: 'g2', key: 'build' }, { id: 'g3', key: 'obj' }, { id: 'g4', key: 'list' }, { id: 'g5' }],
      ctx(),
    );
    expect(r.ok).toBe(true);
    expect(r.readings.g1).toMatchObject({ value: true, detail: 'build 1234' });
    expect(r.readings.g1!.error).toBeUndefined();
    expect(r.readings.g1!.observedAt).toBeGreaterThanOrEqual(before);
    expect(r.readings.g2).toMatchObject({ value: 'v42' });
    expect(r.readings.g3).toMatchObject({ value: null, error: 'status value is not a scalar' });
    expect(r.readings.g4).toMatchObject({ value: null, error: 'status value is not a scalar' });
    expect(r.readings.g5).toMatchObject({ value: null, error: 'websocket probe needs a key' });

    // Still current a while later, without new messages, while the connection is up.
    await new Promise((res) => setTimeout(res, 60));
    const later = await src.read([{ id: 'g1', key: 'killswitch.tested' }], ctx());
    expect(later.readings.g1!.observedAt).toBeGreaterThan(r.readings.g1!.observedAt);
  });

  it('after the server dies, observedAt freezes at the disconnect and the source reports why', async () => {
    const { s, src } = await setup();
    src.start();
    await waitUntil(() => s.clients() === 1);
    s.send(status('killswitch.tested', true));
    await waitUntil(() => src.client.stats().lastSeq === seq);
    await s.kill();
    await waitUntil(() => src.client.stats().state !== 'open');
    const disconnectedAt = src.client.stats().disconnectedAt!;
    expect(disconnectedAt).toBeTypeOf('number');
    await new Promise((res) => setTimeout(res, 80));
    const r = await src.read([{ id: 'g', key: 'killswitch.tested' }], ctx());
    expect(r.readings.g).toMatchObject({ value: true, observedAt: disconnectedAt });
    expect(r.readings.g!.observedAt).toBeLessThan(Date.now() - 50);
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/^feed disconnected: connection lost; retrying in [1-4]s$/);
  });

  it('waits for a key not yet received, answers once it arrives, or with an error at the deadline', async () => {
    const { s, src } = await setup();
    const pending = src.read([{ id: 'g', key: 'late.key' }], ctx(3000));
    await waitUntil(() => s.clients() === 1);
    setTimeout(() => s.send(status('late.key', 7)), 50);
    const r = await pending;
    expect(r.readings.g).toMatchObject({ value: 7 });

    const started = Date.now();
    const miss = await src.read([{ id: 'm', key: 'never.sent' }], ctx(200));
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(miss.ok).toBe(true);
    expect(miss.readings.m).toMatchObject({ value: null, error: 'no status "never.sent" received yet' });
  });

  it('@page_alerts counts firing page alerts and drops resolved ones', async () => {
    const { s, src } = await setup();
    const events: FeedMessage[] = [];
    src.on('message', (m) => events.push(m));
    src.start();
    await waitUntil(() => s.clients() === 1);
    const r0 = await src.read([{ id: 'pa', key: PAGE_ALERTS_KEY }], ctx());
    expect(r0.readings.pa).toMatchObject({ value: 0 });

    s.send(alert('a-1', 'page', 'firing', 'error rate high'));
    s.send(alert('a-2', 'page', 'firing', 'latency \u001b[31mp99\u001b[0m'));
    s.send(alert('w-1', 'warning', 'firing'));
    s.send({ type: 'event', seq: ++seq, ts: ts(), text: 'canary pods healthy' });
    await waitUntil(() => src.client.stats().lastSeq === seq);
    const r1 = await src.read([{ id: 'pa', key: PAGE_ALERTS_KEY }], ctx());
    expect(r1.readings.pa).toMatchObject({ value: 2 });
    expect(r1.readings.pa!.detail).toBe('error rate high; latency p99');
    expect(src.alerts().map((a) => a.id).sort()).toEqual(['a-1', 'a-2', 'w-1']);

    s.send(alert('a-1', 'page', 'resolved'));
    await waitUntil(() => src.client.stats().lastSeq === seq);
    const r2 = await src.read([{ id: 'pa', key: PAGE_ALERTS_KEY }], ctx());
    expect(r2.readings.pa).toMatchObject({ value: 1 });
    expect(src.alerts().map((a) => a.id).sort()).toEqual(['a-2', 'w-1']);
    expect(events.map((e) => e.type)).toEqual(['alert', 'alert', 'alert', 'event', 'alert']);
  });

  it('@page_alerts with a feed that never connected is an error, not zero', async () => {
    const s = await startFeedServer();
    const url = s.url;
    await s.stop();
    const src = createWebsocketSource(cfg(url), {
      client: new FeedClient({ url, backoff: { baseMs: 5000 }, random: () => 0.5 }),
    });
    cleanups.push(() => src.close?.());
    const r = await src.read([{ id: 'pa', key: PAGE_ALERTS_KEY }, { id: 'k', key: 'x' }], ctx(300));
    expect(r.readings.pa).toMatchObject({ value: null, error: 'feed not connected' });
    expect(r.readings.k).toMatchObject({ value: null, error: 'no status "x" received yet' });
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/^feed not connected: .*ECONNREFUSED.*; retrying in \d+s$/);
  });

  it('close() answers a waiting read instead of leaving it hanging', async () => {
    const { src } = await setup();
    const pending = src.read([{ id: 'g', key: 'nope' }], { clock: systemClock, signal: new AbortController().signal });
    await new Promise((res) => setTimeout(res, 50));
    await src.close!();
    const r = await pending;
    expect(r.readings.g).toMatchObject({ value: null });
  });
});
