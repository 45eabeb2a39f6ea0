/**
 * The room on NATS through the real binary in tmux (issue 24): two consoles with their own audit
 * dirs, one nats-server -js, a feed that relays nothing of theirs. A signed sign-off made on one
 * counts on the other; forged and unsigned lines put straight on the stream never count and
 * `audit verify --room` lists them; an auto-rollback watched by both sends one kill; with the
 * server stopped, acts go on, the header says so, and every line reaches the stream once after.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify, parse } from 'yaml';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { runCli } from '../helpers/cli.js';
import { ACTOR, entropyGate, eventually, requestsTo, setInfluence, setScenario, metric, startSim, writeE2eConfig, type Simulator, type E2eWorkspace, consoleSet } from '../helpers/e2e.js';
import { keypair } from '../helpers/signing.js';
import { canonical, sha } from '../helpers/forge.js';
import { natsNode, type NatsNode } from '../helpers/nats.js';
import type { Tmux } from '../helpers/tmux.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const KILL = '/admin/kill-switch';
const DEPLOY = 'rl-policy-e2e';
const STREAM = 'WARROOM_RL-POLICY-E2E';
const OFF_STREAM = 'WARROOM_RL-POLICY-OFFLINE';
const ONCALL = { id: 'oncall_ack', title: 'On-call ACK', group: 'Readiness', source: 'manual', signoff_role: 'on_call' };
const CAPTAIN = { id: 'captain_ack', title: 'Captain ACK', group: 'Readiness', source: 'manual', signoff_role: 'release_captain' };
/** SPEC §5: the line's hash, over its canonical JSON (test/helpers/forge.ts). */
const hashOf = (body: object) => sha(canonical(body));

let node: NatsNode;
beforeAll(async () => {
  node = await natsNode();
  await node.start();
}, 20_000);
afterAll(async () => node.destroy());


/** A second config beside the first: its own audit dir, the same room. */
function roomConfigs(ws: E2eWorkspace, extra: Record<string, unknown>): { a: string; b: string; auditB: string } {
  const base = parse(readFileSync(ws.configPath, 'utf8')) as Record<string, unknown>;
  const room = { ...((extra.room as object | undefined) ?? {}), nats: { servers: node.url } };
  const a = { ...base, ...extra, room };
  writeFileSync(ws.configPath, stringify(a));
  const auditB = join(ws.dir, 'audit-b');
  mkdirSync(auditB, { recursive: true });
  const b = join(ws.dir, 'warroom-b.yaml');
  writeFileSync(b, stringify({ ...a, audit: { dir: auditB } }));
  return { a: ws.configPath, b, auditB };
}

async function streamMessages(stream = STREAM): Promise<{ subject: string; line: Record<string, unknown> }[]> {
  const nc = await connect({ servers: node.url });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(stream);
    const out: { subject: string; line: Record<string, unknown> }[] = [];
    for (let s = info.state.first_seq; info.state.messages > 0 && s <= info.state.last_seq; s++) {
      const m = await jsm.streams.getMessage(stream, { seq: s }).catch(() => null);
      if (m) out.push({ subject: m.subject, line: JSON.parse(m.string()) as Record<string, unknown> });
    }
    return out;
  } finally {
    await nc.close();
  }
}

async function rig(body: (r: { sim: Simulator; ws: E2eWorkspace; open: (config: string, args?: string[]) => Tmux }) => Promise<void>, gates: unknown[], deployment = DEPLOY): Promise<void> {
  const sim = await startSim({ speed: 20 });
  const ws = writeE2eConfig(sim, { gates: gates as never, deployment });
  const consoles = consoleSet();
  try {
    await body({
      sim,
      ws,
      open: (config, args = []) => consoles.open(config, { cols: 150, rows: 40, args }),
    });
  } finally {
    consoles.stopAll();
    await sim.stop();
    ws.cleanup();
  }
}

describe('the room on NATS through the real binary (issue 24)', () => {
  it('a signed sign-off on one console counts on the other; forged lines on the stream never count and audit verify --room lists them; one kill', async () => {
    await rig(async ({ sim, ws, open }) => {
      const alice = keypair(ws.dir, 'alice');
      const bob = keypair(ws.dir, 'bob');
      writeFileSync(join(ws.dir, 'allowed_signers'), `${ACTOR} ${alice.pub}\nbob ${bob.pub}\n`);
      const { a: cfgA, b: cfgB } = roomConfigs(ws, { roles: { release_captain: [ACTOR], on_call: ['bob'] }, room: { allowed_signers: join(ws.dir, 'allowed_signers') } });
      await setInfluence(sim, 10);
      await eventually(async () => (await metric(sim, 'policy_influence_pct')) === 10, 10_000, 'sim influence 10');

      const a = open(cfgA, ['--signing-key', alice.key]);
      const b = open(cfgB, ['--actor', 'bob', '--signing-key', bob.key]);
      await a.waitFor(/room 2: /, 20_000, 'alice: room 2');
      await b.waitFor(/room 2: /, 20_000, 'bob: room 2');
      expect(a.capture()).not.toMatch(/ROOM OFFLINE/);

      // bob signs the on-call gate on his machine: alice verifies the signature and counts it.
      b.send('j');
      await sleep(200);
      b.send('s');
      await b.waitFor(/y to confirm/, 5_000, 'bob: sign-off confirm');
      await sleep(300);
      b.send('y');
      await a.waitFor(/On-call ACK ✓bob/, 15_000, "alice: bob's signed sign-off counts");
      await a.waitFor(/signed sign-off on_call on oncall_ack by bob verified \(remote:bob\)/, 5_000, 'alice: verified line');

      // Straight to the stream: an unsigned captain sign-off claiming alice (a chain of its own),
      // and a line forged onto bob's chain after his last one with a wrong seq.
      const forged = { schema: 'warroom.ledger/v1', seq: 1, ts: new Date().toISOString(), type: 'signoff', actor: ACTOR, role: 'release_captain', gate: 'captain_ack', deployment: DEPLOY, environment: 'e2e', prev_hash: `sha256:${'0'.repeat(64)}` };
      const nc = await connect({ servers: node.url });
      const js = jetstream(nc);
      await js.publish(`warroom.${DEPLOY}.ledger.mallory`, JSON.stringify({ ...forged, hash: hashOf(forged) }));
      await eventually(async () => (await streamMessages()).some((m) => m.subject.endsWith('.bob') && m.line.type === 'signoff'), 10_000, "bob's sign-off on the stream");
      const bobLast = (await streamMessages()).filter((m) => m.subject.endsWith('.bob')).at(-1)!.line;
      const stray = { ...forged, actor: 'bob', role: 'on_call', gate: 'oncall_ack', seq: (bobLast.seq as number) + 5, prev_hash: bobLast.hash };
      await js.publish(`warroom.${DEPLOY}.ledger.bob`, JSON.stringify({ ...stray, hash: hashOf(stray) }));
      // And an unsigned ack claim on the room subject: a claim the console shows, never counts.
      nc.publish(`warroom.${DEPLOY}.room`, JSON.stringify({ type: 'ack', seq: 1, ts: new Date().toISOString(), role: 'release_captain', actor: ACTOR, gate: 'captain_ack', deployment: DEPLOY, origin: { actor: 'mallory', host: 'x', run: 'm1' } }));
      await nc.flush();
      await nc.close();
      await b.waitFor(/unverified sign-off \(feed\): release_captain on captain_ack by e2e-alice: unsigned/, 10_000, 'bob: the unsigned claim shown');
      expect(b.capture()).not.toMatch(/Captain ACK ✓/);

      const check = await runCli(['check', '--room', '--config', cfgB, '--format', 'json']);
      expect(check.code, check.stderr).toBe(0);
      const crit = (JSON.parse(check.stdout) as { criteria: { id: string; status: string; reason: string }[] }).criteria;
      expect(crit.find((c) => c.id === 'oncall_ack')?.status).toBe('PASS');
      expect(crit.find((c) => c.id === 'captain_ack')?.status).not.toBe('PASS');
      expect(check.stderr).toMatch(/unverified sign-off \(not counted\): release_captain on captain_ack by e2e-alice/);
      expect(check.stderr).toMatch(/belongs to no valid chain/);

      const verify = await runCli(['audit', 'verify', '--room', '--config', cfgA]);
      console.log(`audit verify --room:\n${verify.stderr}${verify.stdout}`);
      expect(verify.code).toBe(1);
      expect(verify.stderr).toMatch(/ledger\.bob\): belongs to no valid chain: seq \d+ signoff by bob: (no chained line before it|seq does not follow)/);
      expect(verify.stderr).toMatch(/signoff by e2e-alice, chain of mallory seq 1\): unsigned/);

      const report = await runCli(['report', '--room', '--config', cfgA]);
      expect(report.code, report.stderr).toBe(0);
      expect(report.stdout).toMatch(/belongs to no valid chain/);

      // Both consoles arm on the collapse; the control API sees one kill.
      await setScenario(sim, 'entropy-collapse');
      await a.waitFor(/AUTO-ROLLBACK in/, 30_000, 'alice armed');
      await b.waitFor(/AUTO-ROLLBACK in/, 30_000, 'bob armed');
      await eventually(() => requestsTo(sim, KILL).length > 0, 45_000, 'a kill request');
      await sleep(4_000);
      expect(requestsTo(sim, KILL)).toHaveLength(1);
      const sender = (requestsTo(sim, KILL)[0]!.body as { actor: string }).actor;
      // The room's kill claim names the sender; the other console stood down naming it.
      const kc = await connect({ servers: node.url });
      const kv = await new Kvm(jetstream(kc)).open(`warroom_${DEPLOY}`);
      const claims: string[] = [];
      for await (const k of await kv.keys('kill.>')) claims.push(k);
      expect(claims).toHaveLength(1);
      expect((await kv.get(claims[0]!))!.json<{ actor: string }>().actor).toBe(sender);
      await kc.close();
      const other = sender === ACTOR ? b : a;
      // It stood down naming the sender, or (the kill landed and its trigger cleared before it fired) shows the sender's announcement.
      await other.waitFor(new RegExp(`the room's kill \\(by ${sender}\\) is already out|\\[remote:${sender}\\] ${sender}: auto-rollback for entropy sent the kill-switch`), 5_000, 'the other console names who sent it');
    }, [entropyGate({ rollback: 'auto' }), ONCALL, CAPTAIN]);
  }, 180_000);

  it('server stopped: acts go on locally, the header says ROOM OFFLINE; lines written offline (console running, and before a quit) reach the stream once', async () => {
    await rig(async ({ ws, open }) => {
      const { a: cfgA } = roomConfigs(ws, { roles: { release_captain: [ACTOR], on_call: [ACTOR] } });
      const a = open(cfgA);
      await a.waitFor(/room 1: /, 20_000, 'room 1');
      const mine = async () => (await streamMessages(OFF_STREAM)).filter((m) => m.subject.endsWith(`.${ACTOR}`)).map((m) => m.line.hash as string);
      const sign = async (label: RegExp) => {
        a.send('j');
        await sleep(200);
        a.send('s');
        await a.waitFor(/y to confirm/, 5_000, 'sign-off confirm');
        await sleep(300);
        a.send('y');
        await a.waitFor(label, 10_000, 'the sign-off counts locally');
      };

      // Offline while running: the act goes on; the line reaches the stream when the server returns.
      await node.stop();
      await a.waitFor(/ROOM OFFLINE/, 20_000, 'ROOM OFFLINE in the header');
      await sign(/On-call ACK ✓e2e-alice/);
      expect(a.capture().split('\n')[0]).toMatch(/ROOM OFFLINE/);
      await node.start();
      await eventually(async () => (await mine()).length === ws.ledger().length, 20_000, 'the offline line on the stream after the server returned');
      await eventually(() => !/ROOM OFFLINE|ROOM BACKLOG/.test(a.capture().split('\n')[0]!), 10_000, 'header clear again');

      // Offline again, and the console quits before the server returns.
      await node.stop();
      await a.waitFor(/ROOM OFFLINE/, 20_000, 'ROOM OFFLINE again');
      await sign(/Captain ACK ✓e2e-alice/);
      a.send('q');
      await a.exitCode(20_000);
      const local = ws.ledger();
      expect(local.some((l) => l.type === 'signoff')).toBe(true);

      await node.start();
      const a2 = open(cfgA);
      await a2.waitFor(/room 1: /, 20_000, 'room again');
      await eventually(async () => (await mine()).length >= ws.ledger().length, 20_000, 'backlog on the stream');
      await sleep(1000);
      const got = await mine();
      expect(got).toEqual(ws.ledger().map((l) => l.hash));
      expect(new Set(got).size).toBe(got.length);
      expect(ws.ledger().filter((l) => l.type === 'signoff')).toHaveLength(2);
      expect(a2.capture()).not.toMatch(/ROOM BACKLOG|ROOM OFFLINE/);
    }, [entropyGate(), ONCALL, CAPTAIN], 'rl-policy-offline');
  }, 120_000);
});
