/**
 * `report --room --format html|json` through the real binary (SPEC §10.1, §10.3): a console in
 * a signed room signs a gate and fires the kill; a forged unsigned sign-off is put straight on
 * the stream. The report read from the stream counts the signed sign-off, lists the forged one as
 * a claim (never counted), marks the kill, says the stream carries no gate history, and with
 * `--dir` draws that console's history.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { runCli } from '../helpers/cli.js';
import { ACTOR, entropyGate, eventually, metric, requestsTo, setInfluence, startConsole, startSim, writeE2eConfig } from '../helpers/e2e.js';
import { canonical, sha } from '../helpers/forge.js';
import { natsNode, type NatsNode } from '../helpers/nats.js';
import type { Tmux } from '../helpers/tmux.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DEPLOY = 'rl-policy-roomreport';
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

interface Model {
  integrity: { ok: boolean; text: string };
  marks: { kind: string; actor: string; label: string; void?: string }[];
  signers: { rows: { actor: string; verified: number }[] };
  history: { files: string[]; notes: string[] };
  gates: { id: string; points: unknown[] }[];
}

describe('report --room as charts', () => {
  it('html and json from the stream: the signed sign-off counts, a forged one is a claim, the kill is marked; the history comes with --dir', async () => {
    const sim = await startSim({ speed: 20 });
    const ws = writeE2eConfig(sim, { gates: [entropyGate(), ONCALL, CAPTAIN] as never, deployment: DEPLOY });
    let t: Tmux | undefined;
    try {
      const key = join(ws.dir, 'key-alice');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'alice', '-f', key]);
      const pub = readFileSync(`${key}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
      writeFileSync(join(ws.dir, 'allowed_signers'), `${ACTOR} ${pub}\n`);
      const base = parse(readFileSync(ws.configPath, 'utf8')) as Record<string, unknown>;
      writeFileSync(ws.configPath, stringify({ ...base, roles: { release_captain: [ACTOR], on_call: [ACTOR] }, room: { allowed_signers: join(ws.dir, 'allowed_signers'), nats: { servers: node.url } } }));
      await setInfluence(sim, 10);
      await eventually(async () => (await metric(sim, 'policy_influence_pct')) === 10, 10_000, 'sim influence 10');

      t = startConsole(ws.configPath, { cols: 150, rows: 40, args: ['--signing-key', key] });
      await t.waitFor(/room 1: /, 20_000, 'room 1');
      t.send('j');
      await sleep(200);
      t.send('s');
      await t.waitFor(/y to confirm/, 5_000, 'sign-off confirm');
      await sleep(300);
      t.send('y');
      await t.waitFor(/On-call ACK ✓e2e-alice/, 10_000, 'signed sign-off counts');
      t.send('K');
      await t.waitFor(/y or Enter to confirm/, 10_000, 'kill confirm');
      await sleep(300);
      t.send('y');
      await eventually(() => requestsTo(sim, '/admin/kill-switch').length === 1, 15_000, 'the kill request');
      await eventually(() => ws.ledger().some((l) => l.type === 'action' && l.phase === 'verified'), 30_000, 'kill verified');

      // Straight to the stream: an unsigned captain sign-off claiming alice, on a chain of its own.
      const forged = { schema: 'warroom.ledger/v1', seq: 1, ts: new Date().toISOString(), type: 'signoff', actor: ACTOR, role: 'release_captain', gate: 'captain_ack', deployment: DEPLOY, environment: 'e2e', prev_hash: `sha256:${'0'.repeat(64)}` };
      const nc = await connect({ servers: node.url });
      await jetstream(nc).publish(`warroom.${DEPLOY}.ledger.mallory`, JSON.stringify({ ...forged, hash: hashOf(forged) }));
      await nc.close();
      t.send('q');
      await t.exitCode(20_000);

      const j = await runCli(['report', '--room', '--config', ws.configPath, '--format', 'json']);
      expect(j.code, j.stderr).toBe(0);
      const m = JSON.parse(j.stdout) as Model;
      const signoffs = m.marks.filter((x) => x.kind === 'signoff');
      expect(signoffs.filter((x) => !x.void && /oncall_ack/.test(x.label))).toHaveLength(1);
      expect(signoffs.filter((x) => !x.void && /captain_ack/.test(x.label))).toHaveLength(0);
      expect(m.integrity.ok).toBe(false);
      expect(m.integrity.text).toMatch(/carry no authority and are never counted: room stream seq \d+ \(chain of mallory\) signoff by e2e-alice \(unsigned/);
      expect(m.marks.filter((x) => x.kind === 'kill')).toEqual([expect.objectContaining({ actor: ACTOR })]);
      expect(m.signers.rows.find((r) => r.actor === ACTOR)?.verified).toBeGreaterThan(0);
      expect(m.history.files).toEqual([]);
      expect(m.history.notes.join(' ')).toMatch(/carries the ledgers only/);

      const out = join(ws.dir, 'room.html');
      const h = await runCli(['report', '--room', '--config', ws.configPath, '--format', 'html', '--output', out]);
      expect(h.code, h.stderr).toBe(0);
      const html = readFileSync(out, 'utf8');
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toMatch(/\s(?:src|href)="(?!#)/i);
      for (const text of ['Post-deploy report: rl-policy-roomreport', 'kill-switch verified', 'carries the ledgers only', 'chain of mallory', 'Integrity:']) expect(html).toContain(text);

      // Beside the stream, a console's audit dir gives its gate history.
      const d = await runCli(['report', '--room', '--dir', ws.auditDir, '--config', ws.configPath, '--format', 'json']);
      expect(d.code, d.stderr).toBe(0);
      const md = JSON.parse(d.stdout) as Model;
      expect(md.history.files.length).toBe(1);
      expect(md.gates.find((g) => g.id === 'entropy')!.points.length).toBeGreaterThan(0);
      expect(md.integrity.text).toMatch(/chain of mallory/);
    } finally {
      t?.stop();
      await sim.stop();
      ws.cleanup();
    }
  }, 150_000);
});
