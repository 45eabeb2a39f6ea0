/**
 * Issue 21 #8 and #9 on the real binary in tmux: who may hold the room's override banner, and
 * a request that reaches every approver. Lines from other consoles are forged from the
 * contract (canonical JSON, sha256, `ssh-keygen -Y sign -n warroom`), not with warroom's code.
 *  - mallory (a signer with no decision role) and frank (a captain, dated tomorrow) publish
 *    signed requests: neither stands, so alice's `d g` is not refused and carol's `o` takes
 *    alice's request;
 *  - two open requests: the banner and `o` both take the oldest, and say that several are open;
 *    an expiry on another day shows its date; an approval from a clock 6 min slow counts, one
 *    20 min off does not;
 *  - 40 gates with long descriptions: the request still fits one feed frame and reaches carol.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ACTOR, eventually, overall, startSim, writeE2eConfig, type E2eWorkspace, type GateSpec, type Simulator, consoleSet, allowSigners } from '../helpers/e2e.js';
import { canonical, GENESIS, sha } from '../helpers/forge.js';
import { keypair } from '../helpers/signing.js';
import type { Tmux } from '../helpers/tmux.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ONCALL: GateSpec = { id: 'oncall_ack', title: 'On-call ACK', group: 'Readiness', source: 'manual', signoff_role: 'on_call' };
const ROLES = { release_captain: [ACTOR, 'frank'], on_call: ['bob'], cto: ['carol'], senior_engineer: ['dave', 'erin'], observer: ['mallory'] };
const PEOPLE = [ACTOR, 'frank', 'carol', 'dave', 'erin', 'mallory'] as const;

/** A ledger line as SPEC §9.1 signs it: SSHSIG over the canonical JSON without hash and sig, then the hash. */
function forge(dir: string, keyFile: string, body: Record<string, unknown>): Record<string, unknown> {
  const msg = join(dir, `msg-${randomUUID()}`);
  writeFileSync(msg, canonical(body));
  execFileSync('ssh-keygen', ['-q', '-Y', 'sign', '-n', 'warroom', '-f', keyFile, msg], { stdio: 'ignore' });
  const signed = { ...body, sig: readFileSync(`${msg}.sig`, 'utf8') };
  return { ...signed, hash: sha(canonical(signed)) };
}

function requestBody(actor: string, at: Date, justification: string): Record<string, unknown> {
  return {
    schema: 'warroom.ledger/v1', seq: 1, ts: at.toISOString(), type: 'override.request', actor, deployment: 'rl-policy-e2e', environment: 'e2e',
    id: randomUUID(), kind: 'go', justification, overall: 'NO-GO', criteria_hash: sha(canonical([])), overridden: ['oncall_ack'],
    expires: new Date(at.getTime() + 3600_000).toISOString(), needs: { roles: ['cto', 'senior_engineer'], count: 3 }, decision: 'GO', criteria: [],
    ...(actor === 'frank' ? { role: 'release_captain' } : {}), prev_hash: GENESIS,
  };
}

function approvalBody(actor: string, request: Record<string, unknown>, at: Date): Record<string, unknown> {
  return {
    schema: 'warroom.ledger/v1', seq: 1, ts: at.toISOString(), type: 'override.approve', actor, deployment: 'rl-policy-e2e', environment: 'e2e',
    request: request.id, kind: 'go', requested_by: request.actor, criteria_hash: request.criteria_hash, role: 'senior_engineer', prev_hash: GENESIS,
  };
}

async function publish(sim: Simulator, frame: Record<string, unknown>): Promise<void> {
  const sock = new WebSocket(`${sim.url.replace(/^http:/, 'ws:')}/status`);
  await new Promise<void>((res, rej) => {
    sock.once('open', () => res());
    sock.once('error', rej);
  });
  sock.send(JSON.stringify(frame));
  await sleep(200);
  sock.close();
}

/** Every ledger of the audit dir (whichever console took ledger.jsonl's lock first). */
const ledgerLines = (ws: E2eWorkspace): Array<Record<string, unknown>> =>
  ws
    .auditFiles()
    .filter((f) => /^ledger.*\.jsonl$/.test(f))
    .flatMap((f) => readFileSync(join(ws.auditDir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>));

async function aliceRequest(ws: E2eWorkspace): Promise<Record<string, unknown>> {
  const find = () => ledgerLines(ws).find((l) => l.type === 'override.request' && l.actor === ACTOR);
  await eventually(() => find() !== undefined, 10_000, 'alice: the override.request line on disk');
  return find()!;
}

interface Rig {
  sim: Simulator;
  ws: E2eWorkspace;
  keys: Record<string, { key: string }>;
  open(actor: string): Tmux;
}

async function withRig(opts: { gates?: GateSpec[]; expires?: string }, body: (rig: Rig) => Promise<void>): Promise<void> {
  const sim = await startSim({ speed: 1 });
  const override = { roles: ['cto', 'senior_engineer'], count: 3, expires: opts.expires ?? '2h' };
  const ws = writeE2eConfig(sim, { gates: opts.gates ?? [ONCALL], decision: { unknown: 'nogo', override }, extra: { roles: ROLES } });
  const consoles = consoleSet();
  try {
    const keys = Object.fromEntries(PEOPLE.map((p) => [p, keypair(ws.dir, p)]));
    allowSigners(ws, PEOPLE.map((p) => `${p} ${keys[p]!.pub}`).join('\n') + '\n');
    await body({
      sim,
      ws,
      keys,
      open: (actor) => consoles.open(ws.configPath, { cols: 200, rows: 50, args: ['--actor', actor, '--signing-key', keys[actor]!.key] }),
    });
  } finally {
    consoles.stopAll();
    await sim.stop();
    ws.cleanup();
  }
}

/** alice: d g, a justification, y; fails if `d g` is refused. */
async function requestOverride(a: Tmux, justification: string): Promise<void> {
  await a.waitFor((s) => overall(s) === 'NO-GO', 15_000, 'alice: the light NO-GO');
  a.send('d');
  await a.waitFor(/g asks for an override/, 5_000, 'alice: the decision prompt offers the override');
  a.send('g');
  await a.waitFor(/OVERRIDE REQUEST: GO while the light is NO-GO|already open/, 5_000, 'alice: the override prompt');
  expect(a.capture()).not.toMatch(/already open/);
  a.type(justification);
  a.send('Enter');
  await a.waitFor(/Records and publishes a signed request/, 5_000, 'alice: the override confirm screen');
  await sleep(300);
  a.send('y');
}

describe('the room\'s override requests (issue 21 #8, #9)', () => {
  it('squatting: a request by a signer without the decision role, or dated tomorrow, does not stand; alice\'s d g is not refused and carol\'s o takes hers', async () => {
    await withRig({}, async ({ sim, ws, keys, open }) => {
      const a = open(ACTOR);
      const c = open('carol');
      await a.waitFor(/feed up/, 15_000, 'alice: feed up');
      await c.waitFor(/feed up/, 15_000, 'carol: feed up');
      const squat = forge(ws.dir, keys.mallory!.key, requestBody('mallory', new Date(), 'mine now'));
      const tomorrow = forge(ws.dir, keys.frank!.key, requestBody('frank', new Date(Date.now() + 86_400_000), 'from tomorrow'));
      await publish(sim, { type: 'override', action: 'request', id: squat.id, actor: 'mallory', line: squat });
      await publish(sim, { type: 'override', action: 'request', id: tomorrow.id, actor: 'frank', line: tomorrow });
      await a.waitFor(/override request .{8} by mallory not accepted: mallory does not hold release_captain, which a GO decision needs; ignored/, 10_000, 'alice: mallory\'s request refused, with why');
      await a.waitFor(/override request .{8} by frank not accepted: it is dated \d{4}-\d\d-\d\dT\d\d:\d\dZ, ahead of this console's clock by more than 15 min; ignored/, 10_000, 'alice: frank\'s future request refused');
      await sleep(1_000);
      expect(c.capture()).not.toMatch(/OVERRIDE REQUESTED/);

      await requestOverride(a, 'db migration verified by hand');
      const req = await aliceRequest(ws);
      const id8 = String(req.id).slice(0, 8);
      // 2 h ahead: after 22:00 UTC the expiry is tomorrow and the banner names the date.
      await c.waitFor(new RegExp(`OVERRIDE REQUESTED by e2e-alice: 0/3 approvals, expires (\\d{4}-\\d\\d-\\d\\d )?\\d\\d:\\d\\dZ — press o to approve ${id8}`), 10_000, 'carol: alice\'s request on the banner');
      expect(c.capture()).not.toMatch(/requests open/);
      c.send('o');
      await c.waitFor(new RegExp(`APPROVE OVERRIDE \\(GO while NO-GO\\) ${id8} requested by e2e-alice\\?`), 5_000, 'carol: the confirm names alice\'s request');
      await sleep(300);
      c.send('y');
      await a.waitFor(/OVERRIDE REQUESTED by e2e-alice: 1\/3 approvals/, 10_000, 'alice: carol\'s approval counted');
    });
  }, 120_000);

  it('two open requests: banner and o take the oldest and say so; an expiry on another day shows its date; a clock 6 min slow counts, 20 min off does not', async () => {
    await withRig({ expires: '30h' }, async ({ sim, ws, keys, open }) => {
      const a = open(ACTOR);
      const c = open('carol');
      await a.waitFor(/feed up/, 15_000, 'alice: feed up');
      await c.waitFor(/feed up/, 15_000, 'carol: feed up');
      await requestOverride(a, 'canary verified by hand');
      const req = await aliceRequest(ws);
      const id8 = String(req.id).slice(0, 8);
      await c.waitFor(/OVERRIDE REQUESTED by e2e-alice/, 10_000, 'carol: alice\'s request');
      // frank, a captain too, asks later (a console that did not see alice's yet).
      await sleep(1_100);
      const frank = forge(ws.dir, keys.frank!.key, requestBody('frank', new Date(), 'second opinion'));
      await publish(sim, { type: 'override', action: 'request', id: frank.id, actor: 'frank', line: frank });
      const banner = new RegExp(`OVERRIDE REQUESTED by e2e-alice: 0/3 approvals, expires \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\dZ — press o to approve ${id8} · 2 requests open: o takes this one, the oldest`);
      await c.waitFor(banner, 10_000, 'carol: the banner keeps alice\'s (oldest), dated, and counts both');
      c.send('o');
      await c.waitFor(new RegExp(`APPROVE OVERRIDE \\(GO while NO-GO\\) ${id8} requested by e2e-alice\\?`), 5_000, 'carol: o takes the oldest');
      await c.waitFor(new RegExp(`2 requests are open; this is the oldest\\. Also open: ${String(frank.id).slice(0, 8)} by frank`), 5_000, 'carol: the confirm names the other');
      c.send('Escape');

      const requestedAt = Date.parse(String(req.ts));
      const slow = forge(ws.dir, keys.dave!.key, approvalBody('dave', req, new Date(requestedAt - 6 * 60_000)));
      await publish(sim, { type: 'override', action: 'approve', id: req.id, actor: 'dave', line: slow });
      await a.waitFor(/OVERRIDE REQUESTED by e2e-alice: 1\/3 approvals/, 10_000, 'alice: dave (clock 6 min slow) counted');
      const off = forge(ws.dir, keys.erin!.key, approvalBody('erin', req, new Date(requestedAt - 20 * 60_000)));
      await publish(sim, { type: 'override', action: 'approve', id: req.id, actor: 'erin', line: off });
      await a.waitFor(/approval of .{8} by erin NOT COUNTED: dated 20 min before the request \(its clock is more than 15 min off\)/, 10_000, 'alice: erin (20 min off) not counted');
      expect(a.capture()).toMatch(/1\/3 approvals/);
    });
  }, 120_000);

  it('40 gates with long descriptions: the request fits one feed frame and reaches the approver', async () => {
    const gates: GateSpec[] = Array.from({ length: 40 }, (_, i) => ({
      ...ONCALL,
      id: `manual_check_${String(i).padStart(2, '0')}`,
      title: `Manual readiness check number ${i} for the checkout service rollout`,
      description: `Confirm by hand that step ${i} of the runbook was followed. `.repeat(40),
    }));
    await withRig({ gates }, async ({ ws, open }) => {
      const a = open(ACTOR);
      const c = open('carol');
      await a.waitFor(/feed up/, 15_000, 'alice: feed up');
      await c.waitFor(/feed up/, 15_000, 'carol: feed up');
      await requestOverride(a, 'all forty checked on the call');
      const req = await aliceRequest(ws);
      expect(Buffer.byteLength(JSON.stringify(req))).toBeLessThan(64 * 1024);
      // The 40 gates and the built-in feed_page_alerts gate.
      expect((req.criteria as unknown[]).length).toBe(41);
      expect(req.criteria_hash).toBe(sha(canonical(req.criteria)));
      await c.waitFor(new RegExp(`OVERRIDE REQUESTED by e2e-alice: 0/3 approvals.*press o to approve ${String(req.id).slice(0, 8)}`), 10_000, 'carol: the request arrived');
    });
  }, 120_000);

  it('a request that still cannot fit one frame (400 gates with long ids) is refused plainly: nothing recorded or sent', async () => {
    const gates: GateSpec[] = Array.from({ length: 400 }, (_, i) => ({ ...ONCALL, id: `manual_${'readiness_check_of_the_checkout_rollout_'.repeat(4)}${i}`, title: `Check ${i}` }));
    await withRig({ gates }, async ({ ws, open }) => {
      const a = open(ACTOR);
      await a.waitFor(/feed up/, 20_000, 'alice: feed up');
      await requestOverride(a, 'too many gates');
      await a.waitFor(/override request refused: it would be \d+ KiB, over the room feed's 64 KiB frame limit \(401 gates\): no approver could see it; nothing was recorded or sent/, 10_000, 'alice: told plainly');
      await sleep(500);
      expect(ledgerLines(ws).filter((l) => l.type === 'override.request')).toEqual([]);
      expect(a.capture()).not.toMatch(/OVERRIDE REQUESTED/);
    });
  }, 120_000);
});
