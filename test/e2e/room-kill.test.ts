/**
 * One kill per room for a kill pressed by hand (SPEC §10.1), through the real binary in tmux
 * against a real nats-server -js: two consoles with their own audit dirs press K and y at nearly
 * the same moment; the control API sees one kill; the console that stood down names the sender
 * and follows the sender's outcome (from the room's traffic) to verified. With the room gone, a
 * kill is sent without it.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify, parse } from 'yaml';
import { ACTOR, entropyGate, eventually, metric, requestsTo, setInfluence, startConsole, startSim, writeE2eConfig } from '../helpers/e2e.js';
import { natsNode, type NatsNode } from '../helpers/nats.js';
import type { Tmux } from '../helpers/tmux.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const KILL = '/admin/kill-switch';

let node: NatsNode;
beforeAll(async () => {
  node = await natsNode();
  await node.start();
}, 20_000);
afterAll(async () => node.destroy());

describe('a kill by hand in the room on NATS', () => {
  it('two consoles press K, y together: one kill reaches the control API; the other names the sender and shows its outcome', async () => {
    const sim = await startSim({ speed: 20 });
    const ws = writeE2eConfig(sim, { gates: [entropyGate()], deployment: 'rl-policy-handkill' });
    const consoles: Tmux[] = [];
    try {
      const base = parse(readFileSync(ws.configPath, 'utf8')) as Record<string, unknown>;
      const a = { ...base, roles: { release_captain: [ACTOR, 'bob'] }, room: { nats: { servers: node.url } } };
      writeFileSync(ws.configPath, stringify(a));
      const auditB = join(ws.dir, 'audit-b');
      mkdirSync(auditB, { recursive: true });
      const cfgB = join(ws.dir, 'warroom-b.yaml');
      writeFileSync(cfgB, stringify({ ...a, audit: { dir: auditB } }));
      await setInfluence(sim, 10);
      await eventually(async () => (await metric(sim, 'policy_influence_pct')) === 10, 10_000, 'sim influence 10');

      const alice = startConsole(ws.configPath, { cols: 160, rows: 45 });
      const bob = startConsole(cfgB, { cols: 160, rows: 45, args: ['--actor', 'bob'] });
      consoles.push(alice, bob);
      await alice.waitFor(/room 2: /, 20_000, 'alice: room 2');
      await bob.waitFor(/room 2: /, 20_000, 'bob: room 2');
      await sleep(1_000);

      alice.send('K');
      bob.send('K');
      await alice.waitFor(/y or Enter to confirm/, 10_000, 'alice: kill confirm');
      await bob.waitFor(/y or Enter to confirm/, 10_000, 'bob: kill confirm');
      await sleep(300);
      alice.send('y');
      bob.send('y');

      await eventually(() => requestsTo(sim, KILL).length > 0, 15_000, 'a kill request');
      await sleep(3_000);
      expect(requestsTo(sim, KILL)).toHaveLength(1);
      const sender = (requestsTo(sim, KILL)[0]!.body as { actor: string }).actor;
      const other = sender === ACTOR ? bob : alice;
      await other.waitFor(new RegExp(`KILL-SWITCH not sent: the room's kill \\(by ${sender}\\) is already out`), 10_000, 'the other console names the sender');
      // Its outcome, followed from the sender's announcements on the room: verified (influence at 0).
      await other.waitFor(new RegExp(`the room's kill-switch \\(sent by ${sender}\\) verified`), 30_000, "the sender's outcome followed");
      expect(other.capture()).toMatch(new RegExp(`sent by ${sender}`));

      // The loser's ledger says it stood down; only the sender's ledger has the kill's action lines.
      const lines = (dir: string) =>
        readFileSync(join(dir, 'ledger.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
      const dirOf = (who: string) => (who === ACTOR ? ws.auditDir : auditB);
      const loser = sender === ACTOR ? 'bob' : ACTOR;
      expect(lines(dirOf(sender)).filter((l) => l.type === 'action' && l.action === 'kill_switch' && l.phase === 'requested')).toHaveLength(1);
      expect(lines(dirOf(loser)).filter((l) => l.type === 'action' && l.action === 'kill_switch')).toHaveLength(0);
      expect(lines(dirOf(loser)).some((l) => l.type === 'note' && String(l.text).includes(`kill by ${sender}`))).toBe(true);

      // The room gone: a kill never waits on it; the loser's console sends on its own.
      await node.stop();
      await other.waitFor(/ROOM OFFLINE/, 20_000, 'ROOM OFFLINE');
      other.send('K');
      await other.waitFor(/y or Enter to confirm/, 10_000, 'kill confirm, room offline');
      await sleep(300);
      other.send('y');
      await eventually(() => requestsTo(sim, KILL).length === 2, 15_000, 'the second kill, sent with the room offline');
      expect((requestsTo(sim, KILL)[1]!.body as { actor: string }).actor).toBe(loser);
      await node.start();
    } finally {
      for (const t of consoles) t.stop();
      await sim.stop();
      ws.cleanup();
    }
  }, 120_000);
});
