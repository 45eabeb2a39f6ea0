/**
 * SPEC §9.5 through the real binary: `audit invalidate` marks a sign-off invalid (never
 * deleting it), `check --strict` stops counting it, `audit verify` and `report` say so, and
 * every refusal (wrong role, unknown line, a type that cannot be invalidated, an invalidation
 * of an invalidation, twice) has its message and exit code. A console holding the writer lock
 * sends the invalidation to ledger-<actor>.jsonl, signed, and it still counts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { Ledger } from '../../src/audit/ledger.js';
import { recordDecision } from '../../src/audit/decisionFile.js';
import { parseSigningKey } from '../../src/audit/sshsig.js';
import { runCli } from '../helpers/cli.js';

const dirs: string[] = [];
const open: Ledger[] = [];
afterEach(async () => {
  for (const l of open.splice(0)) await l.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function workspace(extra: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'warroom-inval-'));
  dirs.push(dir);
  const audit = join(dir, 'audit');
  const config = {
    version: 1,
    deployment: { name: 'rl-policy-v42', environment: 'production' },
    roles: { release_captain: ['alice'], on_call: ['bob'], tech_lead: ['carol'] },
    sources: {},
    gates: [{ id: 'oncall_ack', title: 'On-call ACK', source: 'manual', signoff_role: 'on_call' }],
    audit: { dir: audit },
    ...extra,
  };
  const configPath = join(dir, 'warroom.yaml');
  writeFileSync(configPath, stringify(config));
  return { dir, audit, configPath };
}

async function seed(audit: string, events: Array<Record<string, unknown>>) {
  const l = await Ledger.open(audit, { deployment: 'rl-policy-v42', environment: 'production' });
  for (const e of events) l.append(e as never);
  await l.flush();
  await l.close();
}

const SIGNOFF = { type: 'signoff', role: 'on_call', gate: 'oncall_ack', actor: 'bob' };
const NOTE = { type: 'note', text: 'window opened', actor: 'alice' };
const WAIVER = { type: 'waiver', gate: 'oncall_ack', reason: 'pager test', expires: '2099-01-01T00:00:00.000Z', actor: 'alice', role: 'release_captain' };

describe('warroom audit invalidate', () => {
  it('an invalidated sign-off no longer satisfies check --strict; verify and report show it; refusals are clear', async () => {
    const w = workspace();
    await seed(w.audit, [NOTE, SIGNOFF]);
    const inv = (target: string, actor: string, reason = 'signed on the wrong build') =>
      runCli(['audit', 'invalidate', target, '--reason', reason, '--config', w.configPath, '--actor', actor]);

    expect((await runCli(['check', '--strict', '--config', w.configPath])).code).toBe(0);

    const wrongRole = await inv('ledger.jsonl:2', 'carol');
    expect(wrongRole.code).toBe(77);
    expect(wrongRole.stderr).toContain('invalidation refused: it needs role release_captain (carol holds: tech_lead)');
    const unknownLine = await inv('ledger.jsonl:9', 'alice');
    expect(unknownLine.code).toBe(64);
    expect(unknownLine.stderr).toContain('ledger.jsonl:9: no such line (2 line(s) in ledger.jsonl)');
    const note = await inv('1', 'alice');
    expect(note.code).toBe(64);
    expect(note.stderr).toContain('ledger.jsonl:1: a note line cannot be invalidated');
    const noReason = await runCli(['audit', 'invalidate', '2', '--config', w.configPath, '--actor', 'alice']);
    expect(noReason.code).toBe(64);
    expect(noReason.stderr).toContain('needs --reason');
    expect(noReason.stderr).not.toMatch(/\n\s+at /);
    // Nothing was appended by any refusal.
    expect(readFileSync(join(w.audit, 'ledger.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);

    const ok = await inv('ledger.jsonl:2', 'alice');
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('invalidated ledger.jsonl:2 (sign-off on_call on oncall_ack by bob): signed on the wrong build');
    const lines = readFileSync(join(w.audit, 'ledger.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatchObject({ type: 'signoff', actor: 'bob' }); // never deleted
    expect(lines[2]).toMatchObject({ type: 'invalidate', actor: 'alice', role: 'release_captain', reason: 'signed on the wrong build', target: { file: 'ledger.jsonl', line: 2, hash: lines[1]!.hash } });

    const after = await runCli(['check', '--strict', '--config', w.configPath, '--format', 'json']);
    expect(after.code).not.toBe(0);
    expect((JSON.parse(after.stdout) as { overall: string }).overall).not.toBe('GO');
    expect(after.stderr).toMatch(/on_call on oncall_ack by bob: invalidated by alice at 20\d\d-[^:]+:\d\d:\d\d\.\d{3}Z: signed on the wrong build/);

    const again = await inv('ledger.jsonl:2', 'alice');
    expect(again.code).toBe(64);
    expect(again.stderr).toContain('ledger.jsonl:2: already invalidated by alice');
    const ofInvalidation = await inv('ledger.jsonl:3', 'alice');
    expect(ofInvalidation.code).toBe(64);
    expect(ofInvalidation.stderr).toContain('ledger.jsonl:3: an invalidation cannot be invalidated');

    const verify = await runCli(['audit', 'verify', '--config', w.configPath]);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/^ok: ledger\.jsonl 3 line\(s\) chained/);
    expect(verify.stdout).toMatch(/ledger\.jsonl:2 sign-off on_call on oncall_ack by bob invalidated by alice at 20\S+Z: signed on the wrong build/);

    const report = await runCli(['report', '--config', w.configPath]);
    expect(report.code).toBe(0);
    const md = report.stdout;
    const signoffs = md.slice(md.indexOf('## Sign-offs and waivers'), md.indexOf('## Invalidated entries'));
    expect(signoffs).toContain('No sign-offs recorded.');
    expect(signoffs).not.toContain('Unverified');
    expect(md).toMatch(/## Invalidated entries \(never counted\)[\s\S]*\| ledger\.jsonl:2 \| sign-off on_call on oncall_ack \| bob \| alice \| signed on the wrong build \|/);
  });

  it('an invalidated decision: verify names it, report lists it apart and not among the decisions', async () => {
    const w = workspace();
    const l = await Ledger.open(w.audit, { deployment: 'rl-policy-v42', environment: 'production' });
    const rec = recordDecision(l, w.audit, { at: Date.now(), deployment: 'rl-policy-v42', environment: 'production', decision: 'GO', decidedBy: 'alice', role: 'release_captain', justification: 'looked green', overall: 'GO', signoffs: [], waivers: [], criteria: [] });
    await rec.written;
    await l.flush();
    await l.close();
    const before = await runCli(['report', '--config', w.configPath]);
    expect(before.stdout).toContain('| GO | alice | release_captain | looked green |');
    const ok = await runCli(['audit', 'invalidate', 'ledger.jsonl:1', '--reason', 'the dashboard was stale', '--config', w.configPath, '--actor', 'alice']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('invalidated ledger.jsonl:1 (decision GO by alice): the dashboard was stale');
    const verify = await runCli(['audit', 'verify', '--config', w.configPath]);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/\nledger\.jsonl:1 decision GO by alice invalidated by alice at 20\S+Z: the dashboard was stale$/m);
    const md = (await runCli(['report', '--config', w.configPath])).stdout;
    const decisions = md.slice(md.indexOf('## Decisions'), md.indexOf('## Actions'));
    expect(decisions).toContain('None recorded.');
    expect(md).toMatch(/\| ledger\.jsonl:1 \| decision GO \| alice \| alice \| the dashboard was stale \|/);
  });

  it('an invalidated waiver stops waiving, and a forged invalidation by a non-captain never counts', async () => {
    const w = workspace({ gates: [{ id: 'oncall_ack', title: 'On-call ACK', source: 'manual', signoff_role: 'on_call' }] });
    await seed(w.audit, [WAIVER]);
    const before = await runCli(['check', '--strict', '--config', w.configPath, '--format', 'json']);
    expect((JSON.parse(before.stdout) as { criteria: { status: string }[] }).criteria[0]!.status).toBe('WAIVED');
    expect(before.code).toBe(0);
    // carol writes an invalidation line straight into the ledger: a valid chained line, but no right.
    const waiverHash = (JSON.parse(readFileSync(join(w.audit, 'ledger.jsonl'), 'utf8').trim()) as { hash: string }).hash;
    await seed(w.audit, [{ type: 'invalidate', target: { file: 'ledger.jsonl', line: 1, hash: waiverHash }, reason: 'forged', actor: 'carol' }]);
    expect((await runCli(['check', '--strict', '--config', w.configPath])).code).toBe(0);
    const verify = await runCli(['audit', 'verify', '--config', w.configPath]);
    expect(verify.stdout).toContain('invalidation of ledger.jsonl:1 by carol not counted: carol does not hold role release_captain');

    const ok = await runCli(['audit', 'invalidate', 'ledger.jsonl:1', '--reason', 'pager test skipped', '--config', w.configPath, '--actor', 'alice']);
    expect(ok.code).toBe(0);
    const after = await runCli(['check', '--strict', '--config', w.configPath, '--format', 'json']);
    expect((JSON.parse(after.stdout) as { criteria: { status: string }[] }).criteria[0]!.status).not.toBe('WAIVED');
    expect(after.code).not.toBe(0);
  });

  it('while a console holds ledger.jsonl the invalidation goes to ledger-<actor>.jsonl, signed, and counts', async () => {
    const w0 = mkdtempSync(join(tmpdir(), 'warroom-inval-keys-'));
    dirs.push(w0);
    const key = join(w0, 'alice');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'alice', '-f', key]);
    const bobKey = join(w0, 'bob');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bob', '-f', bobKey]);
    const signers = join(w0, 'allowed_signers');
    writeFileSync(signers, `alice ${readFileSync(`${key}.pub`, 'utf8').trim()}\nbob ${readFileSync(`${bobKey}.pub`, 'utf8').trim()}\n`);
    const w = workspace({ room: { allowed_signers: signers } });
    // The console: this process holds the writer lock (alive), as a running warroom would; in a
    // signed room bob's sign-off and the head carry his signature.
    const consoleLedger = await Ledger.open(w.audit, { deployment: 'rl-policy-v42', environment: 'production', lockAs: 'bob', signer: parseSigningKey(readFileSync(bobKey, 'utf8')) });
    consoleLedger.append(SIGNOFF as never);
    await consoleLedger.flush();
    open.push(consoleLedger);
    expect(consoleLedger.file).toBe('ledger.jsonl');

    const ok = await runCli(['audit', 'invalidate', 'ledger.jsonl:1', '--reason', 'acked the wrong window', '--config', w.configPath, '--actor', 'alice', '--signing-key', key]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('recorded as ledger-alice.jsonl:1 (signed) by alice');
    expect(ok.stderr).toContain('is in use by another console; this console writes ledger-alice.jsonl');
    expect(readdirSync(w.audit)).toContain('ledger-alice.jsonl');
    const line = JSON.parse(readFileSync(join(w.audit, 'ledger-alice.jsonl'), 'utf8').trim()) as { sig?: string; type: string };
    expect(line.type).toBe('invalidate');
    expect(line.sig).toMatch(/^-----BEGIN SSH SIGNATURE-----/);

    const check = await runCli(['check', '--strict', '--config', w.configPath]);
    expect(check.code).not.toBe(0);
    expect(check.stderr).toContain('invalidated by alice');
    const verify = await runCli(['audit', 'verify', '--config', w.configPath]);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain('ledger.jsonl:1 sign-off on_call on oncall_ack by bob invalidated by alice');
  });
});
