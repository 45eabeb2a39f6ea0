/**
 * Issue 15 (SPEC §9.5) on the real binary in tmux: the two-person (here four-person) override of
 * a NO-GO. alice (release_captain, in none of the override roles) asks for GO while the light
 * is NO-GO; carol (cto), dave and erin (senior_engineer) approve on their own consoles with
 * their own keys; mallory (observer) is not in the roles. Two approvals leave the request
 * pending with no decision record; the third makes alice's console write the GO record naming
 * every approver. A second rig: an approval arriving after a short expiry never counts.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chainEntry, signedMessage } from '../../src/audit/chain.js';
import { parseSigningKey, signMessage } from '../../src/audit/sshsig.js';
import { GENESIS_HASH, LEDGER_SCHEMA } from '../../src/audit/types.js';
import { runCli } from '../helpers/cli.js';
import { ACTOR, eventually, overall, startSim, writeE2eConfig, type E2eWorkspace, type Simulator, consoleSet, allowSigners } from '../helpers/e2e.js';
import type { Tmux } from '../helpers/tmux.js';
import { confirm } from '../helpers/confirm.js';
import { keypair } from '../helpers/signing.js';
import { publish } from '../helpers/feedPublish.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Unsigned, it keeps the light NO-GO: what the override is asked over. */
const ONCALL = { id: 'oncall_ack', title: 'On-call ACK', group: 'Readiness', source: 'manual', signoff_role: 'on_call' };
const ROLES = { release_captain: [ACTOR], on_call: ['bob'], cto: ['carol'], senior_engineer: ['dave', 'erin'], observer: ['mallory'] };
const PEOPLE = [ACTOR, 'carol', 'dave', 'erin', 'mallory'] as const;

/** A signed approval line exactly as a console writes it, for a frame nobody's console would send. */
function approvalLine(keyFile: string, actor: string, request: Record<string, unknown>, ts = new Date()): Record<string, unknown> {
  const body = {
    schema: LEDGER_SCHEMA, seq: 1, ts: ts.toISOString(), type: 'override.approve', actor, deployment: 'rl-policy-e2e', environment: 'e2e',
    request: request.id, kind: 'go', requested_by: request.actor, criteria_hash: request.criteria_hash, prev_hash: GENESIS_HASH,
  } as Record<string, unknown>;
  body.sig = signMessage(signedMessage(body), parseSigningKey(readFileSync(keyFile, 'utf8')));
  return chainEntry(null, body as never) as unknown as Record<string, unknown>;
}

function lines(ws: E2eWorkspace, name: string): Array<Record<string, unknown>> {
  try {
    return readFileSync(join(ws.auditDir, name), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  } catch {
    return [];
  }
}

/** alice's request line, once it is on disk (the ledger writes in the background). */
async function requestLine(ws: E2eWorkspace): Promise<Record<string, unknown>> {
  const find = () => lines(ws, 'ledger.jsonl').find((l) => l.type === 'override.request');
  await eventually(() => find() !== undefined, 10_000, 'the override.request line on disk');
  return find()!;
}

const decisionFiles = (ws: E2eWorkspace) => ws.auditFiles().filter((f) => f.endsWith('_go_nogo.json'));

interface Rig {
  sim: Simulator;
  ws: E2eWorkspace;
  keys: Record<string, { key: string; pub: string }>;
  open(actor: string): Tmux;
}

async function withRig(override: Record<string, unknown>, body: (rig: Rig) => Promise<void>, extra: Record<string, unknown> = {}): Promise<void> {
  const sim = await startSim({ speed: 1 });
  const ws = writeE2eConfig(sim, { gates: [ONCALL], decision: { unknown: 'nogo', override }, extra: { roles: ROLES, ...extra } });
  const consoles = consoleSet();
  try {
    const keys = Object.fromEntries(PEOPLE.map((p) => [p, keypair(ws.dir, p)]));
    allowSigners(ws, PEOPLE.map((p) => `${p} ${keys[p]!.pub}`).join('\n') + '\n');
    await body({
      sim,
      ws,
      keys,
      // Wide enough for the banner's not-counted list after 22:00 UTC too, when the 2 h expiry is
      // tomorrow and the banner names its date (11 more columns).
      open: (actor) => consoles.open(ws.configPath, { cols: 180, rows: 40, args: ['--actor', actor, '--signing-key', keys[actor]!.key] }),
    });
  } finally {
    consoles.stopAll();
    await sim.stop();
    ws.cleanup();
  }
}

/** alice: d g, a justification, y. */
async function requestOverride(a: Tmux, justification: string): Promise<void> {
  await a.waitFor((s) => overall(s) === 'NO-GO', 15_000, 'alice: the light NO-GO');
  a.send('d');
  await a.waitFor(/g asks for an override: needs \d+ approvals? from cto\/senior_engineer within/, 5_000, 'alice: the decision prompt offers the override');
  a.send('g');
  await a.waitFor(/OVERRIDE REQUEST: GO while the light is NO-GO/, 5_000, 'alice: the override justification prompt');
  a.type(justification);
  a.send('Enter');
  await a.waitFor(/Records and publishes a signed request/, 5_000, 'alice: the override confirm screen');
  await confirm(a);
}

/** An approver: o, the confirm naming the request and the gates, y. */
async function approve(t: Tmux, who: string): Promise<void> {
  await t.waitFor(/OVERRIDE REQUESTED by e2e-alice: .*press o to approve/, 15_000, `${who}: the request banner`);
  t.send('o');
  await t.waitFor(/APPROVE OVERRIDE \(GO while NO-GO\) .* requested by e2e-alice\?/, 5_000, `${who}: the approval confirm`);
  await t.waitFor(/overrides NO-GO gates: oncall_ack/, 5_000, `${who}: the confirm names the gates overridden`);
  await confirm(t);
  await t.waitFor(/approved override .* requested by e2e-alice/, 5_000, `${who}: approval recorded`);
}

describe.concurrent('override of a NO-GO through the real binary (issue 15)', () => {
  it('alice (no override role) + carol + dave is pending with no record; mallory does not count; erin completes it: the GO record names every approver', async () => {
    await withRig({ roles: ['cto', 'senior_engineer'], count: 3, expires: '2h' }, async ({ sim, ws, keys, open }) => {
      const a = open(ACTOR);
      await a.waitFor(/feed up/, 15_000, 'alice: feed up');
      const approvers = { carol: open('carol'), dave: open('dave'), erin: open('erin') };
      for (const [who, t] of Object.entries(approvers)) await t.waitFor(/feed up/, 15_000, `${who}: feed up`);

      await requestOverride(a, 'outage fix must ship');
      // The expiry is 2 h ahead: after 22:00 UTC it falls on the next day, and the banner names the date.
      await a.waitFor(/OVERRIDE REQUESTED by e2e-alice: 0\/3 approvals, expires (\d{4}-\d\d-\d\d )?\d\d:\d\dZ — waiting for approvals/, 10_000, 'alice: the request banner (0/3: alice holds no override role)');
      const request = await requestLine(ws);
      expect(request).toMatchObject({ actor: ACTOR, kind: 'go', decision: 'GO', justification: 'outage fix must ship', overall: 'NO-GO', overridden: ['oncall_ack'], needs: { roles: ['cto', 'senior_engineer'], count: 3 } });
      expect(request.sig).toMatch(/BEGIN SSH SIGNATURE/);

      // The requester cannot approve their own request: they hold none of the roles.
      a.send('o');
      await a.waitFor(/approval needs role cto or senior_engineer \(you are: release_captain\)/, 5_000, 'alice: o refused');

      await approve(approvers.carol, 'carol');
      await a.waitFor(/OVERRIDE REQUESTED by e2e-alice: 1\/3 approvals/, 10_000, 'alice: 1/3');

      // mallory's approval, signed with her own listed key: she holds none of the roles.
      await publish(sim, { type: 'override', action: 'approve', id: request.id, actor: 'mallory', line: approvalLine(keys.mallory!.key, 'mallory', request) });
      await a.waitFor(/approval of .{8} by mallory NOT COUNTED: mallory holds none of cto, senior_engineer/, 10_000, 'alice: mallory not counted, with why');
      await a.waitFor(/1\/3 approvals, .* · not counted: mallory \(mallory holds none of cto, senior_engineer\)/, 10_000, 'alice: the banner names mallory as not counted');

      await approve(approvers.dave, 'dave');
      await a.waitFor(/OVERRIDE REQUESTED by e2e-alice: 2\/3 approvals/, 10_000, 'alice: 2/3');
      // Two of three: pending on every screen, and no decision record anywhere.
      await approvers.erin.waitFor(/OVERRIDE REQUESTED by e2e-alice: 2\/3 approvals/, 10_000, 'erin: 2/3');
      await sleep(1_000);
      expect(a.capture()).not.toMatch(/OVERRIDE APPROVED/);
      expect(decisionFiles(ws)).toEqual([]);
      expect(lines(ws, 'ledger.jsonl').some((l) => l.type === 'decision')).toBe(false);

      await approve(approvers.erin, 'erin');
      await a.waitFor(/OVERRIDE APPROVED \(request by e2e-alice\): 3\/3 approvals: carol as cto, dave as senior_engineer, erin as senior_engineer/, 15_000, 'alice: approved');
      await a.waitFor(/decision record written: /, 15_000, 'alice: the record written');
      await approvers.carol.waitFor(/decision GO by e2e-alice/, 10_000, 'carol: the GO decision arrives on the feed');

      const files = decisionFiles(ws);
      expect(files).toHaveLength(1);
      const record = JSON.parse(readFileSync(join(ws.auditDir, files[0]!), 'utf8')) as Record<string, any>;
      // The integrator's closing note pastes this record.
      console.log(`OVERRIDE DECISION RECORD ${files[0]}:\n${JSON.stringify(record, null, 2)}`);
      expect(record).toMatchObject({ decision: 'GO', decided_by: ACTOR, role: 'release_captain', justification: 'outage fix must ship', overall: 'NO-GO' });
      expect(record.override).toMatchObject({ request: request.id, requested_by: ACTOR, criteria_hash: request.criteria_hash, overridden: ['oncall_ack'] });
      expect(record.override.approvers.map((x: { actor: string; role: string }) => [x.actor, x.role])).toEqual([['carol', 'cto'], ['dave', 'senior_engineer'], ['erin', 'senior_engineer']]);
      // Each approver's line hash is the hash of the line in that approver's own ledger.
      for (const x of record.override.approvers as { actor: string; line_hash: string }[]) {
        // (their ledger also holds the others' approvals they verified, recorded with remote_line)
        expect(lines(ws, `ledger-${x.actor}.jsonl`).find((l) => l.type === 'override.approve' && l.remote_line === undefined)?.hash).toBe(x.line_hash);
      }
      expect(record.override.criteria.find((c: { id: string }) => c.id === 'oncall_ack')).toMatchObject({ status: expect.not.stringMatching(/^PASS$/) });
      expect(lines(ws, 'ledger.jsonl').find((l) => l.type === 'decision')).toMatchObject({ decision: 'GO', override: { request: request.id } });

      expect((await runCli(['audit', 'verify', '--dir', ws.auditDir])).code).toBe(0);
      const report = await runCli(['report', '--dir', ws.auditDir]);
      console.log(`REPORT (override section):\n${report.stdout.split('\n## ').find((x) => x.startsWith('Overrides'))}`);
      expect(report.stdout).toMatch(/## Overrides and approvals/);
      expect(report.stdout).toMatch(new RegExp(`GO over NO-GO \\| ${request.id} \\| ${ACTOR} \\| outage fix must ship \\| oncall_ack \\| 3 of cto/senior_engineer \\| GO recorded .*carol \\(cto, .*dave \\(senior_engineer, .*erin \\(senior_engineer,`));
    });
  }, 180_000);

  it('a request expires after its short expiry: it shows EXPIRED, o finds nothing to approve, and a signed approval arriving late never counts', async () => {
    await withRig({ roles: ['cto', 'senior_engineer'], count: 1, expires: '4s' }, async ({ sim, ws, keys, open }) => {
      const a = open(ACTOR);
      await a.waitFor(/feed up/, 15_000, 'alice: feed up');
      const c = open('carol');
      await c.waitFor(/feed up/, 15_000, 'carol: feed up');
      await requestOverride(a, 'try before it expires');
      // On a loaded machine the 4 s may already be over when carol's screen first shows it.
      await c.waitFor(/OVERRIDE REQUESTED by e2e-alice: 0\/1 approvals|OVERRIDE EXPIRED \(request by e2e-alice\)/, 10_000, 'carol: the request');
      const request = await requestLine(ws);
      await a.waitFor(/OVERRIDE EXPIRED \(request by e2e-alice\) at \d\d:\d\dZ with 0\/1 approvals: it can never complete/, 20_000, 'alice: expired');
      await c.waitFor(/OVERRIDE EXPIRED/, 20_000, 'carol: expired');
      c.send('o');
      await c.waitFor(/nothing to approve: no override or waiver request is open/, 5_000, 'carol: o after expiry refused');

      // A valid signature by carol, sent after the expiry, and one backdated into the window: neither counts.
      await publish(sim, { type: 'override', action: 'approve', id: request.id, actor: 'carol', line: approvalLine(keys.carol!.key, 'carol', request) });
      await a.waitFor(/approval of .{8} by carol NOT COUNTED: arrived after the request expired/, 10_000, 'alice: the late approval not counted');
      const backdated = new Date(Date.parse(String(request.ts)) + 1000);
      await publish(sim, { type: 'override', action: 'approve', id: request.id, actor: 'carol', line: approvalLine(keys.carol!.key, 'carol', request, backdated) });
      await sleep(1_500);
      expect(a.capture()).toMatch(/OVERRIDE EXPIRED/);
      expect(decisionFiles(ws)).toEqual([]);
      expect(lines(ws, 'ledger.jsonl').filter((l) => l.type === 'override.approve' || l.type === 'decision')).toEqual([]);
      expect(readdirSync(ws.auditDir).filter((f) => f.endsWith('_go_nogo.json'))).toEqual([]);
    });
  }, 120_000);

  it('waiver.approvals: w makes a pending waiver request (the gate stays FAIL); carol approves with o, then the gate shows WAIVED', async () => {
    const rule = { roles: ['cto', 'senior_engineer'], count: 1, expires: '1h' };
    await withRig(rule, async ({ ws, open }) => {
      const a = open(ACTOR);
      await a.waitFor(/feed up/, 15_000, 'alice: feed up');
      const c = open('carol');
      await c.waitFor(/feed up/, 15_000, 'carol: feed up');
      await a.waitFor((s) => overall(s) === 'NO-GO', 15_000, 'alice: NO-GO');
      a.send('w');
      await a.waitFor(/WAIVE "On-call ACK"/, 5_000, 'alice: the waiver prompt');
      a.type('bob is paged, ack later');
      a.send('Enter');
      await a.waitFor(/expires \(2h/, 5_000, 'alice: the expiry prompt');
      a.type('2h');
      a.send('Enter');
      await a.waitFor(/waiver request: needs 1 approval from cto\/senior_engineer within 1h/, 5_000, 'alice: the waiver confirm says what is needed');
      await confirm(a);
      await c.waitFor(/WAIVER of oncall_ack REQUESTED by e2e-alice: 0\/1 approvals, .*press o to approve/, 10_000, 'carol: the waiver request');
      await sleep(1_000);
      expect(a.capture()).not.toMatch(/WAIVED/);
      expect(overall(a.capture())).toBe('NO-GO');
      expect(lines(ws, 'ledger.jsonl').some((l) => l.type === 'waiver')).toBe(false);

      c.send('o');
      await c.waitFor(/APPROVE WAIVER of oncall_ack .* requested by e2e-alice\?/, 5_000, 'carol: the approval confirm');
      await confirm(c);
      await a.waitFor(/WAIVED/, 15_000, 'alice: the gate WAIVED once approved');
      await a.waitFor((s) => overall(s) !== 'NO-GO', 15_000, 'alice: the light no longer NO-GO');
      const waiver = lines(ws, 'ledger.jsonl').find((l) => l.type === 'waiver') as Record<string, any>;
      expect(waiver).toMatchObject({ gate: 'oncall_ack', reason: 'bob is paged, ack later', actor: ACTOR });
      expect(waiver.approvals.approvers.map((x: { actor: string }) => x.actor)).toEqual(['carol']);
      expect(waiver.sig).toMatch(/BEGIN SSH SIGNATURE/);
    }, { waiver: { approvals: rule } });
  }, 120_000);
});
