/**
 * Issue 10 through the real binary: which sign-offs `check --strict` counts (SPEC §9.1), that
 * `audit verify` sees a cut tail, and that a line warroom signed is accepted by the real
 * `ssh-keygen -Y verify` (and rejected after a one-byte edit).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { chainEntry, signedMessage } from '../../src/audit/chain.js';
import { Ledger } from '../../src/audit/ledger.js';
import { parseSigningKey, signMessage } from '../../src/audit/sshsig.js';
import { FakeClock } from '../../src/core/clock.js';
import { GENESIS_HASH, LEDGER_SCHEMA } from '../../src/audit/types.js';
import { runCli } from '../helpers/cli.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function workspace(extra: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'warroom-trust-'));
  dirs.push(dir);
  const audit = join(dir, 'audit');
  const config = {
    version: 1,
    deployment: { name: 'rl-policy-v42', environment: 'production' },
    roles: { release_captain: ['alice'], on_call: ['bob'] },
    sources: {},
    gates: [{ id: 'oncall_ack', title: 'On-call ACK', source: 'manual', signoff_role: 'on_call' }],
    audit: { dir: audit },
    ...extra,
  };
  const configPath = join(dir, 'warroom.yaml');
  writeFileSync(configPath, stringify(config));
  return { dir, audit, configPath };
}

function keypair(dir: string, name: string): string {
  const key = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', key]);
  return key;
}

async function ledgerWith(audit: string, at: number, events: Array<Record<string, unknown>>, deployment = 'rl-policy-v42', signer?: string, lockAs?: string) {
  const clock = new FakeClock(at);
  const l = await Ledger.open(audit, { clock, deployment, environment: 'production', ...(signer ? { signer: parseSigningKey(readFileSync(signer, 'utf8')) } : {}), ...(lockAs ? { lockAs } : {}) });
  for (const e of events) l.append(e as never);
  await l.flush();
  await l.close();
}

const check = (configPath: string) => runCli(['check', '--strict', '--config', configPath, '--format', 'json']);

describe('check --strict counts only real sign-offs (issue 10 case 2)', () => {
  it('a valid sign-off by the role holder gives GO', async () => {
    const w = workspace();
    await ledgerWith(w.audit, Date.now() - 60_000, [{ type: 'signoff', role: 'on_call', gate: 'oncall_ack', actor: 'bob' }]);
    const r = await check(w.configPath);
    expect(JSON.parse(r.stdout).overall).toBe('GO');
    expect(r.code).toBe(0);
  });

  it('a sign-off of another deployment, or 30 days old, does not count', async () => {
    const w = workspace();
    await ledgerWith(w.audit, Date.now() - 60_000, [{ type: 'signoff', role: 'on_call', gate: 'oncall_ack', actor: 'bob' }], 'other-deployment');
    let r = await check(w.configPath);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unverified sign-off \(not counted\): on_call on oncall_ack by bob: for deployment "other-deployment"/);

    const w2 = workspace();
    await ledgerWith(w2.audit, Date.now() - 30 * 86_400_000, [{ type: 'signoff', role: 'on_call', gate: 'oncall_ack', actor: 'bob' }]);
    r = await check(w2.configPath);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/older than signoff_max_age/);
  });

  it('hand-appended lines with a forged hash do not count', async () => {
    const w = workspace();
    await ledgerWith(w.audit, Date.now() - 60_000, [{ type: 'note', text: 'window opened', actor: 'alice' }]);
    const forged = (seq: number) => JSON.stringify({ schema: LEDGER_SCHEMA, seq, ts: new Date().toISOString(), type: 'signoff', actor: 'bob', role: 'on_call', gate: 'oncall_ack', deployment: 'rl-policy-v42', environment: 'production', prev_hash: GENESIS_HASH, hash: 'sha256:forged' });
    appendFileSync(join(w.audit, 'ledger.jsonl'), forged(2) + '\n' + forged(3) + '\n');
    const r = await check(w.configPath);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ledger\.jsonl fails verification \(line 2/);
  });

  it('a sign-off by an actor outside the role does not count', async () => {
    const w = workspace();
    await ledgerWith(w.audit, Date.now() - 60_000, [{ type: 'signoff', role: 'on_call', gate: 'oncall_ack', actor: 'mallory' }]);
    const r = await check(w.configPath);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/mallory does not hold role on_call/);
    // report applies the same rule: the sign-off is listed apart, as not counted.
    const rep = await runCli(['report', '--dir', w.audit, '--config', w.configPath]);
    expect(rep.code).toBe(0);
    expect(rep.stdout).toMatch(/No sign-offs recorded\.[\s\S]*Unverified sign-offs \(never counted\)[\s\S]*\| on_call \| oncall_ack \| mallory \| mallory does not hold role on_call \|/);
  });

  it('a remote sign-off counts only with a valid signature by a key listed for that actor', async () => {
    const w = workspace();
    const bobKey = keypair(w.dir, 'bob');
    const malloryKey = keypair(w.dir, 'mallory');
    // alice's console records the copy; in a signed room its own head is signed with her key too.
    const aliceKey = keypair(w.dir, 'alice');
    const pub = (k: string) => readFileSync(`${k}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
    writeFileSync(join(w.dir, 'allowed_signers'), `bob ${pub(bobKey)}\nalice ${pub(aliceKey)}\n`);
    const cfg = workspace({ room: { allowed_signers: join(w.dir, 'allowed_signers') } });
    // bob's own console line, signed with his key, relayed and recorded by alice's console
    const bobLine = (key: string) => {
      const body = { schema: LEDGER_SCHEMA, seq: 1, ts: new Date(Date.now() - 60_000).toISOString(), type: 'signoff', actor: 'bob', role: 'on_call', gate: 'oncall_ack', deployment: 'rl-policy-v42', environment: 'production' };
      const withPrev = { ...body, prev_hash: GENESIS_HASH } as Record<string, unknown>;
      withPrev.sig = signMessage(signedMessage(withPrev), parseSigningKey(readFileSync(key, 'utf8')));
      return chainEntry(null, withPrev as never);
    };
    await ledgerWith(cfg.audit, Date.now() - 30_000, [{ type: 'signoff', role: 'on_call', gate: 'oncall_ack', actor: 'bob', remote_line: bobLine(malloryKey), recorded_by: 'alice' }], 'rl-policy-v42', aliceKey, 'alice');
    let r = await check(cfg.configPath);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the signing key is not listed for bob/);

    rmSync(cfg.audit, { recursive: true });
    await ledgerWith(cfg.audit, Date.now() - 30_000, [{ type: 'signoff', role: 'on_call', gate: 'oncall_ack', actor: 'bob', remote_line: bobLine(bobKey), recorded_by: 'alice' }], 'rl-policy-v42', aliceKey, 'alice');
    r = await check(cfg.configPath);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('audit verify sees a cut tail (issue 10 case 6)', () => {
  it('deleting the last lines, or emptying the ledger, fails verification against ledger.head', async () => {
    const w = workspace();
    await ledgerWith(w.audit, Date.now(), [1, 2, 3, 4].map((i) => ({ type: 'note', text: `n${i}`, actor: 'alice' })));
    const path = join(w.audit, 'ledger.jsonl');
    expect((await runCli(['audit', 'verify', '--dir', w.audit])).code).toBe(0);
    const full = readFileSync(path, 'utf8');
    writeFileSync(path, full.split('\n').slice(0, 2).join('\n') + '\n');
    let r = await runCli(['audit', 'verify', '--dir', w.audit]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ledger\.jsonl: tail truncated: ledger\.head records 4 line\(s\).*the file has 2 \(2 line\(s\) missing at the end\)/);
    writeFileSync(path, '');
    r = await runCli(['audit', 'verify', '--dir', w.audit]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/tail truncated: .* the file has 0/);
  });
});

describe('signed lines verify with the real ssh-keygen (SPEC §9.1)', () => {
  it('ssh-keygen -Y verify accepts a line warroom signed and rejects it after a one-byte edit', async () => {
    const w = workspace();
    const key = keypair(w.dir, 'bob');
    const allowed = join(w.dir, 'allowed_signers');
    writeFileSync(allowed, `bob namespaces="warroom" ${readFileSync(`${key}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
    await ledgerWith(w.audit, Date.now(), [{ type: 'note', text: 'unsigned kind', actor: 'bob' }, { type: 'signoff', role: 'on_call', gate: 'oncall_ack', actor: 'bob' }], 'rl-policy-v42', key);
    const msg = await runCli(['audit', 'message', 'ledger.jsonl:2', '--dir', w.audit]);
    const sig = await runCli(['audit', 'message', 'ledger.jsonl:2', '--dir', w.audit, '--sig']);
    expect(msg.code).toBe(0);
    expect(sig.stdout).toMatch(/^-----BEGIN SSH SIGNATURE-----/);
    writeFileSync(join(w.dir, 'line.sig'), sig.stdout);
    const verify = (input: string) => spawnSync('ssh-keygen', ['-Y', 'verify', '-n', 'warroom', '-f', allowed, '-I', 'bob', '-s', join(w.dir, 'line.sig')], { input });
    const ok = verify(msg.stdout);
    expect(ok.stdout.toString() + ok.stderr.toString()).toMatch(/Good "warroom" signature for bob/);
    expect(ok.status).toBe(0);
    const edited = msg.stdout.replace('"role":"on_call"', '"role":"on_cal1"');
    expect(edited).not.toBe(msg.stdout);
    expect(verify(edited).status).not.toBe(0);
    // The unsigned line says so.
    const none = await runCli(['audit', 'message', 'ledger.jsonl:1', '--dir', w.audit, '--sig']);
    expect(none.code).toBe(64);
  });
});
