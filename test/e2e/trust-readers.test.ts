/**
 * Issue 21, "one judge, every reader", for the readers left: checkpoint acks (and /metrics),
 * the override requests that stand open, what marks a request done, and the notifications and
 * traces a console makes of its own acts. The real
 * console in tmux, with every input forged from the contract (test/helpers/forge.ts:
 * canonical JSON, sha256, `ssh-keygen -Y sign`): in a signed room a line that no key listed
 * for its actor signed acknowledges nothing, blocks nothing and is announced as nothing.
 */
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTOR, eventually, headerInfluence, metric, overall, setInfluence, startSim, writeE2eConfig, type E2eConfigOptions, type E2eWorkspace, consoleSet, allowSigners } from '../helpers/e2e.js';
import { ForgedLedger, keypair, type Key } from '../helpers/forge.js';
import { startReceiver } from '../helpers/notifyReceivers.js';
import { startOtlpReceiver } from '../helpers/otlpReceiver.js';
import { freePort } from '../helpers/prometheus.js';
import { confirm, pastGuard } from '../helpers/confirm.js';
import type { Tmux } from '../helpers/tmux.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ONCALL = { id: 'oncall_ack', title: 'On-call ACK', group: 'Readiness', source: 'manual', signoff_role: 'on_call' };
const ROLES = { release_captain: [ACTOR], on_call: [ACTOR, 'bob'], cto: ['carol'], senior_engineer: ['dave', 'erin'] };
const OVERRIDE = { roles: ['cto', 'senior_engineer'], count: 3, expires: '2h' };
const CHECKPOINT = 'Check for any alerts';

interface Rig {
  ws: E2eWorkspace;
  keys: Record<string, Key>;
  /** alice's console; with her key unless `signed: false`. */
  open(opts?: { signed?: boolean; args?: string[] }): Tmux;
}

/** A room whose allowed_signers lists alice, bob and mallory (a key with no role). */
async function withRig(opts: Omit<E2eConfigOptions, 'gates' | 'deployment'> & { influence?: number; people?: string[] }, body: (rig: Rig) => Promise<void>): Promise<void> {
  const sim = await startSim({ speed: 1 });
  const ws = writeE2eConfig(sim, { gates: [ONCALL], decision: { unknown: 'nogo', override: OVERRIDE }, ...opts, extra: { roles: ROLES, ...opts.extra } });
  const consoles = consoleSet();
  try {
    if (opts.influence !== undefined) {
      await setInfluence(sim, opts.influence);
      await eventually(async () => (await metric(sim, 'policy_influence_pct')) === opts.influence, 5_000, `sim influence ${opts.influence}`);
    }
    mkdirSync(ws.auditDir, { recursive: true });
    const keys = Object.fromEntries([ACTOR, 'bob', 'mallory', ...(opts.people ?? [])].map((p) => [p, keypair(ws.dir, p)]));
    allowSigners(ws, Object.values(keys).map((k) => `${k.name} ${k.pub}`).join('\n') + '\n');
    await body({
      ws,
      keys,
      open: (o = {}) => consoles.open(ws.configPath, { cols: 200, rows: 45, args: [...(o.signed === false ? [] : ['--signing-key', keys[ACTOR]!.key]), ...(o.args ?? [])] }),
    });
  } finally {
    consoles.stopAll();
    await sim.stop();
    ws.cleanup();
  }
}

describe.concurrent('every reader uses the one judge (issue 21)', () => {
  it('checkpoint acks: an unsigned or badly signed ack in a rebuilt ledger.jsonl leaves the checkpoint DUE; alice\'s signed a acknowledges it', async () => {
    const start = new Date(Date.now() - 31 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const ramp = { start, max_step: 25, stages: [{ influence: 10, hold: '2h', checkpoints: [{ at: '30m', label: CHECKPOINT }, { at: '60m', label: 'Review metrics stability' }] }, { influence: 25, hold: '2h' }] };
    await withRig({ ramp, influence: 10 }, async ({ ws, keys, open }) => {
      const l = new ForgedLedger('rl-policy-e2e', 'e2e');
      const ack = { type: 'checkpoint.ack', stage: 0, offset_ms: 30 * 60_000, label: CHECKPOINT, actor: ACTOR, role: 'release_captain' };
      l.add(ack, { at: Date.now() - 30_000 });
      // Signed, but by mallory's key: not a key listed for alice.
      l.add(ack, { key: keys.mallory, at: Date.now() - 20_000 });
      l.write(ws.auditDir, 'ledger', { actor: ACTOR, key: keys[ACTOR]! });

      const port = await freePort();
      const a = open({ args: ['--metrics-listen', `127.0.0.1:${port}`] });
      await a.waitFor((s) => headerInfluence(s) === 10, 15_000, 'influence 10% in the header');
      // (Why each is not counted goes to the event log at start-up, soon scrolled away by the
      // feed's lines; the reasons are asserted in test/unit/trust-readers.test.ts.)
      await a.waitFor(/T\+30 Check for any alerts: DUE/, 15_000, 'the T+30 checkpoint still DUE');
      await sleep(1_500);
      expect(a.capture()).toMatch(/T\+30 Check for any alerts: DUE/);
      const due = async () => /^warroom_checkpoint_due 1$/m.test(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
      expect(await due()).toBe(true);

      // The same act, signed by alice's own key through her console, counts.
      a.send('a');
      await a.waitFor(new RegExp(`T\\+30 \\S+ ${ACTOR} \\d\\d:\\d\\dZ`), 10_000, 'the checkpoint acknowledged by alice');
      await eventually(async () => !(await due()), 5_000, '/metrics: no checkpoint due once alice acknowledged');
      const written = ws.ledger().filter((x) => x.type === 'checkpoint.ack');
      expect(written).toHaveLength(3);
      expect(written[2]!.sig).toMatch(/BEGIN SSH SIGNATURE/);
    });
  }, 90_000);

  it('override requests: an unsigned or badly signed request in a rebuilt ledger.jsonl does not stand: no banner, alice\'s d g is not refused', async () => {
    await withRig({}, async ({ ws, keys, open }) => {
      const l = new ForgedLedger('rl-policy-e2e', 'e2e');
      const at = Date.now() - 60_000;
      const request = (id: string) => ({
        type: 'override.request', actor: ACTOR, role: 'release_captain', id, kind: 'go', decision: 'GO', justification: 'squat',
        overall: 'NO-GO', criteria_hash: 'sha256:abc', overridden: ['oncall_ack'], expires: new Date(at + 2 * 3600_000).toISOString(), needs: { roles: OVERRIDE.roles, count: 3 },
      });
      l.add(request('unsigned-req-0001'), { at });
      l.add(request('mallory-req-0002'), { key: keys.mallory, at: at + 1_000 });
      l.write(ws.auditDir, 'ledger', { actor: ACTOR, key: keys[ACTOR]! });

      const a = open();
      await a.waitFor((s) => overall(s) === 'NO-GO', 20_000, 'the light NO-GO');
      await sleep(1_500);
      expect(a.capture()).not.toMatch(/OVERRIDE REQUESTED/);
      a.send('o');
      await a.waitFor(/nothing to approve: no override or waiver request is open/, 5_000, 'o: nothing stands open to approve');

      a.send('d');
      await a.waitFor(/g asks for an override/, 5_000, 'the decision prompt offers the override');
      a.send('g');
      const prompt = await a.waitFor(/OVERRIDE REQUEST: GO while the light is NO-GO|already open/, 5_000, 'the override prompt');
      expect(prompt).not.toMatch(/already open/);
      a.send('Escape');
    });
  }, 90_000);

  it('override completion: a forged unsigned decision naming alice\'s request does not mark it done; her console records the GO once 3 signed approvals are in', async () => {
    await withRig({ people: ['carol', 'dave', 'erin'] }, async ({ ws, keys, open }) => {
      const l = new ForgedLedger('rl-policy-e2e', 'e2e');
      const at = Date.now() - 60_000;
      const req = l.add({
        type: 'override.request', actor: ACTOR, role: 'release_captain', id: 'req-signed-0001', kind: 'go', decision: 'GO', justification: 'hotfix',
        overall: 'NO-GO', criteria_hash: 'sha256:abc', overridden: ['oncall_ack'], expires: new Date(at + 2 * 3600_000).toISOString(), needs: { roles: OVERRIDE.roles, count: 3 },
      }, { key: keys[ACTOR], at });
      // Unsigned: it claims the request was already decided, so nobody would complete it.
      l.add({ type: 'decision', decision: 'NO-GO', id: 'forged', file: 'forged_go_nogo.json', record_hash: 'sha256:00', justification: 'squat', next_review: null, actor: ACTOR, override: { request: req.id } }, { at: at + 5_000 });
      for (const who of ['carol', 'dave', 'erin']) {
        l.add({ type: 'override.approve', actor: who, request: req.id, kind: 'go', requested_by: ACTOR, criteria_hash: 'sha256:abc' }, { key: keys[who], at: at + 10_000 });
      }
      l.write(ws.auditDir, 'ledger', { actor: ACTOR, key: keys[ACTOR]! });
      const a = open();
      await eventually(() => ws.auditFiles().some((f) => f.endsWith('_go_nogo.json')), 20_000, 'the GO decision record written');
      const done = ws.ledger().filter((x) => x.type === 'decision' && x.sig !== undefined);
      expect(done).toHaveLength(1);
      expect(done[0]).toMatchObject({ decision: 'GO', override: { request: req.id } });
      expect(a.capture()).not.toMatch(/OVERRIDE REQUESTED by e2e-alice/);
    });
  }, 90_000);

  it('invalidation: a forged unsigned invalidation neither removes alice\'s signed sign-off nor hides it from the palette', async () => {
    await withRig({}, async ({ ws, keys, open }) => {
      const l = new ForgedLedger('rl-policy-e2e', 'e2e');
      const signoff = l.add({ type: 'signoff', role: 'on_call', gate: 'oncall_ack', actor: ACTOR }, { key: keys[ACTOR] });
      l.add({ type: 'invalidate', target: { file: 'ledger.jsonl', line: 1, hash: signoff.hash, act: signoff.hash }, reason: 'forged', actor: ACTOR });
      l.write(ws.auditDir, 'ledger', { actor: ACTOR, key: keys[ACTOR]! });
      const a = open();
      await a.waitFor((s) => overall(s) === 'GO', 20_000, 'GO: alice\'s signed sign-off still counts');
      a.send(':');
      await a.waitFor(/COMMANDS \d+ shown/, 5_000, 'the palette');
      a.type('inval');
      a.send('Enter');
      await a.waitFor(/Which entry no longer counts\?/, 5_000, 'the invalidation list');
      expect(a.capture()).toMatch(/1 sign-off on_call on oncall_ack by e2e-alice at \d\d:\d\dZ \(ledger\.jsonl:1\)/);
      a.send('Escape');
    });
  }, 90_000);

  it('notifications: a sign-off no listed key signed (a console without its key) is never announced as a sign-off', async () => {
    const hook = await startReceiver('ok');
    try {
      const notify = [{ type: 'webhook', url: `${hook.url}/hook`, on: ['signoff', 'status'], every: '1s' }];
      await withRig({ extra: { notify } }, async ({ open }) => {
        const a = open({ signed: false });
        await a.waitFor((s) => overall(s) === 'NO-GO', 20_000, 'the light NO-GO');
        a.send('s');
        await a.waitFor(/SIGN OFF "On-call ACK"/, 5_000, 'the sign-off confirm');
        await confirm(a);
        await a.waitFor(/notify: signoff by e2e-alice not announced: it carries no authority here \(unsigned\) and does not count/, 10_000, 'the event log says why it was not announced');
        // The sink works (status messages keep arriving), and no sign-off ever reached it.
        const before = hook.delivered().length;
        await eventually(() => hook.delivered().length >= before + 2, 10_000, 'status messages after the sign-off');
        const events = (hook.delivered() as { event?: string }[]).map((b) => b.event);
        expect(events).toContain('status');
        expect(events).not.toContain('signoff');
        expect(overall(a.capture())).toBe('NO-GO');
      });
    } finally {
      await hook.stop();
    }
  }, 90_000);

  it('traces: a decision no listed key signed is not the window\'s decision (no deployment.gate event, no nogo result)', async () => {
    const rx = await startOtlpReceiver();
    try {
      await withRig({ extra: { telemetry: { otlp: { endpoint: rx.url } } } }, async ({ ws, open }) => {
        const a = open({ signed: false });
        await a.waitFor((s) => overall(s) === 'NO-GO', 20_000, 'the light NO-GO');
        a.send('d');
        await a.waitFor(/RECORD DECISION/, 5_000, 'the decision prompt');
        a.send('n');
        await a.waitFor(/justification: _/, 5_000, 'the justification prompt');
        a.type('hold the window');
        a.send('Enter');
        await a.waitFor(/next review/, 5_000, 'the next-review prompt');
        a.type('4h');
        a.send('Enter');
        await a.waitFor(/Writes the decision record/, 5_000, 'the decision confirm');
        await confirm(a);
        await eventually(() => ws.ledger().some((l) => l.type === 'decision' && l.sig === undefined), 10_000, 'the unsigned decision line');
        a.send('q');
        await pastGuard();
        if (/y to quit|quit\?/i.test(a.capture())) a.send('y');
        expect(await a.exitCode(15_000)).toBe(0);
        await eventually(() => rx.spans().some((x) => x.span.kind === 2), 10_000, 'the window span');
        const spans = rx.spans();
        const win = spans.find((x) => x.span.name === 'RUN rl-policy-e2e')!;
        expect(win.attrs['cicd.pipeline.result']).toBe('skip');
        expect(win.attrs['warroom.decision']).toBeUndefined();
        expect(spans.flatMap((x) => x.events.map((e) => e.name))).not.toContain('deployment.gate');
      });
    } finally {
      await rx.close();
    }
  }, 90_000);
});
