/** The room on a real nats-server: backlog to the stream, room frames, kill claims, presence and speaker. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Ledger } from '../../src/audit/ledger.js';
import { systemClock } from '../../src/core/clock.js';
import { roomToken } from '../../src/config/sections/roomNats.js';
import { Room } from '../../src/room/room.js';
import { natsNode, type NatsNode } from '../helpers/nats.js';
import { eventually } from '../helpers/e2e.js';

const DEPLOY = 'rl policy.v42';
let node: NatsNode;
const dirs: string[] = [];
const rooms: Room[] = [];

beforeAll(async () => {
  node = await natsNode();
  await node.start();
}, 20_000);
afterAll(async () => {
  for (const r of rooms) await r.stop(0).catch(() => {});
  await node.destroy();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const nats = () => ({ servers: [node.url], name: DEPLOY, room: roomToken(DEPLOY), replicas: 1 });
function room(actor: string, over: Partial<{ readOnly: boolean }> = {}): Room {
  const r = new Room({ nats: nats(), deployment: DEPLOY, actor, readOnly: over.readOnly ?? false, clock: systemClock, secrets: [] });
  rooms.push(r);
  r.start();
  return r;
}
async function ledgerIn(actor: string, dir?: string): Promise<{ ledger: Ledger; dir: string }> {
  const d = dir ?? (await mkdtemp(join(tmpdir(), 'warroom-room-')));
  if (!dir) dirs.push(d);
  return { ledger: await Ledger.open(d, { deployment: DEPLOY, environment: 'production', lockAs: actor }), dir: d };
}
async function streamLines(subjectActor: string): Promise<{ hash: string; seq: number }[]> {
  const nc = await connect({ servers: node.url });
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info('WARROOM_RL_POLICY_V42');
  const out: { hash: string; seq: number }[] = [];
  for (let s = info.state.first_seq; s <= info.state.last_seq && info.state.messages > 0; s++) {
    const m = await jsm.streams.getMessage('WARROOM_RL_POLICY_V42', { seq: s }).catch(() => null);
    if (m && m.subject.endsWith(`.ledger.${subjectActor}`)) out.push(m.json<{ hash: string; seq: number }>());
  }
  await nc.close();
  return out;
}
const online = (r: Room) => eventually(() => r.current().state === 'online', 10_000, 'room online');

describe('room on NATS JetStream', () => {
  it('creates the stream (deny delete/purge, 2 min dedupe, file storage) and publishes every line once, in order', async () => {
    const a = room('alice');
    const { ledger } = await ledgerIn('alice');
    await a.attachLedger(ledger);
    await online(a);
    for (let i = 0; i < 5; i++) ledger.append({ type: 'note', text: `n${i}`, actor: 'alice' });
    await ledger.flush();
    await eventually(() => a.current().backlog === 0, 5000, 'backlog empty');
    const nc = await connect({ servers: node.url });
    const info = await (await jetstreamManager(nc)).streams.info('WARROOM_RL_POLICY_V42');
    await nc.close();
    expect(info.config).toMatchObject({ deny_delete: true, deny_purge: true, storage: 'file', num_replicas: 1, subjects: ['warroom.rl_policy_v42.ledger.>'] });
    expect(info.config.duplicate_window).toBeGreaterThanOrEqual(120e9);
    const got = await streamLines('alice');
    expect(got.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(got.map((l) => l.hash)).toEqual(ledger.lines().map((l) => l.hash));
    await ledger.close();
  });

  it('server stopped: lines written offline, and before a quit while offline, reach the stream once after it returns', async () => {
    const b = room('bob');
    const { ledger, dir } = await ledgerIn('bob');
    await b.attachLedger(ledger);
    await online(b);
    ledger.append({ type: 'note', text: 'before', actor: 'bob' });
    await eventually(() => b.current().backlog === 0 && ledger.pending() === 0, 5000, 'first line out');
    await node.stop();
    await eventually(() => b.current().state === 'offline', 10_000, 'offline');
    ledger.append({ type: 'note', text: 'offline 1', actor: 'bob' });
    ledger.append({ type: 'note', text: 'offline 2', actor: 'bob' });
    await ledger.flush();
    await eventually(() => b.current().backlog === 2, 2000, 'backlog 2');
    // Quit while offline: the cursor stays at the first line.
    await b.stop(0);
    await ledger.close();
    await node.start();
    const again = await ledgerIn('bob', dir);
    again.ledger.append({ type: 'note', text: 'after restart', actor: 'bob' });
    const b2 = room('bob');
    await b2.attachLedger(again.ledger);
    await online(b2);
    await eventually(() => b2.current().backlog === 0, 10_000, 'backlog drained');
    const got = await streamLines('bob');
    expect(got.map((l) => l.seq)).toEqual([1, 2, 3, 4]);
    // Reconnect again: nothing doubled.
    await node.stop();
    await eventually(() => b2.current().state === 'offline', 10_000, 'offline again');
    await node.start();
    await online(b2);
    await new Promise((r) => setTimeout(r, 500));
    expect((await streamLines('bob')).map((l) => l.seq)).toEqual([1, 2, 3, 4]);
    await again.ledger.close();
  }, 60_000);

  it('one kill per room: of two claims exactly one wins, the other names who sent it', async () => {
    const a = room('alice');
    const c = room('carol');
    await online(a);
    await online(c);
    const key = `rl-policy-v42:q_spread:${Date.now()}`;
    const [x, y] = await Promise.all([a.claimKill(key, 2000), c.claimKill(key, 2000)]);
    const outcomes = [x.outcome, y.outcome].sort();
    expect(outcomes).toEqual(['lost', 'won']);
    const lost = [x, y].find((o) => o.outcome === 'lost') as { by: string };
    expect(['alice', 'carol']).toContain(lost.by);
    expect(lost.by).toBe(x.outcome === 'won' ? 'alice' : 'carol');
  }, 20_000);

  it('room frames reach the other console; a hostile actor name never reaches a subject unescaped', async () => {
    const hostile = 'mallory.>*\u001b[2J x';
    const a = room(hostile);
    const d = room('dave');
    await online(a);
    await online(d);
    expect(a.names.ledgerSubject(hostile)).toBe('warroom.rl_policy_v42.ledger.mallory=2E=3E=2A=1B=5B2J=20x');
    const got: unknown[] = [];
    d.on('frame', (f) => got.push(f));
    await new Promise((r) => setTimeout(r, 200));
    a.publish({ type: 'event', ts: new Date().toISOString(), text: 'hello room', actor: hostile });
    await eventually(() => got.length === 1, 5000, 'frame arrives');
    expect(got[0]).toMatchObject({ type: 'event', text: 'hello room', deployment: DEPLOY, origin: { actor: hostile } });
  }, 20_000);

  it('bad input on the room subject is dropped and counted: not JSON, unknown type, another deployment, a replay', async () => {
    const e = room('erin');
    await online(e);
    const drops: string[] = [];
    e.on('drop', (x) => drops.push(x.reason));
    const nc = await connect({ servers: node.url });
    const subj = e.names.roomSubject;
    const origin = { actor: 'x', host: 'h', run: 'r1' };
    nc.publish(subj, 'not json{');
    nc.publish(subj, JSON.stringify({ type: 'bogus', seq: 1, ts: 't', deployment: DEPLOY, origin }));
    nc.publish(subj, JSON.stringify({ type: 'event', seq: 1, ts: 't', text: 'x', deployment: 'other', origin }));
    nc.publish(subj, JSON.stringify({ type: 'event', seq: 2, ts: 't', text: 'ok', deployment: DEPLOY, origin }));
    nc.publish(subj, JSON.stringify({ type: 'event', seq: 2, ts: 't', text: 'again', deployment: DEPLOY, origin }));
    nc.publish(subj, JSON.stringify({ type: 'event', seq: 3, ts: 't', text: 'x'.repeat(70_000), deployment: DEPLOY, origin }));
    await nc.flush();
    await eventually(() => drops.length === 5, 5000, 'five drops');
    await nc.close();
    expect(drops.sort()).toEqual(['not_json', 'other_deployment', 'oversize', 'replayed', 'unknown_type']);
    expect(e.current().dropped).toBe(5);
  }, 20_000);

  it('presence names the room; exactly one writer holds the speaker key', async () => {
    const f = room('frank');
    const g = room('grace', { readOnly: true });
    await online(f);
    await online(g);
    await eventually(() => f.current().people.some((p) => p.actor === 'grace') && g.current().people.some((p) => p.actor === 'frank'), 15_000, 'presence');
    expect(g.current().people.find((p) => p.actor === 'grace')?.readOnly).toBe(true);
    expect(g.isSpeaker()).toBe(false);
    // A console that quit while offline left its key: it expires, and one of the living takes over within 20 s.
    const speakers = () => rooms.filter((r) => r.current().state === 'online' && r.isSpeaker());
    await eventually(() => speakers().length === 1, 21_000, 'one speaker');
    expect(speakers()[0]!.current().speaker).toBe(speakers()[0]!.origin.actor);
    // The server restarts: the speaker takes its own key back at once, not after it expires.
    const was = speakers()[0]!;
    await node.stop();
    await eventually(() => was.current().state === 'offline', 10_000, 'offline');
    await node.start();
    await eventually(() => was.current().state === 'online', 10_000, 'online again');
    await eventually(() => was.isSpeaker(), 7_000, 'the same speaker within one renewal');
    expect(speakers()).toEqual([was]);
  }, 60_000);
});
