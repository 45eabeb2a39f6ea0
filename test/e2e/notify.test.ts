/**
 * SPEC §9.4 through the real binary: a console in tmux whose NO-GO and kill-switch reach
 * real local receivers (gate, value, threshold and actor in the message), a failing sink
 * shown in the header and recorded once in the ledger, a hanging sink that holds up
 * nothing, and no webhook secret on screen, in the ledger or on stderr. Then `announce`
 * and `report --notify` through the CLI.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify, parse } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { ACTOR, BIN, entropyGate, eventually, headerInfluence, metric, overall, requestsTo, setInfluence, setScenario, startSim, writeE2eConfig, type Simulator } from '../helpers/e2e.js';
import { startReceiver, type Receiver } from '../helpers/notifyReceivers.js';
import { startTmux } from '../helpers/tmux.js';
import { Ledger } from '../../src/audit/ledger.js';
import { confirm } from '../helpers/confirm.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ENV_SECRET_PATH = '/services/TENV/BENV/envsecretpath0123';
const INLINE_SECRET_PATH = '/services/T9/B9/inlinefailsecret42';

let sim: Simulator;
const receivers: Receiver[] = [];
beforeAll(async () => {
  sim = await startSim({ speed: 20 });
});
afterAll(async () => {
  await sim?.stop();
});
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
  await setScenario(sim, 'healthy');
});
async function receiver(script?: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const r = await startReceiver(script);
  receivers.push(r);
  return r;
}
const bodies = (r: Receiver) => r.delivered() as Record<string, any>[];

describe('notifications from the real binary (SPEC §9.4)', () => {
  it('NO-GO and the kill-switch reach the receivers; a failing sink shows in the header and the ledger; no secret leaks', async () => {
    await setInfluence(sim, 25);
    await eventually(async () => (await metric(sim, 'policy_influence_pct')) === 25, 5_000, 'sim influence 25');
    const hook = await receiver();
    const slack = await receiver();
    const failing = await receiver(() => 500);
    const hang = await receiver('hang');
    const ws = writeE2eConfig(sim, {
      gates: [entropyGate()],
      extra: {
        notify: [
          { type: 'webhook', url: `${hook.url}/hook`, on: ['overall', 'kill'] },
          { type: 'slack', url: '${SLACK_WEBHOOK}', on: ['overall'] },
          { type: 'slack', url: `${failing.url}${INLINE_SECRET_PATH}`, on: ['overall'], retries: 1 },
          { type: 'teams', url: `${hang.url}/workflows/hangs`, on: ['all'], timeout: '30s' },
        ],
      },
    });
    cleanups.push(() => ws.cleanup());
    const errFile = join(ws.dir, 'stderr.txt');
    const t = startTmux({
      command: ['sh', '-c', `exec "$0" "$@" 2>${errFile}`, process.execPath, BIN, '--config', ws.configPath, '--actor', ACTOR],
      cols: 140,
      rows: 36,
      env: { SLACK_WEBHOOK: `${slack.url}${ENV_SECRET_PATH}` },
    });
    cleanups.push(() => t.stop());
    await t.waitFor((s) => overall(s) === 'GO' && headerInfluence(s) === 25, 15_000, 'GO at 25% first');

    await setScenario(sim, 'entropy-collapse');
    await eventually(() => bodies(hook).some((b) => b.event === 'overall' && b.overall === 'NO-GO'), 30_000, 'the NO-GO at the webhook');
    const nogo = bodies(hook).find((b) => b.event === 'overall' && b.overall === 'NO-GO')!;
    expect(nogo).toMatchObject({ schema: 'warroom.event/v1', deployment: 'rl-policy-e2e', environment: 'e2e', actor: ACTOR });
    expect(nogo.detail.summary).toMatch(/^NO-GO: entropy = [\d.]+ fails >= 0\.9 \(warn >= 0\.8\) \(critical\)$/);
    expect(nogo.gates.find((g: { id: string }) => g.id === 'entropy')).toMatchObject({ status: 'FAIL', threshold: '>= 0.9 (warn >= 0.8)' });
    // Slack's text is mrkdwn: & < > escaped (Slack shows ">=").
    await eventually(() => bodies(slack).some((b) => /NO-GO: entropy = [\d.]+ fails &gt;= 0\.9/.test(b.text)), 10_000, 'the NO-GO in Slack');
    const sl = bodies(slack).find((b) => /NO-GO/.test(b.text))!;
    expect(sl.blocks.map((b: { type: string }) => b.type)).toEqual(['header', 'section', 'context']);
    expect(JSON.stringify(sl.blocks[2])).toContain(`actor ${ACTOR}`);
    // The integrator's closing note pastes this payload.
    console.log(`SLACK NO-GO PAYLOAD:\n${JSON.stringify(sl, null, 2)}`);

    // The failing sink: after its retry, the header says so and one ledger line records it.
    const screen = await t.waitFor(/NOTIFY FAILING: slack#2/, 20_000, 'NOTIFY FAILING in the header');
    expect(screen.split('\n')[1]).toMatch(/^ NOTIFY FAILING: (\S+, )*slack#2\b/);
    await eventually(() => ws.ledger().some((l) => l.type === 'notify.failed'), 10_000, 'a notify.failed ledger line');
    const failed = ws.ledger().filter((l) => l.type === 'notify.failed');
    expect(failed[0]).toMatchObject({ sink: `slack#2 ${failing.url}/…`, attempts: 2, actor: ACTOR });
    expect(String(failed[0]!.error)).toMatch(/^HTTP 500/);
    expect(failing.received.length).toBeGreaterThanOrEqual(2);

    // The kill-switch with a sink hanging: it goes out and verifies; its notification follows.
    const killsBefore = requestsTo(sim, '/admin/kill-switch').length;
    t.send('K');
    await t.waitFor(/y or Enter to confirm/, 5_000, 'the kill confirm');
    await confirm(t);
    await t.waitFor(/VERIFIED/, 20_000, 'the kill verified');
    expect(requestsTo(sim, '/admin/kill-switch').length).toBe(killsBefore + 1);
    await eventually(() => bodies(hook).some((b) => b.event === 'kill' && b.detail.phase === 'verified'), 10_000, 'the kill at the webhook');
    const kill = bodies(hook).find((b) => b.event === 'kill' && b.detail.phase === 'requested')!;
    expect(kill.detail.summary).toBe(`KILL-SWITCH 25% → 0% requested by ${ACTOR}`);
    expect(kill.actor).toBe(ACTOR);
    expect(hang.received.length).toBeGreaterThan(0);

    const finalScreen = t.capture();
    t.send('q');
    await confirm(t);
    await t.exitCode(15_000).catch(() => -1);
    const ledgerText = readFileSync(join(ws.auditDir, 'ledger.jsonl'), 'utf8');
    const stderr = readFileSync(errFile, 'utf8');
    for (const secret of [ENV_SECRET_PATH, INLINE_SECRET_PATH, 'envsecretpath0123', 'inlinefailsecret42']) {
      expect(finalScreen).not.toContain(secret);
      expect(screen).not.toContain(secret);
      expect(ledgerText).not.toContain(secret);
      expect(stderr).not.toContain(secret);
    }
  }, 120_000);

  it('announce and report --notify through the CLI: 0 when delivered, 75 when a sink fails, secrets never printed', async () => {
    const hook = await receiver();
    const slack = await receiver();
    const broken = await receiver(() => 500);
    const ws = writeE2eConfig(sim, {
      gates: [entropyGate()],
      ramp: { max_step: 25, stages: [{ influence: 10, hold: '2h', checkpoints: [{ at: '30m', label: 'Check for any alerts' }] }, { influence: 25, hold: '2h' }] },
      extra: {
        roles: { release_captain: [ACTOR], on_call: ['bob'] },
        notify: [
          { type: 'webhook', url: `${hook.url}/hook`, on: ['announce', 'report'] },
          { type: 'slack', url: '${SLACK_WEBHOOK}', on: ['announce'] },
        ],
      },
    });
    cleanups.push(() => ws.cleanup());
    const env = { SLACK_WEBHOOK: `${slack.url}${ENV_SECRET_PATH}` };
    const ok = await runCli(['announce', '--config', ws.configPath, '--actor', ACTOR, '--message', 'rl-policy v42 window opens at 14:00Z'], { env, timeoutMs: 60_000 });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`delivered webhook#0 ${hook.url}/…`);
    expect(ok.stdout).toContain(`delivered slack#1 ${slack.url}/…`);
    const a = bodies(hook)[0]!;
    expect(a).toMatchObject({ schema: 'warroom.event/v1', event: 'announce', actor: ACTOR });
    expect(a.detail.lines.join('\n')).toMatch(/rl-policy v42 window opens at 14:00Z[\s\S]*current check: (GO|WARN|NO-GO)[\s\S]*ramp stage 1: 10% for 2h \(checkpoints: T\+30m Check for any alerts\)[\s\S]*role release_captain: e2e-alice/);
    expect(a.gates.map((g: { id: string }) => g.id)).toContain('entropy');
    expect((bodies(slack)[0] as { text: string }).text).toContain('window opening: rl-policy-e2e → e2e');

    // A sink that keeps failing: non-zero exit, the outcome printed, no secret anywhere.
    const cfg = parse(readFileSync(ws.configPath, 'utf8')) as Record<string, any>;
    cfg.notify.push({ type: 'slack', url: `${broken.url}${INLINE_SECRET_PATH}`, on: ['announce'], retries: 1 });
    writeFileSync(ws.configPath, stringify(cfg));
    const bad = await runCli(['announce', '--config', ws.configPath, '--actor', ACTOR], { env, timeoutMs: 60_000 });
    expect(bad.code).toBe(75);
    expect(bad.stdout).toContain(`failed    slack#2 ${broken.url}/… (2 attempts): HTTP 500`);
    for (const out of [ok.stdout, ok.stderr, bad.stdout, bad.stderr]) {
      expect(out).not.toContain('envsecretpath0123');
      expect(out).not.toContain('inlinefailsecret42');
    }

    // report --notify: no ledger yet is a usage error; then a window with a verified kill is "rolled back".
    const noLedger = await runCli(['report', '--notify', '--config', ws.configPath], { env, timeoutMs: 30_000 });
    expect(noLedger.code).toBe(64);
    expect(noLedger.stderr).toMatch(/audit directory .* not found/);
    const ledger = await Ledger.open(ws.auditDir, { deployment: 'rl-policy-e2e', environment: 'e2e' });
    const k = { type: 'action' as const, action: 'kill_switch' as const, from_pct: 25, to_pct: 0, reason: 'entropy collapse', idempotency_key: 'k-1', actor: 'bob' };
    ledger.append({ ...k, phase: 'requested' });
    ledger.append({ ...k, phase: 'verified' });
    await ledger.flush(5_000);
    await ledger.close();
    const before = bodies(hook).length;
    const rep = await runCli(['report', '--notify', '--config', ws.configPath, '--actor', ACTOR], { env, timeoutMs: 60_000 });
    expect(rep.code).toBe(0);
    expect(rep.stdout).toContain(`delivered webhook#0 ${hook.url}/…`);
    expect(rep.stdout).not.toContain('slack#1');
    const r = bodies(hook)[before]!;
    expect(r).toMatchObject({ event: 'report', actor: ACTOR, detail: { outcome: 'rolled back' } });
    expect(r.detail.summary).toMatch(/^window ROLLED BACK: rl-policy-e2e → e2e/);
    expect(r.detail.actions.map((x: { phase: string }) => x.phase)).toEqual(['requested', 'verified']);
  }, 120_000);
});
