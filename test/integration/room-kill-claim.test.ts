/**
 * A kill pressed by hand claims the room's key (real nats-server -js): the bucket before is read
 * too, so presses either side of a bucket's edge send one kill; a console's own earlier claim
 * lets it retry; an old claim in the bucket before does not hold a new kill back; and a room
 * that is gone answers `unreachable` (the console sends anyway). An armed claim's `y` answers
 * `won` only once the key says `sent`: a take-over can no longer land between the two.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { systemClock } from '../../src/core/clock.js';
import { roomToken } from '../../src/config/sections/roomNats.js';
import { Room } from '../../src/room/room.js';
import { killKey, roomNames } from '../../src/room/names.js';
import { manualKillKeys, MANUAL_KILL_BUCKET_MS, SAME_MOMENT_MS } from '../../src/acts/roomKillClaim.js';
import { natsNode, type NatsNode } from '../helpers/nats.js';
import { eventually } from '../helpers/e2e.js';

const DEPLOY = 'rl-hand-kill';
let node: NatsNode;
const rooms: Room[] = [];
beforeAll(async () => {
  node = await natsNode();
  await node.start();
}, 20_000);
afterAll(async () => {
  for (const r of rooms) await r.stop(0).catch(() => {});
  await node.destroy();
});

async function room(actor: string): Promise<Room> {
  const r = new Room({ nats: { servers: [node.url], name: DEPLOY, room: roomToken(DEPLOY), replicas: 1 }, deployment: DEPLOY, actor, readOnly: false, clock: systemClock, secrets: [] });
  rooms.push(r);
  r.start();
  await eventually(() => r.current().state === 'online', 10_000, `${actor} online`);
  return r;
}

describe('kill claims by hand', () => {
  it('same moment: one wins; across a bucket edge the later one stands down for the earlier; its own claim lets a console retry', async () => {
    const [a, b] = [await room('alice'), await room('bob')];
    const t = 1_000 * MANUAL_KILL_BUCKET_MS;
    const k0 = manualKillKeys(DEPLOY, t - 1);
    const k1 = manualKillKeys(DEPLOY, t + 1);
    expect(k1.prev).toBe(k0.key);
    expect(manualKillKeys(DEPLOY, t + 2).key).toBe(k1.key);

    const [x, y] = await Promise.all([a.claimKill(k0.key, 2000, { key: k0.prev, withinMs: SAME_MOMENT_MS }), b.claimKill(k0.key, 2000, { key: k0.prev, withinMs: SAME_MOMENT_MS })]);
    expect([x.outcome, y.outcome].sort()).toEqual(['lost', 'won']);
    const winner = x.outcome === 'won' ? 'alice' : 'bob';
    expect([x, y].find((c) => c.outcome === 'lost')).toMatchObject({ by: winner, self: false, key: k0.key });

    // Just past the edge: bob's key of the next bucket is free, but the earlier kill (seconds ago) is the room's.
    const later = winner === 'alice' ? b : a;
    expect(await later.claimKill(k1.key, 2000, { key: k1.prev, withinMs: SAME_MOMENT_MS })).toEqual({ outcome: 'lost', by: winner, self: false, key: k0.key });
    // The winner pressing again (a retry after a failure): its own claim, so it sends.
    const again = winner === 'alice' ? a : b;
    expect(await again.claimKill(k0.key, 2000)).toMatchObject({ outcome: 'lost', self: true });
  }, 30_000);

  it('an older claim (of the bucket before, or of the key itself) does not hold a new kill back; of two taking over a key, one wins', async () => {
    const [a, b, c] = [await room('carol'), await room('dave'), await room('frank')];
    expect((await a.claimKill('old-key', 2000)).outcome).toBe('won');
    await new Promise((r) => setTimeout(r, 50));
    expect(await b.claimKill('new-key', 2000, { key: 'old-key', withinMs: 10 })).toEqual({ outcome: 'won' });
    // The same key, claimed long ago by carol: dave and frank take it over together, one of them wins.
    const [x, y] = await Promise.all([b.claimKill('old-key', 2000, { key: 'none', withinMs: 10 }), c.claimKill('old-key', 2000, { key: 'none', withinMs: 10 })]);
    expect([x.outcome, y.outcome].sort()).toEqual(['lost', 'won']);
    expect([x, y].find((o) => o.outcome === 'lost')).toMatchObject({ by: x.outcome === 'won' ? 'dave' : 'frank', self: false });
    // Within the window the claim holds.
    expect(await a.claimKill('old-key', 2000, { key: 'none', withinMs: 60_000 })).toMatchObject({ outcome: 'lost', self: false });
  }, 30_000);

  it('claimed at the confirm: y turns the claim made then to sent; a confirm left open is taken over by the one who sends, and knows it', async () => {
    const [a, b] = [await room('gina'), await room('hal')];
    // gina opens the confirm first; hal's confirm opens after: hal's claim finds gina's, only armed.
    const ga = a.armKill('armed-key');
    await new Promise((r) => setTimeout(r, 100));
    const hb = b.armKill('armed-key');
    await new Promise((r) => setTimeout(r, 100));
    // hal presses y first: gina is still reading her confirm, so hal takes the key and sends.
    expect(await hb.fire(2000)).toEqual({ outcome: 'won' });
    // gina's y after that: her console saw the take-over and follows hal's kill instead of sending a second.
    await new Promise((r) => setTimeout(r, 100));
    expect(await ga.fire(2000)).toEqual({ outcome: 'lost', by: 'hal', self: false, key: 'armed-key' });
    // A third press of the same moment finds a kill that is out.
    expect(await a.claimKill('armed-key', 2000)).toMatchObject({ outcome: 'lost', by: 'hal' });
  }, 30_000);

  it('two confirms open, y on both at once: one sends, the other follows it', async () => {
    const [a, b] = [await room('kate'), await room('leo')];
    const x = a.armKill('together-key');
    await new Promise((r) => setTimeout(r, 100));
    const y = b.armKill('together-key');
    await new Promise((r) => setTimeout(r, 100));
    const [p, q] = await Promise.all([x.fire(2000), y.fire(2000)]);
    expect([p.outcome, q.outcome].sort()).toEqual(['lost', 'won']);
    expect([p, q].find((o) => o.outcome === 'lost')).toMatchObject({ by: p.outcome === 'won' ? 'kate' : 'leo', self: false });
  }, 30_000);

  it('y answers won only after the key turned sent: a take-over of the armed revision then fails, and a take-over before y makes it stand down', async () => {
    const a = await room('mia');
    const nc = await connect({ servers: node.url });
    try {
      const kv = await new Kvm(jetstream(nc)).open(roomNames({ room: roomToken(DEPLOY) }).bucket);
      const k = killKey('cas-key');
      const x = a.armKill('cas-key');
      await eventually(async () => (await kv.get(k))?.operation === 'PUT', 5_000, 'armed claim');
      const armed = (await kv.get(k))!;
      expect(armed.json<{ state: string }>().state).toBe('armed');
      expect(await x.fire(2000)).toEqual({ outcome: 'won' });
      // What ned's console does after its grace: compare-and-set on the armed revision. Too late.
      const took = await kv.update(k, JSON.stringify({ actor: 'ned', run: 'other', state: 'sent' }), armed.revision).then(() => true, () => false);
      expect(took).toBe(false);
      expect((await kv.get(k))!.json<{ actor: string; state: string }>()).toMatchObject({ actor: 'mia', state: 'sent' });

      // The other order: the armed revision taken over before mia's y (no watch event needed): she stands down.
      const y = a.armKill('cas-key-2');
      const k2 = killKey('cas-key-2');
      await eventually(async () => (await kv.get(k2))?.operation === 'PUT', 5_000, 'armed claim 2');
      const armed2 = (await kv.get(k2))!;
      await kv.update(k2, JSON.stringify({ actor: 'ned', run: 'other', state: 'sent', at: new Date().toISOString() }), armed2.revision);
      expect(await y.fire(2000)).toEqual({ outcome: 'lost', by: 'ned', self: false, key: 'cas-key-2' });
    } finally {
      await nc.close();
    }
  }, 30_000);

  it('a cancelled confirm gives its claim back; a fired one leaves a sent claim the next press follows', async () => {
    const [a, b] = [await room('ivan'), await room('judy')];
    const x = a.armKill('cancel-key');
    await new Promise((r) => setTimeout(r, 100));
    x.disarm();
    await new Promise((r) => setTimeout(r, 100));
    expect(await b.claimKill('cancel-key', 2000)).toEqual({ outcome: 'won' });

    const y = a.armKill('fire-key');
    await new Promise((r) => setTimeout(r, 100));
    expect(await y.fire(2000)).toEqual({ outcome: 'won' });
    await new Promise((r) => setTimeout(r, 100));
    const z = b.armKill('fire-key');
    expect(await z.fire(2000)).toEqual({ outcome: 'lost', by: 'ivan', self: false, key: 'fire-key' });
  }, 30_000);

  it('the room gone: unreachable, so the console sends anyway', async () => {
    const a = await room('erin');
    await node.stop();
    await eventually(() => a.current().state === 'offline', 10_000, 'offline');
    expect((await a.claimKill('gone-key')).outcome).toBe('unreachable');
    // A confirm opened while the room was gone claims at y instead, once the room is back.
    const x = a.armKill('back-key');
    await node.start();
    await eventually(() => a.current().state === 'online', 10_000, 'online again');
    expect(await x.fire(2000)).toEqual({ outcome: 'won' });
    expect(await (await room('fred')).claimKill('back-key', 2000)).toMatchObject({ outcome: 'lost', by: 'erin' });
  }, 30_000);
});
