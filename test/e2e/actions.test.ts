/**
 * Issue 4 "Done means" on the real binary in tmux: confirmations that really gate the control
 * API, kill-switch and influence that reach the simulator and verify, decision records, the
 * read-only mode, and `audit verify` catching an edited ledger line.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import {
  ACTOR,
  entropyGate,
  eventually,
  headerInfluence,
  killswitchTestedGate,
  metric,
  overall,
  requestsTo,
  setInfluence,
  setScenario,
  startConsole,
  startSim,
  writeE2eConfig,
  type GateSpec,
  type Simulator,
} from '../helpers/e2e.js';
import type { Tmux } from '../helpers/tmux.js';
import { pastGuard } from '../helpers/confirm.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const KILL = '/admin/kill-switch';
const INFLUENCE = '/admin/influence';
/** Long enough for a key that was (wrongly) acted on to reach the simulator. */
const SETTLE_MS = 1_000;

let sim: Simulator;
beforeAll(async () => {
  sim = await startSim({ speed: 20 });
});
afterAll(async () => {
  await sim?.stop();
});

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
  // Each test starts from the same simulator state.
  await setScenario(sim, 'healthy');
});

function open(gates: GateSpec[], opts: { args?: string[]; decision?: Record<string, unknown> } = {}) {
  const ws = writeE2eConfig(sim, { gates, ...(opts.decision ? { decision: opts.decision } : {}) });
  cleanups.push(() => ws.cleanup());
  const t = startConsole(ws.configPath, { cols: 120, rows: 36, ...(opts.args ? { args: opts.args } : {}) });
  cleanups.push(() => t.stop());
  return { ws, t };
}

/** Opens a confirm screen with `keys` and waits until it is drawn (a confirm key counts only then). */
async function openConfirm(t: Tmux, keys: string[], confirmText: RegExp): Promise<string> {
  t.send(...keys);
  const screen = await t.waitFor(confirmText, 5_000, `confirm screen ${confirmText}`);
  // The console ignores confirm keys for 150 ms after the screen appears.
  await pastGuard();
  return screen;
}

describe('actions from the keyboard (issue 4)', () => {
  it('K then Esc or n sends nothing; K y posts one kill-switch with an Idempotency-Key and shows VERIFIED; audit verify catches an edit', async () => {
    await setInfluence(sim, 25);
    await eventually(async () => (await metric(sim, 'policy_influence_pct')) === 25, 5_000, 'sim influence 25');
    const { ws, t } = open([entropyGate(), killswitchTestedGate()]);
    await t.waitFor((s) => headerInfluence(s) === 25, 10_000, 'influence 25% in the header');
    const before = requestsTo(sim, KILL).length;

    const confirm = await openConfirm(t, ['K'], /KILL-SWITCH: influence 25% → 0%/);
    expect(confirm).toMatch(/y or Enter to confirm/);
    t.send('Escape');
    await t.waitFor((s) => !s.includes('y or Enter to confirm'), 5_000, 'the confirm screen to close on Esc');
    await openConfirm(t, ['K'], /KILL-SWITCH: influence 25% → 0%/);
    t.send('n');
    await t.waitFor((s) => !s.includes('y or Enter to confirm'), 5_000, 'the confirm screen to close on n');
    await sleep(SETTLE_MS);
    expect(requestsTo(sim, KILL).length).toBe(before);
    expect(await metric(sim, 'policy_influence_pct')).toBe(25);
    expect(ws.ledger()).toEqual([]);

    await openConfirm(t, ['K'], /KILL-SWITCH: influence 25% → 0%/);
    t.send('y');
    const verified = await t.waitFor(/KILL-SWITCH 25% → 0%:.*VERIFIED/, 15_000, 'kill-switch VERIFIED');
    await t.waitFor((s) => headerInfluence(s) === 0, 5_000, 'header influence 0%');
    const posts = requestsTo(sim, KILL).slice(before);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.idempotency_key).toMatch(/^[0-9a-f-]{16,}$/i);
    expect(posts[0]!.body).toMatchObject({ enabled: true, actor: ACTOR });
    expect(sim.state().killswitch_engaged).toBe(true);
    expect(await metric(sim, 'policy_influence_pct')).toBe(0);

    t.send('q');
    expect(await t.exitCode()).toBe(0);
    const lines = ws.ledger();
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.map((l) => `${l.action}:${l.phase}`)).toEqual(expect.arrayContaining(['kill_switch:requested', 'kill_switch:verified']));
    expect(lines.every((l) => l.idempotency_key === posts[0]!.idempotency_key)).toBe(true);

    const ok = await runCli(['audit', 'verify', '--dir', ws.auditDir]);
    expect(ok.code).toBe(0);

    // Edit one value in line 2, as a tamperer would, keeping it valid JSON.
    const file = join(ws.auditDir, 'ledger.jsonl');
    const text = readFileSync(file, 'utf8').split('\n');
    const line2 = JSON.parse(text[1]!) as Record<string, unknown>;
    line2.actor = 'mallory';
    text[1] = JSON.stringify(line2);
    writeFileSync(file, text.join('\n'));
    const bad = await runCli(['audit', 'verify', '--dir', ws.auditDir]);
    expect(bad.code).toBe(1);
    expect(bad.stdout + bad.stderr).toMatch(/ledger\.jsonl:2\b/);
  });

  it('i 10 with a light that is not GO asks a reason, then y sets influence 10% and verifies it', async () => {
    await setInfluence(sim, 0);
    // An unsigned manual gate keeps the light from GO, so the reason line is required.
    const { ws, t } = open([entropyGate(), { id: 'oncall_ack', title: 'On-call engineer ACK', group: 'Readiness', source: 'manual', signoff_role: 'on_call' }]);
    await t.waitFor((s) => /Policy entropy/.test(s) && /● GO\s+Policy entropy/.test(s) && overall(s) !== 'GO' && overall(s) !== undefined, 10_000, 'entropy GO with the overall not GO');
    const before = requestsTo(sim, INFLUENCE).length;

    t.send('i');
    await t.waitFor(/new influence %/, 5_000, 'the influence prompt');
    t.type('10');
    t.send('Enter');
    await t.waitFor(/reason required: .*light/, 5_000, 'the reason prompt');
    await sleep(SETTLE_MS / 2);
    expect(requestsTo(sim, INFLUENCE).length).toBe(before);
    t.type('canary stage one');
    t.send('Enter');
    await t.waitFor(/SET INFLUENCE 0% → 10%/, 5_000, 'the influence confirm screen');
    await pastGuard();
    expect(requestsTo(sim, INFLUENCE).length).toBe(before);
    t.send('y');
    await t.waitFor(/influence 0% → 10%:.*VERIFIED/, 15_000, 'influence VERIFIED');

    const posts = requestsTo(sim, INFLUENCE).slice(before);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).toMatchObject({ pct: 10 });
    expect(posts[0]!.idempotency_key).toBeTruthy();
    expect(await metric(sim, 'policy_influence_pct')).toBe(10);
    await t.waitFor((s) => headerInfluence(s) === 10, 5_000, 'header influence 10%');
    await eventually(() => ws.ledger().some((l) => l.action === 'set_influence' && l.phase === 'verified' && l.to_pct === 10), 5_000, 'a verified set_influence ledger line');
    expect(ws.ledger().find((l) => l.action === 'set_influence')?.reason).toMatch(/canary stage one/);
  });

  it('d g with a GO light writes a GO decision record with the criteria; with a NO-GO light d g is refused', async () => {
    const { ws, t } = open([entropyGate(), killswitchTestedGate()], { decision: { unknown: 'nogo' } });
    await t.waitFor((s) => overall(s) === 'GO', 10_000, 'overall GO');

    t.send('d');
    await t.waitFor(/RECORD DECISION/, 5_000, 'the decision prompt');
    t.send('g');
    await t.waitFor(/justification: _/, 5_000, 'the justification prompt');
    t.type('all gates green for stage 1');
    t.send('Enter');
    await t.waitFor(/Writes the decision record/, 5_000, 'the decision confirm screen');
    await pastGuard();
    expect(ws.auditFiles().filter((f) => f.endsWith('_go_nogo.json'))).toEqual([]);
    t.send('y');
    await eventually(() => ws.auditFiles().some((f) => f.endsWith('_go_nogo.json')), 5_000, 'a *_go_nogo.json record');

    const [name] = ws.auditFiles().filter((f) => f.endsWith('_go_nogo.json'));
    expect(name).toMatch(/^\d{8}T\d{6}Z_go_nogo\.json$/);
    const record = JSON.parse(readFileSync(join(ws.auditDir, name!), 'utf8')) as Record<string, unknown> & { criteria: Array<Record<string, unknown>> };
    expect(record).toMatchObject({ schema: 'warroom.decision/v1', decision: 'GO', decided_by: ACTOR, overall: 'GO', justification: 'all gates green for stage 1' });
    const entropy = record.criteria.find((c) => c.id === 'entropy');
    expect(entropy).toMatchObject({ status: 'PASS', severity: 'critical', group: 'Policy health' });
    // The product writes the go threshold with its warn band, e.g. ">= 0.9 (warn >= 0.8)".
    expect(entropy!.threshold).toMatch(/^>= 0\.9\b/);
    expect(Date.parse(String(entropy!.observed_at))).not.toBeNaN();
    expect(entropy!.value as number).toBeGreaterThanOrEqual(0.9);
    expect(record.criteria.map((c) => c.id)).toEqual(expect.arrayContaining(['entropy', 'killswitch_tested']));
    expect(record.hash).toMatch(/^sha256:[0-9a-f]{64}$/);

    // Now the light goes NO-GO: GO is refused and nothing more is written.
    await setScenario(sim, 'entropy-collapse');
    await t.waitFor((s) => overall(s) === 'NO-GO', 15_000, 'overall NO-GO');
    const filesBefore = ws.auditFiles();
    const ledgerBefore = ws.ledger().length;
    t.send('d');
    await t.waitFor(/GO is refused while the light is NO-GO/, 5_000, 'the decision prompt warning');
    t.send('g');
    await t.waitFor(/GO refused: the light is NO-GO/, 5_000, 'the refusal on screen');
    await sleep(SETTLE_MS / 2);
    expect(ws.auditFiles()).toEqual(filesBefore);
    expect(ws.ledger()).toHaveLength(ledgerBefore);
    expect(ws.ledger().filter((l) => l.type === 'decision')).toHaveLength(1);
  });

  it('--read-only: K says READ-ONLY and nothing is sent', async () => {
    await setInfluence(sim, 10);
    const { ws, t } = open([entropyGate()], { args: ['--read-only'] });
    const first = await t.waitFor((s) => headerInfluence(s) === 10, 10_000, 'influence 10%');
    expect(first.split('\n')[0]).toMatch(/READ-ONLY/);
    const before = requestsTo(sim, KILL).length;
    t.send('K');
    await t.waitFor(/READ-ONLY: actions are disabled/, 5_000, 'the READ-ONLY refusal');
    expect(t.capture()).not.toMatch(/y or Enter to confirm/);
    t.send('y');
    await sleep(SETTLE_MS);
    expect(requestsTo(sim, KILL).length).toBe(before);
    expect(await metric(sim, 'policy_influence_pct')).toBe(10);
    expect(ws.ledger().filter((l) => l.type === 'action')).toEqual([]);
  });
});
