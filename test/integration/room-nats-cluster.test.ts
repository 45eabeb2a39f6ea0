/** A 3-node JetStream cluster (replicas 3) losing one node mid-window: no line lost, kill claims still work. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Ledger } from '../../src/audit/ledger.js';
import { systemClock } from '../../src/core/clock.js';
import { Room } from '../../src/room/room.js';
import { natsCluster, type NatsNode } from '../helpers/nats.js';
import { eventually } from '../helpers/e2e.js';

let nodes: NatsNode[];
let dir: string;
beforeAll(async () => {
  nodes = await natsCluster(3);
  dir = await mkdtemp(join(tmpdir(), 'warroom-cluster-'));
}, 30_000);
afterAll(async () => {
  for (const n of nodes) await n.destroy();
  await rm(dir, { recursive: true, force: true });
});

describe('the room on a 3-node cluster', () => {
  it('replicas 3; a node lost mid-window: every line reaches the stream once, and a kill claim still decides', async () => {
    const nats = { servers: nodes.map((n) => n.url), name: 'cl', room: 'cl', replicas: 3 };
    const ledger = await Ledger.open(dir, { deployment: 'cl', environment: 'e', lockAs: 'alice' });
    const a = new Room({ nats, deployment: 'cl', actor: 'alice', readOnly: false, clock: systemClock, secrets: [] });
    const b = new Room({ nats: { ...nats, servers: [...nats.servers].reverse() }, deployment: 'cl', actor: 'bob', readOnly: false, clock: systemClock, secrets: [] });
    await a.attachLedger(ledger);
    a.start();
    b.start();
    try {
      await eventually(() => a.current().state === 'online' && b.current().state === 'online', 30_000, `online (${a.current().lastError ?? ''} ${b.current().lastError ?? ''})`);
      for (let i = 0; i < 10; i++) ledger.append({ type: 'note', text: `before ${i}`, actor: 'alice' });
      await eventually(() => a.current().backlog === 0 && ledger.pending() === 0, 15_000, 'first lines out');

      await nodes[0]!.stop();
      for (let i = 0; i < 10; i++) ledger.append({ type: 'note', text: `during ${i}`, actor: 'alice' });
      await eventually(() => a.current().state === 'online' && a.current().backlog === 0 && ledger.pending() === 0, 30_000, `lines out with a node down (${a.current().state} ${a.current().backlog} ${a.current().lastError ?? ''})`);
      await eventually(() => b.current().state === 'online', 30_000, 'bob online');
      const key = `cl:entropy:${Date.now()}`;
      const [x, y] = await Promise.all([a.claimKill(key, 5000), b.claimKill(key, 5000)]);
      expect([x.outcome, y.outcome].sort()).toEqual(['lost', 'won']);

      const nc = await connect({ servers: nodes.slice(1).map((n) => n.url) });
      const jsm = await jetstreamManager(nc);
      const info = await jsm.streams.info('WARROOM_CL');
      expect(info.config.num_replicas).toBe(3);
      const hashes: string[] = [];
      for (let s = info.state.first_seq; s <= info.state.last_seq; s++) hashes.push((await jsm.streams.getMessage('WARROOM_CL', { seq: s }))!.json<{ hash: string }>().hash);
      await nc.close();
      expect(hashes).toEqual(ledger.lines().map((l) => l.hash));
    } finally {
      await a.stop(0);
      await b.stop(0);
      await ledger.close();
    }
  }, 120_000);
});
