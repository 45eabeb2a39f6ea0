/**
 * `check --room --dir DIR` through the real binary against a real nats-server -js: the room's
 * stream and a local audit dir are both read; a sign-off only in the dir counts beside one only
 * on the stream, and a line in both (published from the dir's ledger) counts once, by its hash.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ledger } from '../../src/audit/ledger.js';
import { systemClock } from '../../src/core/clock.js';
import { roomToken } from '../../src/config/sections/roomNats.js';
import { Room } from '../../src/room/room.js';
import { runCli } from '../helpers/cli.js';
import { eventually } from '../helpers/e2e.js';
import { natsNode, type NatsNode } from '../helpers/nats.js';

const DEPLOY = 'rl-check-dir';
let node: NatsNode;
let dir: string;
beforeAll(async () => {
  node = await natsNode();
  await node.start();
  dir = await mkdtemp(join(tmpdir(), 'warroom-check-dir-'));
}, 20_000);
afterAll(async () => {
  await node.destroy();
  await rm(dir, { recursive: true, force: true });
});

const config = (auditDir: string) => `version: 1
deployment: { name: ${DEPLOY}, environment: production }
audit: { dir: ${auditDir} }
roles: { on_call: [alice, bob] }
room: { nats: { servers: "${node.url}" } }
gates:
  - { id: a_ack, title: A ack, group: Readiness, source: manual, signoff_role: on_call }
  - { id: b_ack, title: B ack, group: Readiness, source: manual, signoff_role: on_call }
`;

type Check = { criteria: { id: string; status: string }[] };
const statusOf = (out: string, id: string) => (JSON.parse(out) as Check).criteria.find((c) => c.id === id)?.status;

describe('check --room --dir', () => {
  it('reads both; a line in both counts once', async () => {
    const dirA = join(dir, 'a');
    const dirB = join(dir, 'b');
    // alice's ledger goes to the room's stream; bob's stays on his machine.
    const a = await Ledger.open(dirA, { deployment: DEPLOY, environment: 'production', lockAs: 'alice' });
    a.append({ type: 'signoff', role: 'on_call', gate: 'a_ack', actor: 'alice' } as never);
    const room = new Room({ nats: { servers: [node.url], name: DEPLOY, room: roomToken(DEPLOY), replicas: 1 }, deployment: DEPLOY, actor: 'alice', readOnly: false, clock: systemClock, secrets: [] });
    await room.attachLedger(a);
    room.start();
    await eventually(() => room.current().state === 'online' && room.current().backlog === 0, 10_000, 'alice on the stream');
    await room.stop();
    const b = await Ledger.open(dirB, { deployment: DEPLOY, environment: 'production', lockAs: 'bob' });
    b.append({ type: 'signoff', role: 'on_call', gate: 'b_ack', actor: 'bob' } as never);
    const cfg = join(dir, 'warroom.yaml');
    await writeFile(cfg, config(join(dir, 'none')));

    const only = await runCli(['check', '--room', '--config', cfg, '--format', 'json']);
    expect(only.code, only.stderr).toBe(0);
    expect(statusOf(only.stdout, 'a_ack')).toBe('PASS');
    expect(statusOf(only.stdout, 'b_ack')).not.toBe('PASS');

    const both = await runCli(['check', '--room', '--dir', dirB, '--config', cfg, '--format', 'json']);
    expect(both.code, both.stderr).toBe(0);
    expect(statusOf(both.stdout, 'a_ack')).toBe('PASS');
    expect(statusOf(both.stdout, 'b_ack')).toBe('PASS');
    expect(both.stderr).toMatch(/2 sign-off\(s\) and 0 waiver\(s\) counted/);

    // alice's dir holds the very lines the stream has: counted once.
    const same = await runCli(['check', '--room', '--dir', dirA, '--config', cfg, '--format', 'json']);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stderr).toMatch(/1 sign-off\(s\) and 0 waiver\(s\) counted/);
    const n = a.lines().length;
    expect(same.stderr).toContain(`read ${n} line(s) from the room's stream and ${n} from ${dirA}: ${n} distinct`);
    expect(both.stderr).toContain(`read ${n} line(s) from the room's stream and ${b.lines().length} from ${dirB}: ${n + b.lines().length} distinct`);
    expect(statusOf(same.stdout, 'b_ack')).not.toBe('PASS');

    // --dir alone reads that dir instead of audit.dir.
    const local = await runCli(['check', '--dir', dirB, '--config', cfg, '--format', 'json']);
    expect(statusOf(local.stdout, 'b_ack')).toBe('PASS');
    expect(statusOf(local.stdout, 'a_ack')).not.toBe('PASS');
    a.close?.();
    b.close?.();
  }, 60_000);
});
