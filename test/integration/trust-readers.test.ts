/**
 * Issue 21, "one judge, every reader": `report --notify` through the real binary tells the
 * window's decisions by the same judge as `report`, and `report` lists the checkpoint acks
 * the console counts. Inputs are forged from the contract
 * (test/helpers/forge.ts: canonical JSON, sha256, `ssh-keygen -Y sign`).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { ForgedLedger, keypair } from '../helpers/forge.js';
import { startReceiver, type Receiver } from '../helpers/notifyReceivers.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const decision = (d: 'GO' | 'NO-GO', actor: string, id: string, why: string) => ({
  type: 'decision', decision: d, id, file: `${id}_go_nogo.json`, record_hash: 'sha256:00', justification: why, next_review: null, actor, role: 'release_captain',
});

describe('report and report --notify use the one judge (issue 21)', () => {
  it('a forged unsigned GO in a dropped ledger file is never told as a decision; alice\'s signed NO-GO is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warroom-readers-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const hook: Receiver = await startReceiver('ok');
    cleanups.push(() => hook.stop());
    const audit = join(dir, 'audit');
    mkdirSync(audit);
    const alice = keypair(dir, 'alice');
    writeFileSync(join(dir, 'allowed_signers'), `alice ${alice.pub}\n`);
    writeFileSync(join(dir, 'warroom.yaml'), stringify({
      version: 1,
      deployment: { name: 'rl-policy-v42', environment: 'production' },
      roles: { release_captain: ['alice'], on_call: ['bob'] },
      sources: {},
      gates: [{ id: 'oncall_ack', title: 'On-call ACK', source: 'manual', signoff_role: 'on_call' }],
      audit: { dir: audit },
      room: { allowed_signers: join(dir, 'allowed_signers') },
      notify: [{ type: 'webhook', url: `${hook.url}/hook`, on: ['report'] }],
    }));
    const own = new ForgedLedger();
    own.add(decision('NO-GO', 'alice', 'd1', 'signed-hold'), { key: alice, at: Date.now() - 120_000 });
    own.write(audit, 'ledger', { actor: 'alice', key: alice });
    const ops = new ForgedLedger();
    ops.add(decision('GO', 'alice', 'd2', 'trust me, GO'), { at: Date.now() - 60_000 });
    ops.write(audit, 'ledger-ops', { actor: 'ops' });

    const r = await runCli(['report', '--notify', '--config', join(dir, 'warroom.yaml'), '--actor', 'alice'], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    const body = hook.delivered()[0] as { detail: { decisions: { decision: string; justification: string }[]; outcome: string; integrity: { ok: boolean; text: string } } } & Record<string, unknown>;
    expect(body.detail.decisions.map((d) => `${d.decision} ${d.justification}`)).toEqual(['NO-GO signed-hold']);
    expect(JSON.stringify(body)).not.toContain('trust me');
    expect((body.detail as unknown as { summary: string }).summary).toMatch(/; last decision NO-GO by alice$/);
    expect(body.detail.integrity.ok).toBe(false);
    expect(body.detail.integrity.text).toMatch(/ledger-ops\.jsonl:1 decision by alice carries no authority: unsigned/);
    expect(body.detail.outcome).toBe('failed');
  }, 60_000);

  it('report lists only the checkpoint acks that count in the console: signed by a listed key, by someone holding a role', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warroom-readers-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const audit = join(dir, 'audit');
    mkdirSync(audit);
    const alice = keypair(dir, 'alice');
    const mallory = keypair(dir, 'mallory');
    writeFileSync(join(dir, 'allowed_signers'), `alice ${alice.pub}\nmallory ${mallory.pub}\n`);
    writeFileSync(join(dir, 'warroom.yaml'), stringify({
      version: 1,
      deployment: { name: 'rl-policy-v42', environment: 'production' },
      roles: { release_captain: ['alice'], on_call: ['bob'] },
      sources: {},
      gates: [{ id: 'oncall_ack', title: 'On-call ACK', source: 'manual', signoff_role: 'on_call' }],
      audit: { dir: audit },
      room: { allowed_signers: join(dir, 'allowed_signers') },
    }));
    const ack = (actor: string, label: string) => ({ type: 'checkpoint.ack', stage: 0, offset_ms: 1_800_000, label, actor });
    const own = new ForgedLedger();
    own.add(ack('alice', 'signed by alice'), { key: alice, at: Date.now() - 120_000 });
    own.write(audit, 'ledger', { actor: 'alice', key: alice });
    const other = new ForgedLedger();
    other.add(ack('mallory', 'mallory has no role'), { key: mallory, at: Date.now() - 60_000 });
    other.write(audit, 'ledger-mallory', { actor: 'mallory', key: mallory });

    const r = await runCli(['report', '--config', join(dir, 'warroom.yaml'), '--dir', audit]);
    expect(r.code, r.stderr).toBe(0);
    const checkpoints = r.stdout.split('## Checkpoints')[1]!.split('\n## ')[0]!;
    expect(checkpoints).toMatch(/\| signed by alice \| alice \|/);
    expect(checkpoints).not.toContain('mallory');
    // The JSON (and HTML) model reads the same judged acks: mallory's is no mark and no checkpoint.
    const j = await runCli(['report', '--format', 'json', '--config', join(dir, 'warroom.yaml'), '--dir', audit]);
    expect(j.code, j.stderr).toBe(0);
    const model = JSON.parse(j.stdout) as { marks: { kind: string; label: string }[]; influence: { checkpoints: { label: string }[] } };
    expect(model.marks.filter((m) => m.kind === 'checkpoint').map((m) => m.label)).toEqual(['checkpoint acknowledged: signed by alice']);
    expect(model.influence.checkpoints.map((c) => c.label)).toEqual(['signed by alice']);
  }, 60_000);
});
