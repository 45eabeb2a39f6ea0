/** config/nats/warroom.conf on a real nats-server: a console user works the room and cannot delete or purge its stream. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Ledger } from '../../src/audit/ledger.js';
import { systemClock } from '../../src/core/clock.js';
import { Room } from '../../src/room/room.js';
import { natsNode, type NatsNode } from '../helpers/nats.js';
import { eventually } from '../helpers/e2e.js';

const CONF = readFileSync(new URL('../../config/nats/warroom.conf', import.meta.url), 'utf8');
const PW = { ALICE_PASSWORD: 'alice-secret-pw', BOB_PASSWORD: 'bob-secret-pw', OPS_PASSWORD: 'ops-secret-pw' };
let node: NatsNode;
let dir: string;
const env = { ...process.env };

beforeAll(async () => {
  Object.assign(process.env, PW);
  node = await natsNode({ conf: (_p, d) => CONF.replace(/^port: .*$/m, '').replace(/store_dir: .*$/m, `store_dir: "${join(d, 'js')}"`) });
  await node.start();
  dir = await mkdtemp(join(tmpdir(), 'warroom-acl-'));
}, 20_000);
afterAll(async () => {
  for (const k of Object.keys(PW)) if (env[k] === undefined) delete process.env[k];
  await node.destroy();
  await rm(dir, { recursive: true, force: true });
});

const nats = (user: string, password: string) => ({ servers: [node.url], name: 'rl-policy-v42', room: 'rl_policy_v42', replicas: 1, user, password });

describe('config/nats/warroom.conf', () => {
  it('alice works the room (stream, ledger lines, kill claim, presence) but cannot delete, purge or reach another room', async () => {
    const ledger = await Ledger.open(dir, { deployment: 'rl-policy-v42', environment: 'e', lockAs: 'alice' });
    const room = new Room({ nats: nats('alice', PW.ALICE_PASSWORD), deployment: 'rl-policy-v42', actor: 'alice', readOnly: false, clock: systemClock, secrets: [PW.ALICE_PASSWORD] });
    await room.attachLedger(ledger);
    room.start();
    try {
      await eventually(() => room.current().state === 'online', 10_000, `online (${room.current().lastError ?? ''})`);
      ledger.append({ type: 'note', text: 'hello', actor: 'alice' });
      await eventually(() => room.current().backlog === 0 && ledger.pending() === 0, 5000, 'line out');
      expect((await room.claimKill('k-acl', 2000)).outcome).toBe('won');
      // A second console user joins the room alice's console created: it needs no right to create or update anything.
      const bob = new Room({ nats: nats('bob', PW.BOB_PASSWORD), deployment: 'rl-policy-v42', actor: 'bob', readOnly: false, clock: systemClock, secrets: [PW.BOB_PASSWORD] });
      bob.start();
      try {
        await eventually(() => bob.current().state === 'online', 10_000, `bob online (${bob.current().lastError ?? ''})`);
        expect(await bob.claimKill('k-acl', 2000)).toEqual({ outcome: 'lost', by: 'alice', self: false, key: 'k-acl' });
        await eventually(() => bob.current().people.length === 2, 10_000, `bob sees the room (${bob.current().lastError ?? ''})`);
      } finally {
        await bob.stop(0);
      }
      await eventually(() => room.current().people.some((p) => p.actor === 'alice'), 10_000, `presence (${room.current().lastError ?? ''})`);
      expect(room.current().lastError).toBeUndefined();
    } finally {
      await room.stop(0);
      await ledger.close();
    }

    const nc = await connect({ servers: node.url, user: 'alice', pass: PW.ALICE_PASSWORD });
    const jsm = await jetstreamManager(nc);
    expect((await jsm.streams.info('WARROOM_RL_POLICY_V42')).state.messages).toBe(1);
    await expect(jsm.streams.delete('WARROOM_RL_POLICY_V42')).rejects.toThrow(/permission|timeout|no responders/i);
    await expect(jsm.streams.purge('WARROOM_RL_POLICY_V42')).rejects.toThrow(/permission|timeout|no responders/i);
    await expect(jsm.streams.deleteMessage('WARROOM_RL_POLICY_V42', 1)).rejects.toThrow(/permission|timeout|no responders/i);
    const errs: string[] = [];
    void (async () => {
      for await (const s of nc.status()) if (s.type === 'error') errs.push(String((s as { error?: unknown }).error));
    })();
    nc.publish('warroom.other_room.room', 'x');
    await eventually(() => errs.some((e) => /permission/i.test(e) && /other_room/.test(e)), 5000, 'permission violation on another room');
    // Nor can alice write into bob's chain.
    nc.publish('warroom.rl_policy_v42.ledger.bob', '{}');
    await eventually(() => errs.some((e) => /permission/i.test(e) && /ledger\.bob/.test(e)), 5000, "permission violation on bob's ledger subject");
    await nc.close();

    // Still there, with its line: the operator (every right) sees it.
    const ops = await connect({ servers: node.url, user: 'ops', pass: PW.OPS_PASSWORD });
    expect((await (await jetstreamManager(ops)).streams.info('WARROOM_RL_POLICY_V42')).state.messages).toBe(1);
    // (bob's console wrote no ledger line here, and alice's forged one never got in.)
    await ops.close();
  }, 60_000);
});
