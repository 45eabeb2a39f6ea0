/**
 * Issue 21 findings 1, 2 and 4 in the real console (tmux), with every input forged from the
 * contract (test/helpers/forge.ts): this console's own ledger lines carry no authority without
 * a valid signature, approvers are counted by key, and a key past its valid-before counts for
 * nothing. The console and `check` give one answer on a dropped file.
 */
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { ACTOR, overall, startSim, writeE2eConfig, type E2eWorkspace, consoleSet, allowSigners } from '../helpers/e2e.js';
import { copyOf, ForgedLedger, keypair, type Key } from '../helpers/forge.js';
import type { Tmux } from '../helpers/tmux.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ONCALL = { id: 'oncall_ack', title: 'On-call ACK', group: 'Readiness', source: 'manual', signoff_role: 'on_call' };
const ROLES = { release_captain: [ACTOR], on_call: ['bob'], cto: ['carol'], senior_engineer: ['dave', 'erin', 'hank', 'hank2', 'ivan'] };
const OVERRIDE = { roles: ['cto', 'senior_engineer'], count: 3, expires: '2h' };

interface Rig {
  ws: E2eWorkspace;
  keys: Record<string, Key>;
  open(): Tmux;
}

/** A room whose allowed_signers is `signers(keys)`; the console is alice's, with her key. */
async function withRig(people: string[], signers: (k: Record<string, Key>) => string, body: (rig: Rig) => Promise<void>): Promise<void> {
  const sim = await startSim({ speed: 1 });
  const ws = writeE2eConfig(sim, { gates: [ONCALL], decision: { unknown: 'nogo', override: OVERRIDE }, extra: { roles: ROLES } });
  const consoles = consoleSet();
  try {
    mkdirSync(ws.auditDir, { recursive: true });
    const keys = Object.fromEntries([ACTOR, ...people].map((p) => [p, keypair(ws.dir, p)]));
    allowSigners(ws, signers(keys));
    await body({
      ws,
      keys,
      // Wide enough for the banner's not-counted list after 22:00 UTC too, when the 2 h expiry is
      // tomorrow and the banner names its date (11 more columns).
      open: () => consoles.open(ws.configPath, { cols: 240, rows: 40, args: ['--signing-key', keys[ACTOR]!.key] }),
    });
  } finally {
    consoles.stopAll();
    await sim.stop();
    ws.cleanup();
  }
}

/**
 * alice's signed request, and approvals of it as the forger chooses (signed with `key`, or not);
 * the head is alice's, signed (else the whole file would be distrusted before any approval is judged).
 */
function rebuiltLedger(keys: Record<string, Key>, approvals: { actor: string; key?: Key }[]): ForgedLedger {
  const l = new ForgedLedger('rl-policy-e2e', 'e2e');
  const at = Date.now() - 60_000;
  const req = l.add({
    type: 'override.request', actor: ACTOR, role: 'release_captain', id: 'req-forged-0001', kind: 'go', decision: 'GO', justification: 'hotfix',
    overall: 'NO-GO', criteria_hash: 'sha256:abc', overridden: ['oncall_ack'], expires: new Date(at + 2 * 3600_000).toISOString(), needs: { roles: OVERRIDE.roles, count: 3 },
  }, { key: keys[ACTOR], at });
  for (const a of approvals) {
    l.add({ type: 'override.approve', actor: a.actor, request: req.id, kind: 'go', requested_by: ACTOR, criteria_hash: 'sha256:abc' }, { ...(a.key ? { key: a.key } : {}), at: at + 10_000 });
  }
  return l;
}

const decisions = (ws: E2eWorkspace) => ws.auditFiles().filter((f) => f.endsWith('_go_nogo.json'));

describe.concurrent('the console judges its own ledger by signatures (issue 21)', () => {
  it('finding 2: unsigned local approvals in a rebuilt ledger.jsonl never complete an override', async () => {
    await withRig(['carol', 'dave', 'erin'], (k) => Object.values(k).map((x) => `${x.name} ${x.pub}`).join('\n') + '\n', async ({ ws, keys, open }) => {
      rebuiltLedger(keys, [{ actor: 'carol' }, { actor: 'dave' }, { actor: 'erin' }]).write(ws.auditDir, 'ledger', { actor: ACTOR, key: keys[ACTOR]! });
      const a = open();
      const screen = await a.waitFor(/OVERRIDE REQUESTED by e2e-alice: 0\/3 approvals/, 20_000, 'the request pending with no approval counted');
      expect(screen).toMatch(/not counted: carol \(unsigned\)/);
      await sleep(2000);
      expect(a.capture()).not.toMatch(/COMPLETE|APPROVED/);
      expect(decisions(ws)).toEqual([]);
    });
  });

  it('finding 4: one key listed as hank,hank2 is one approver, and a key past its valid-before counts for nothing', async () => {
    const people = ['carol', 'hank', 'ivan'];
    await withRig(people, (k) => [`${ACTOR} ${k[ACTOR]!.pub}`, `carol ${k.carol!.pub}`, `hank,hank2 ${k.hank!.pub}`, `ivan valid-before="20200101" ${k.ivan!.pub}`].join('\n') + '\n', async ({ ws, keys, open }) => {
      rebuiltLedger(keys, [{ actor: 'hank', key: keys.hank }, { actor: 'hank2', key: keys.hank }, { actor: 'ivan', key: keys.ivan }, { actor: 'carol', key: keys.carol }]).write(ws.auditDir, 'ledger', { actor: ACTOR, key: keys[ACTOR]! });
      const a = open();
      const screen = await a.waitFor(/OVERRIDE REQUESTED by e2e-alice: 2\/3 approvals/, 20_000, 'hank and carol counted, nobody else');
      expect(screen).toMatch(/hank2 \(signed with the same key as hank/);
      expect(screen).toMatch(/ivan \(the key of ivan expired/);
      await sleep(2000);
      expect(decisions(ws)).toEqual([]);
    });
  });

  it('finding 1: on a dropped unsigned ledger-ops.jsonl, the console and check --strict both say NO-GO', async () => {
    await withRig(['bob', 'mallory'], (k) => Object.values(k).map((x) => `${x.name} ${x.pub}`).join('\n') + '\n', async ({ ws, open }) => {
      const ops = new ForgedLedger('rl-policy-e2e', 'e2e');
      ops.add({ type: 'signoff', role: 'on_call', gate: 'oncall_ack', actor: 'bob' });
      ops.add({ type: 'waiver', gate: 'oncall_ack', reason: 'trust me', expires: new Date(Date.now() + 3600_000).toISOString(), actor: 'mallory' });
      ops.write(ws.auditDir, 'ledger-ops', { actor: 'ops' });
      const c = await runCli(['check', '--strict', '--config', ws.configPath, '--format', 'json'], { timeoutMs: 30_000 });
      expect(JSON.parse(c.stdout).overall).toBe('NO-GO');
      expect(c.code).toBe(2);
      const a = open();
      await a.waitFor((s) => overall(s) === 'NO-GO', 20_000, 'the console: NO-GO');
      await sleep(2000);
      expect(overall(a.capture())).toBe('NO-GO');
    });
  });

  it('finding 6: the console, check and report give one answer when one copy of an act is invalidated', async () => {
    await withRig(['bob'], (k) => Object.values(k).map((x) => `${x.name} ${x.pub}`).join('\n') + '\n', async ({ ws, keys, open }) => {
      const bob = new ForgedLedger('rl-policy-e2e', 'e2e');
      const own = bob.add({ type: 'signoff', role: 'on_call', gate: 'oncall_ack', actor: 'bob' }, { key: keys.bob });
      bob.write(ws.auditDir, 'ledger-bob', { actor: 'bob', key: keys.bob! });
      // alice's console recorded its copy of bob's signed sign-off in its own ledger.
      const mine = new ForgedLedger('rl-policy-e2e', 'e2e');
      mine.add(copyOf(own, ACTOR));
      mine.write(ws.auditDir, 'ledger', { actor: ACTOR, key: keys[ACTOR]! });
      const a = open();
      await a.waitFor((s) => overall(s) === 'GO', 20_000, 'the console: GO on bob\'s signed sign-off');
      // The captain invalidates bob's own line (in ledger-bob.jsonl), not the console's copy.
      const inv = await runCli(['audit', 'invalidate', 'ledger-bob.jsonl:1', '--reason', 'signed on the wrong build', '--config', ws.configPath, '--actor', ACTOR, '--signing-key', keys[ACTOR]!.key]);
      expect(inv.code, inv.stderr).toBe(0);
      expect(inv.stdout).toMatch(new RegExp(`recorded as ledger-${ACTOR}\\.jsonl:1 \\(signed\\)`));
      await a.waitFor((s) => overall(s) !== 'GO', 20_000, 'the console: the copy goes with the act');
      const c = await runCli(['check', '--strict', '--config', ws.configPath, '--format', 'json'], { timeoutMs: 30_000 });
      expect(JSON.parse(c.stdout).overall).toBe(overall(a.capture()));
      const rep = await runCli(['report', '--config', ws.configPath]);
      expect(rep.stdout).toMatch(/No sign-offs recorded\./);
    });
  });
});
