import { describe, it, expect, afterEach } from 'vitest';
import { FeedClient } from '../../src/feed/client.js';
import type { FeedClientOptions, FeedStats } from '../../src/feed/client.js';
import type { FeedMessage } from '../../src/feed/protocol.js';
import { FakeClock } from '../../src/core/clock.js';
import { startFeedServer, waitUntil } from '../helpers/feedServer.js';
import type { FeedServer } from '../helpers/feedServer.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function server(opts?: Parameters<typeof startFeedServer>[0]): Promise<FeedServer> {
  const s = await startFeedServer(opts);
  cleanups.push(() => s.stop());
  return s;
}

function client(url: string, opts: Partial<FeedClientOptions> = {}) {
  const c = new FeedClient({ url, backoff: { baseMs: 50, capMs: 200 }, ...opts });
  const messages: FeedMessage[] = [];
  const gaps: [number, number, number][] = [];
  c.on('message', (m) => messages.push(m));
  c.on('gap', (g) => gaps.push([g.missed, g.from, g.to]));
  cleanups.push(() => c.stop());
  return { c, messages, gaps };
}

const T0 = Date.parse('2026-11-23T14:00:00Z');
const ts = (sec: number) => new Date(T0 + sec * 1000).toISOString();
const ev = (seq: number, text = `e${seq}`, sec = seq) => ({ type: 'event', seq, ts: ts(sec), text });
const resumes = (s: FeedServer) => s.received.filter((m) => (m as { type?: string }).type === 'resume');
const isOpen = (c: FeedClient) => c.stats().state === 'open';

describe('FeedClient against a real ws server', () => {
  it('connects, sends resume after 0, delivers messages in order, sends configured headers', async () => {
    const s = await server();
    const { c, messages } = client(s.url, { headers: { Authorization: 'Bearer t0k' } });
    c.start();
    await s.waitFor((m) => (m as { type?: string }).type === 'resume');
    expect(resumes(s)).toEqual([{ type: 'resume', after: 0 }]);
    expect(s.requestHeaders[0]!.authorization).toBe('Bearer t0k');
    s.send(ev(1));
    s.send(ev(2));
    s.send(ev(3));
    await waitUntil(() => messages.length === 3, 3000, '3 messages');
    expect(messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(c.stats()).toMatchObject({ state: 'open', lastSeq: 3, dropped: 0, missed: 0 });
  });

  it('server killed and restarted on the same port: reconnects and resumes after the last seq; replays are ignored', async () => {
    const s = await server();
    const { c, messages } = client(s.url);
    c.start();
    await waitUntil(() => s.clients() === 1, 3000, 'connection');
    for (const n of [1, 2, 3]) s.send(ev(n));
    await waitUntil(() => messages.length === 3, 3000, '3 messages');

    await s.kill();
    await waitUntil(() => !isOpen(c), 3000, 'client to see the close');
    expect(c.stats().disconnectedAt).toBeTypeOf('number');
    await s.restart();
    await waitUntil(() => resumes(s).length === 2, 5000, 'second resume');
    expect(resumes(s)[1]).toEqual({ type: 'resume', after: 3 });
    expect(c.stats().reconnects).toBeGreaterThanOrEqual(1);

    // A server that replays what we already have: duplicates are ignored, new ones delivered.
    s.send(ev(2));
    s.send(ev(3));
    s.send(ev(4));
    await waitUntil(() => messages.length === 4, 3000, 'message 4');
    await new Promise((r) => setTimeout(r, 50));
    expect(messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(c.stats()).toMatchObject({ duplicates: 2, missed: 0, serverRestarts: 0, lastSeq: 4 });
  });

  it('counts a gap in seq and reports it', async () => {
    const s = await server();
    const { c, messages, gaps } = client(s.url);
    c.start();
    await waitUntil(() => s.clients() === 1);
    s.send(ev(10)); // first message ever: history before we joined is not "missed"
    s.send(ev(11));
    s.send(ev(15));
    await waitUntil(() => messages.length === 3);
    expect(gaps).toEqual([[3, 12, 14]]);
    expect(c.stats().missed).toBe(3);
  });

  it('recognises a restarted server (seq 1 again, newer ts) but not a full replay of old messages', async () => {
    const s = await server();
    const { c, messages, gaps } = client(s.url);
    c.start();
    await waitUntil(() => s.clients() === 1);
    for (const n of [1, 2, 3, 4, 5]) s.send(ev(n));
    await waitUntil(() => messages.length === 5);

    // Reconnect #1: server ignores resume and replays everything from seq 1 (same ts): duplicates.
    await s.kill();
    await s.restart();
    await waitUntil(() => resumes(s).length === 2, 5000, 'resume 2');
    for (const n of [1, 2, 3, 4, 5]) s.send(ev(n));
    s.send(ev(6));
    await waitUntil(() => messages.length === 6);
    expect(c.stats()).toMatchObject({ serverRestarts: 0, duplicates: 5, lastSeq: 6 });

    // Reconnect #2: a new server process starts its sequence over, with newer timestamps.
    await s.kill();
    await s.restart();
    await waitUntil(() => resumes(s).length === 3, 5000, 'resume 3');
    expect(resumes(s)[2]).toEqual({ type: 'resume', after: 6 });
    s.send(ev(1, 'fresh-1', 100));
    s.send(ev(2, 'fresh-2', 101));
    await waitUntil(() => messages.length === 8);
    expect(messages.slice(6).map((m) => (m as { text: string }).text)).toEqual(['fresh-1', 'fresh-2']);
    expect(c.stats()).toMatchObject({ serverRestarts: 1, lastSeq: 2, missed: 0 });
    expect(gaps).toEqual([]);

    // Within one connection, going backwards is never a restart.
    s.send(ev(1, 'old', 200));
    s.send(ev(3, 'fresh-3', 102));
    await waitUntil(() => messages.length === 9);
    expect((messages[8] as { text: string }).text).toBe('fresh-3');
    expect(c.stats().serverRestarts).toBe(1);
  });

  it('drops and counts garbage frames by reason; the connection stays usable', async () => {
    const s = await server();
    const { c, messages } = client(s.url);
    const states: FeedStats[] = [];
    c.on('state', (st) => states.push(st));
    c.start();
    await waitUntil(() => s.clients() === 1);
    s.send('this is not json {');
    s.send({ type: 'bogus', seq: 1, ts: ts(1) });
    s.send({ type: 'status', seq: 2, ts: ts(2), value: true }); // missing key
    s.send({ type: 'event', seq: 3 }); // missing ts and text
    s.send(JSON.stringify({ type: 'event', seq: 4, ts: ts(4), text: 'x'.repeat(70 * 1024) }));
    s.send([1, 2, 3]);
    s.sendRaw(Buffer.from(JSON.stringify(ev(5))), { binary: true });
    s.send({ type: 'event', seq: -1, ts: ts(1), text: 'negative seq' });
    s.send(ev(6, 'still alive'));
    await waitUntil(() => messages.length === 1, 3000, 'the valid message');
    expect((messages[0] as { text: string }).text).toBe('still alive');
    const st = c.stats();
    expect(st.droppedByReason).toEqual({ not_json: 1, unknown_type: 1, invalid: 2, not_object: 1, oversize: 1, binary: 1, bad_seq: 1 });
    expect(st.dropped).toBe(8);
    expect(st.reconnects).toBe(0);
    expect(st.state).toBe('open');
    expect(states.at(-1)!.dropped).toBe(8);
  });

  it('a 10 MB frame is counted and dropped without taking the client down', async () => {
    const s = await server();
    const { c, messages } = client(s.url);
    c.start();
    await waitUntil(() => s.clients() === 1);
    s.sendRaw('{"type":"event","seq":1,"ts":"x","text":"' + 'a'.repeat(10 * 1024 * 1024) + '"}');
    s.send(ev(2, 'after the big one'));
    await waitUntil(() => messages.length === 1, 5000, 'message after the big frame');
    expect(c.stats()).toMatchObject({ state: 'open', reconnects: 0, droppedByReason: { oversize: 1 } });
  });

  it('a frame above maxPayload closes the socket (1009), is counted, and the client reconnects and resumes', async () => {
    const s = await server();
    const { c, messages } = client(s.url, { maxPayloadBytes: 128 * 1024 });
    c.start();
    await waitUntil(() => s.clients() === 1);
    s.send(ev(1));
    await waitUntil(() => messages.length === 1);
    s.sendRaw('x'.repeat(256 * 1024));
    await waitUntil(() => resumes(s).length === 2, 5000, 'reconnect after 1009');
    expect(resumes(s)[1]).toEqual({ type: 'resume', after: 1 });
    expect(c.stats().droppedByReason.oversize).toBe(1);
    expect(c.stats().lastError).toMatch(/payload|too large/i);
    await waitUntil(() => isOpen(c));
    s.send(ev(2));
    await waitUntil(() => messages.length === 2);
  });

  it('strips terminal escape sequences from every displayed string field', async () => {
    const s = await server();
    const { c, messages } = client(s.url);
    c.start();
    await waitUntil(() => s.clients() === 1);
    s.send({ type: 'status', seq: 1, ts: ts(1), key: 'k\u001b[31m1', value: 'v\u001b[2J', detail: 'build\u001b[2J 1234' });
    s.send({
      type: 'alert', seq: 2, ts: ts(2), id: 'a\u00071', severity: 'page', state: 'firing',
      summary: '\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007 me',
    });
    s.send({ type: 'event', seq: 3, ts: ts(3), text: '\u001b]0;pwned title\u0007canary ok\u009b2J', actor: 'b\u001b[1mob' });
    s.send({ type: 'influence', seq: 4, ts: ts(4), pct: 10, actor: 'bob', reason: 'stage\r\u001bc 1' });
    await waitUntil(() => messages.length === 4);
    const [st, al, evm, inf] = messages as unknown as Record<string, unknown>[];
    expect(st).toMatchObject({ key: 'k1', value: 'v', detail: 'build 1234' });
    expect(al).toMatchObject({ id: 'a1', summary: 'click me' });
    expect(evm).toMatchObject({ text: 'canary ok', actor: 'bob' });
    expect(inf).toMatchObject({ reason: 'stage 1', pct: 10 });
    expect(JSON.stringify(messages)).not.toMatch(/\\u001b|\\u0007|\\u009b/);
  });

  it('detects a dead peer (no pongs) within pongTimeout and reconnects', async () => {
    const s = await server({ autoPong: false });
    const { c } = client(s.url, { pingIntervalMs: 50, pongTimeoutMs: 300 });
    c.start();
    await waitUntil(() => isOpen(c));
    const openedAt = Date.now();
    await waitUntil(() => c.stats().reconnects >= 1, 3000, 'reconnect after dead peer');
    expect(Date.now() - openedAt).toBeLessThan(1500);
    expect(c.stats().lastError).toMatch(/no pong/);
    await waitUntil(() => resumes(s).length >= 2, 3000, 'resume after reconnect');
  });

  it('a live peer that answers pings is kept', async () => {
    const s = await server();
    const { c } = client(s.url, { pingIntervalMs: 50, pongTimeoutMs: 300 });
    c.start();
    await waitUntil(() => isOpen(c));
    await new Promise((r) => setTimeout(r, 800));
    expect(c.stats()).toMatchObject({ state: 'open', reconnects: 0 });
  });

  it('publish reaches the server while open (ts added) and returns false while closed', async () => {
    const s = await server();
    const { c } = client(s.url);
    expect(c.publish({ type: 'event', text: 'before start' })).toBe(false);
    c.start();
    await waitUntil(() => isOpen(c));
    expect(c.publish({ type: 'ack', role: 'on_call', actor: 'bob' })).toBe(true);
    expect(c.publish({ type: 'decision', decision: 'GO', actor: 'alice', id: 'd1', ts: '2026-11-23T15:00:00Z' })).toBe(true);
    const ack = (await s.waitFor((m) => (m as { type?: string }).type === 'ack')) as Record<string, unknown>;
    expect(ack).toMatchObject({ type: 'ack', role: 'on_call', actor: 'bob' });
    expect(Number.isNaN(Date.parse(ack.ts as string))).toBe(false);
    expect(ack.seq).toBeUndefined();
    await s.waitFor((m) => (m as { ts?: string }).ts === '2026-11-23T15:00:00Z');
    await s.kill();
    await waitUntil(() => !isOpen(c));
    expect(c.publish({ type: 'event', text: 'while down' })).toBe(false);
  });

  it('stop() closes the connection and never reconnects', async () => {
    const s = await server();
    const { c } = client(s.url);
    c.start();
    await waitUntil(() => s.clients() === 1);
    await c.stop();
    await waitUntil(() => s.clients() === 0);
    await new Promise((r) => setTimeout(r, 300));
    expect(s.clients()).toBe(0);
    expect(resumes(s)).toHaveLength(1);
    expect(c.stats().state).toBe('closed');
  });

  it('retries a refused connection with backoff on the injected clock (first retry < 1 s)', async () => {
    const s = await server();
    const port = s.port;
    await s.kill();
    const clock = new FakeClock();
    const { c } = client(`ws://127.0.0.1:${port}/status`, { clock, random: () => 0.999999, backoff: {} });
    c.start();
    await waitUntil(() => c.stats().nextRetryAt !== undefined, 3000, 'first failure');
    expect(c.stats().lastError).toMatch(/ECONNREFUSED/);
    expect(c.stats().nextRetryAt! - clock.now()).toBe(499);
    clock.advance(499);
    expect(c.stats()).toMatchObject({ state: 'connecting', reconnects: 1 });
    await waitUntil(() => c.stats().nextRetryAt !== undefined, 3000, 'second failure');
    expect(c.stats().nextRetryAt! - clock.now()).toBe(999);
    // Server back: the next retry connects and resumes.
    await s.restart();
    clock.advance(999);
    await waitUntil(() => isOpen(c), 3000, 'open');
    expect(resumes(s)).toEqual([{ type: 'resume', after: 0 }]);
    // Stable for 10 s of clock time, then dropped: the first retry is fast again.
    clock.advance(10_000);
    await s.kill();
    await waitUntil(() => c.stats().nextRetryAt !== undefined, 3000, 'close after stable');
    expect(c.stats().nextRetryAt! - clock.now()).toBe(499);
  });

  it('an invalid URL is reported, not thrown', () => {
    const { c } = client('not a url');
    expect(() => c.start()).not.toThrow();
    expect(c.stats().state).toBe('closed');
    expect(c.stats().lastError).toMatch(/invalid feed URL/);
  });
});
