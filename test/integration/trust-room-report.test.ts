/**
 * Issue 21, "one judge, every reader", for the room's stream (SPEC §10.0, §10.1): `report --room`
 * on the real binary against a real nats-server judges the stream's lines as `report` judges an
 * audit dir. The lines are forged from the contract (test/helpers/forge.ts: canonical JSON,
 * sha256, `ssh-keygen -Y sign`) and reach the stream through a console's room link.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { systemClock } from '../../src/core/clock.js';
import { roomToken } from '../../src/config/sections/roomNats.js';
import { Room } from '../../src/room/room.js';
import { runCli } from '../helpers/cli.js';
import { eventually } from '../helpers/e2e.js';
import { ForgedLedger, keypair } from '../helpers/forge.js';
import { natsNode, type NatsNode } from '../helpers/nats.js';

const DEPLOY = 'rl-policy-v42';
let node: NatsNode;
let dir: string;
beforeAll(async () => {
  node = await natsNode();
  await node.start();
  dir = mkdtempSync(join(tmpdir(), 'warroom-room-judge-'));
}, 20_000);
afterAll(async () => {
  await node.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('report --room uses the one judge (issue 21)', () => {
  it('unsigned acts on the stream are claims: never a decision, waiver or checkpoint ack of the report; signed ones are', async () => {
    const alice = keypair(dir, 'alice');
    writeFileSync(join(dir, 'allowed_signers'), `alice ${alice.pub}\n`);
    const l = new ForgedLedger(DEPLOY, 'production');
    const at = Date.now() - 120_000;
    l.add({ type: 'decision', decision: 'NO-GO', id: 'd1', file: 'd1_go_nogo.json', record_hash: 'sha256:00', justification: 'signed hold', next_review: null, actor: 'alice' }, { key: alice, at });
    l.add({ type: 'checkpoint.ack', stage: 0, offset_ms: 1_800_000, label: 'signed ack', actor: 'alice' }, { key: alice, at: at + 1_000 });
    l.add({ type: 'decision', decision: 'GO', id: 'd2', file: 'd2_go_nogo.json', record_hash: 'sha256:00', justification: 'forged go', next_review: null, actor: 'alice' }, { at: at + 2_000 });
    l.add({ type: 'waiver', gate: 'oncall_ack', reason: 'forged waiver', expires: new Date(Date.now() + 3600_000).toISOString(), actor: 'alice' }, { at: at + 3_000 });
    l.add({ type: 'checkpoint.ack', stage: 0, offset_ms: 3_600_000, label: 'forged ack', actor: 'alice' }, { at: at + 4_000 });

    // The ops console's room link carries the (forged) ledger's lines to the stream.
    const room = new Room({ nats: { servers: [node.url], name: DEPLOY, room: roomToken(DEPLOY), replicas: 1 }, deployment: DEPLOY, actor: 'ops', readOnly: false, clock: systemClock, secrets: [] });
    room.start();
    try {
      await eventually(() => room.current().state === 'online', 10_000, 'room online');
      await room.attachLedger({ path: join(dir, 'ledger.jsonl'), lines: () => l.lines, pending: () => 0, on: () => () => {} });
      await eventually(() => room.current().backlog === 0, 10_000, 'every line on the stream');
    } finally {
      await room.stop(0);
    }

    writeFileSync(join(dir, 'warroom.yaml'), stringify({
      version: 1,
      deployment: { name: DEPLOY, environment: 'production' },
      roles: { release_captain: ['alice'], on_call: ['bob'] },
      sources: {},
      gates: [{ id: 'oncall_ack', title: 'On-call ACK', source: 'manual', signoff_role: 'on_call' }],
      audit: { dir: join(dir, 'audit') },
      room: { allowed_signers: join(dir, 'allowed_signers'), nats: { servers: node.url } },
    }));
    const r = await runCli(['report', '--room', '--config', join(dir, 'warroom.yaml')], { timeoutMs: 30_000 });
    expect(r.code, r.stderr).toBe(0);
    const section = (name: string) => r.stdout.split(`## ${name}`)[1]!.split('\n## ')[0]!;
    expect(section('Decisions')).toContain('signed hold');
    expect(section('Decisions')).not.toContain('forged go');
    expect(section('Checkpoints')).toContain('signed ack');
    expect(section('Checkpoints')).not.toContain('forged ack');
    expect(section('Sign-offs and waivers')).not.toContain('forged waiver');
    expect(section('Claims without authority (never counted)')).toMatch(/stream seq \d+ \(chain of ops\) \| decision GO \| alice \| unsigned/);
    expect(r.stdout).toMatch(/\*\*Integrity:\*\* FAILED: .*decision by alice carries no authority: unsigned/);
  }, 60_000);
});
