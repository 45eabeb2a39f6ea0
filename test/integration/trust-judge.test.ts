/**
 * Issue 21 findings 1, 3, 5, 6, 7 through the real binary, with every input forged from the
 * contract (test/helpers/forge.ts: canonical JSON, sha256, `ssh-keygen -Y sign`), never with
 * warroom's own ledger or signing code. With room.allowed_signers set, only a signature by a
 * key listed for the line's actor makes a line an act (SPEC §10.0).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { canonical, copyOf, ForgedLedger, keypair, sshVerify, type Key } from '../helpers/forge.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const ONCALL = { id: 'oncall_ack', title: 'On-call ACK', source: 'manual', signoff_role: 'on_call' };
const DBA = { id: 'dba_ack', title: 'DBA ACK', source: 'manual', signoff_role: 'dba' };

interface Room {
  dir: string;
  audit: string;
  configPath: string;
  allowed: string;
  keys: Record<string, Key>;
}

/** alice captains, bob is on call, dana is the DBA; mallory has a key and no role. */
function room(opts: { signed?: boolean; gates?: unknown[]; people?: string[] } = {}): Room {
  const dir = mkdtempSync(join(tmpdir(), 'warroom-judge-'));
  dirs.push(dir);
  const audit = join(dir, 'audit');
  mkdirSync(audit);
  const people = opts.people ?? ['alice', 'bob', 'carol', 'dana', 'mallory'];
  const keys = Object.fromEntries(people.map((p) => [p, keypair(dir, p)]));
  const allowed = join(dir, 'allowed_signers');
  writeFileSync(allowed, people.map((p) => `${p} ${keys[p]!.pub}`).join('\n') + '\n');
  const config = {
    version: 1,
    deployment: { name: 'rl-policy-v42', environment: 'production' },
    roles: { release_captain: ['alice'], on_call: ['bob'], dba: ['dana'] },
    sources: {},
    gates: opts.gates ?? [ONCALL],
    audit: { dir: audit },
    ...(opts.signed === false ? {} : { room: { allowed_signers: allowed } }),
  };
  const configPath = join(dir, 'warroom.yaml');
  writeFileSync(configPath, stringify(config));
  return { dir, audit, configPath, allowed, keys };
}

const check = (r: Room) => runCli(['check', '--strict', '--config', r.configPath, '--format', 'json']);
const verify = (r: Room) => runCli(['audit', 'verify', '--config', r.configPath, '--dir', r.audit]);
const report = (r: Room) => runCli(['report', '--config', r.configPath, '--dir', r.audit]);

describe('finding 1: a dropped, unsigned, self-chained ledger carries no authority', () => {
  it('check stays NO-GO, audit verify exits 1 naming each line, report shows them as claims with their origin', async () => {
    const r = room({ gates: [ONCALL, DBA] });
    const ops = new ForgedLedger();
    ops.add({ type: 'signoff', role: 'on_call', gate: 'oncall_ack', actor: 'bob' });
    ops.add({ type: 'waiver', gate: 'dba_ack', reason: 'trust me', expires: new Date(Date.now() + 3600_000).toISOString(), actor: 'mallory' });
    ops.add({ type: 'decision', decision: 'GO', id: 'd1', file: 'x_go_nogo.json', record_hash: 'sha256:00', justification: 'forged', next_review: null, actor: 'alice', role: 'release_captain' });
    ops.write(r.audit, 'ledger-ops', { actor: 'ops' });

    const c = await check(r);
    expect(JSON.parse(c.stdout).overall).toBe('NO-GO');
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/unverified sign-off \(not counted\): on_call on oncall_ack by bob: /);
    expect(c.stderr).toMatch(/ledger-ops\.head not signed.*none of its lines count/);

    const v = await verify(r);
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(/ledger-ops\.jsonl:1 signoff by bob carries no authority: unsigned/);
    expect(v.stderr).toMatch(/ledger-ops\.jsonl:2 waiver by mallory carries no authority: unsigned/);
    expect(v.stderr).toMatch(/ledger-ops\.jsonl:3 decision by alice carries no authority: unsigned/);
    expect(v.stderr).toMatch(/ledger-ops\.head .*not signed/);

    const rep = await report(r);
    expect(rep.code).toBe(0);
    expect(rep.stdout).not.toMatch(/Integrity:\*\* OK/);
    expect(rep.stdout).toMatch(/Integrity:\*\* FAILED/);
    expect(rep.stdout).toMatch(/## Decisions\n\nNone recorded\./);
    expect(rep.stdout).toMatch(/## Claims without authority \(never counted\)[\s\S]*\| ledger-ops\.jsonl:3 \| decision GO \| alice \| unsigned \|/);
    expect(rep.stdout).toMatch(/\| ledger-ops\.jsonl:2 \| waiver \| mallory \| unsigned \|/);
  });

  it('the same sign-off signed by bob\'s listed key counts (the rule is the signature, not the file)', async () => {
    const r = room();
    const ops = new ForgedLedger();
    ops.add({ type: 'signoff', role: 'on_call', gate: 'oncall_ack', actor: 'bob' }, { key: r.keys.bob });
    ops.write(r.audit, 'ledger-ops', { actor: 'bob', key: r.keys.bob });
    const c = await check(r);
    expect(c.stderr).toBe('');
    expect(c.code).toBe(0);
    expect((await verify(r)).code).toBe(0);
    // Signed by mallory's key in bob's name: not bob's act.
    const r2 = room();
    const forged = new ForgedLedger();
    forged.add({ type: 'signoff', role: 'on_call', gate: 'oncall_ack', actor: 'bob' }, { key: r2.keys.mallory });
    forged.write(r2.audit, 'ledger-ops', { actor: 'mallory', key: r2.keys.mallory });
    const c2 = await check(r2);
    expect(c2.code).toBe(2);
    expect(c2.stderr).toMatch(/the signing key is not listed for bob/);
  });

  it('an unsigned waiver in a ledger whose head its writer signed is still only a claim, and check says so', async () => {
    const r = room();
    const l = new ForgedLedger();
    l.add({ type: 'waiver', gate: 'oncall_ack', reason: 'written unsigned', expires: new Date(Date.now() + 3600_000).toISOString(), actor: 'alice', role: 'release_captain' });
    l.write(r.audit, 'ledger', { actor: 'alice', key: r.keys.alice });
    const c = await check(r);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/waiver of oncall_ack by alice not counted: unsigned/);
  });

  it('without allowed_signers nothing is attributable, and check and report say so plainly', async () => {
    const r = room({ signed: false });
    const l = new ForgedLedger();
    l.add({ type: 'signoff', role: 'on_call', gate: 'oncall_ack', actor: 'bob' });
    l.write(r.audit, 'ledger');
    const c = await check(r);
    expect(c.code).toBe(0);
    expect(c.stderr).toMatch(/unsigned: anyone who can write the audit dir could have written these lines/);
    const rep = await report(r);
    expect(rep.stdout).toMatch(/\*\*Attribution:\*\* unsigned: anyone who can write the audit dir could have written these lines/);
  });
});

/** One allowed_signers case: the file's line(s) for bob's key, who signs, and who is asked for. */
interface SignerCase {
  name: string;
  line: (pub: string) => string;
  principal: string;
  tz?: string;
}

/** YYYYMMDDHHMM of `ms`, in UTC digits (no zone mark: OpenSSH then reads it as local time). */
const digits = (ms: number) => new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 12);

const CASES: SignerCase[] = [
  { name: 'listed for the principal', line: (k) => `bob ${k}`, principal: 'bob' },
  { name: 'listed for someone else', line: (k) => `alice ${k}`, principal: 'bob' },
  { name: 'wildcard with a negation, another name', line: (k) => `*,!mallory ${k}`, principal: 'bob' },
  { name: 'wildcard with a negation, the negated name', line: (k) => `*,!mallory ${k}`, principal: 'mallory' },
  { name: 'negation first, the negated name', line: (k) => `!mallory,* ${k}`, principal: 'mallory' },
  { name: 'negation alone', line: (k) => `!mallory ${k}`, principal: 'bob' },
  { name: '? wildcard', line: (k) => `b?b ${k}`, principal: 'bob' },
  { name: 'prefix is not a match', line: (k) => `bo ${k}`, principal: 'bob' },
  { name: 'quoted principal list', line: (k) => `"alice,bob" ${k}`, principal: 'bob' },
  { name: 'valid-before in the past', line: (k) => `bob valid-before="20200101" ${k}`, principal: 'bob' },
  { name: 'valid-before in the future (UTC)', line: (k) => `bob valid-before="20991231Z" ${k}`, principal: 'bob' },
  { name: 'valid-after in the future', line: (k) => `bob valid-after="20991231" ${k}`, principal: 'bob' },
  { name: 'valid-after in the past (seconds, UTC)', line: (k) => `bob valid-after="20200101000000Z" ${k}`, principal: 'bob' },
  { name: 'both bounds around now', line: (k) => `bob valid-after="20200101",valid-before="20991231" ${k}`, principal: 'bob' },
  { name: 'namespaces warroom', line: (k) => `bob namespaces="warroom" ${k}`, principal: 'bob' },
  { name: 'namespaces git only', line: (k) => `bob namespaces="git" ${k}`, principal: 'bob' },
  { name: 'namespaces pattern', line: (k) => `bob namespaces="git,war*" ${k}`, principal: 'bob' },
  { name: 'namespaces negated', line: (k) => `bob namespaces="*,!warroom" ${k}`, principal: 'bob' },
  { name: 'cert-authority line', line: (k) => `bob cert-authority ${k}`, principal: 'bob' },
  { name: 'unknown option', line: (k) => `bob no-such-option ${k}`, principal: 'bob' },
  { name: 'malformed time', line: (k) => `bob valid-before="2099" ${k}`, principal: 'bob' },
  { name: 'an expired line, then a valid one', line: (k) => `bob valid-before="20200101" ${k}\nbob ${k}`, principal: 'bob' },
  // Times without Z are local: each case below gets the opposite verdict if read as UTC.
  { name: 'valid-before, local time west of UTC', line: (k) => `bob valid-before="${digits(Date.now() - 2 * 3600_000)}" ${k}`, principal: 'bob', tz: 'Etc/GMT+5' },
  { name: 'valid-before, local time east of UTC', line: (k) => `bob valid-before="${digits(Date.now() + 2 * 3600_000)}" ${k}`, principal: 'bob', tz: 'Etc/GMT-5' },
  { name: 'valid-after, local time east of UTC', line: (k) => `bob valid-after="${digits(Date.now() + 2 * 3600_000)}" ${k}`, principal: 'bob', tz: 'Etc/GMT-5' },
];

describe('finding 3: allowed_signers read as ssh-keygen -Y verify reads it', () => {
  it.each(CASES)('$name: warroom and ssh-keygen agree', async (c) => {
    const r = room({ people: ['bob'], gates: [{ ...ONCALL, signoff_role: 'on_call' }] });
    // The file under test lists bob's key as the case says.
    writeFileSync(r.allowed, c.line(r.keys.bob!.pub) + '\n');
    const l = new ForgedLedger();
    const line = l.add({ type: 'signoff', role: 'on_call', gate: 'oncall_ack', actor: c.principal }, { key: r.keys.bob });
    l.write(r.audit, 'ledger', { actor: c.principal, key: r.keys.bob });
    const { hash: _h, sig, ...rest } = line;
    writeFileSync(join(r.dir, 'line.sig'), String(sig));
    const env = { ...process.env, ...(c.tz ? { TZ: c.tz } : {}) };
    const ssh = sshVerify(r.allowed, c.principal, join(r.dir, 'line.sig'), canonical(rest), env);
    const v = await runCli(['audit', 'verify', '--config', r.configPath, '--dir', r.audit], { env: c.tz ? { TZ: c.tz } : {} });
    expect({ case: c.name, warroom: v.code === 0, why: v.stderr }).toMatchObject({ case: c.name, warroom: ssh });
  });

  it('the table holds both verdicts (a table where everything agrees by failing would prove nothing)', () => {
    // Spot-check the expectations that make the table discriminating, with ssh-keygen itself.
    const r = room({ people: ['bob'] });
    const l = new ForgedLedger();
    const line = l.add({ type: 'note', text: 'x', actor: 'bob' }, { key: r.keys.bob });
    const { hash: _h, sig, ...rest } = line;
    writeFileSync(join(r.dir, 's.sig'), String(sig));
    const verdict = (file: string, who: string) => {
      writeFileSync(r.allowed, file + '\n');
      return sshVerify(r.allowed, who, join(r.dir, 's.sig'), canonical(rest));
    };
    expect(verdict(`*,!mallory ${r.keys.bob!.pub}`, 'bob')).toBe(true);
    expect(verdict(`*,!mallory ${r.keys.bob!.pub}`, 'mallory')).toBe(false);
    expect(verdict(`bob valid-before="20200101" ${r.keys.bob!.pub}`, 'bob')).toBe(false);
    expect(verdict(`bob valid-after="20200101" ${r.keys.bob!.pub}`, 'bob')).toBe(true);
  });
});

describe('finding 5: invalidation needs a key in a signed room, and never revives a superseded waiver', () => {
  it('audit invalidate without a signing key is refused (77), and a forged unsigned invalidation removes nothing', async () => {
    const r = room();
    const l = new ForgedLedger();
    l.add({ type: 'signoff', role: 'on_call', gate: 'oncall_ack', actor: 'bob' }, { key: r.keys.bob });
    l.write(r.audit, 'ledger', { actor: 'bob', key: r.keys.bob });
    const before = readFileSync(join(r.audit, 'ledger.jsonl'), 'utf8');
    const inv = await runCli(['audit', 'invalidate', 'ledger.jsonl:1', '--reason', 'wrong build', '--actor', 'alice', '--config', r.configPath]);
    expect(inv.code).toBe(77);
    expect(inv.stderr).toMatch(/only a signed invalidation counts; give --signing-key/);
    expect(readFileSync(join(r.audit, 'ledger.jsonl'), 'utf8')).toBe(before);
    // mallory drops an unsigned invalidation "by alice": a claim, the sign-off stands.
    const x = new ForgedLedger();
    x.add({ type: 'invalidate', target: { file: 'ledger.jsonl', line: 1, hash: l.lines[0]!.hash, act: l.lines[0]!.hash }, reason: 'x', actor: 'alice', role: 'release_captain' });
    x.write(r.audit, 'ledger-x', { actor: 'alice' });
    const c = await check(r);
    expect(c.code).toBe(0);
    const v = await verify(r);
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(/ledger-x\.jsonl:1 invalidate by alice carries no authority: unsigned/);
  });

  it('invalidating the newest waiver leaves the gate unwaived: the older waiver it replaced does not come back (NO-GO stays NO-GO)', async () => {
    const r = room();
    const l = new ForgedLedger();
    const later = new Date(Date.now() + 3600_000).toISOString();
    l.add({ type: 'waiver', gate: 'oncall_ack', reason: 'old waiver', expires: later, actor: 'alice', role: 'release_captain' }, { key: r.keys.alice, at: Date.now() - 120_000 });
    l.add({ type: 'waiver', gate: 'oncall_ack', reason: 'new waiver', expires: later, actor: 'alice', role: 'release_captain' }, { key: r.keys.alice, at: Date.now() - 60_000 });
    l.write(r.audit, 'ledger', { actor: 'alice', key: r.keys.alice });
    expect((await check(r)).code).toBe(0);
    const inv = await runCli(['audit', 'invalidate', 'ledger.jsonl:2', '--reason', 'waived the wrong gate', '--actor', 'alice', '--config', r.configPath, '--signing-key', r.keys.alice!.key]);
    expect(inv.stderr).toBe('');
    expect(inv.code).toBe(0);
    const c = await check(r);
    expect(JSON.parse(c.stdout).overall).toBe('NO-GO');
    expect(c.code).toBe(2);
  });
});

describe('finding 6: an invalidation removes the act, every copy of it', () => {
  it('bob\'s own line and the copies two other consoles recorded: invalidating one copy removes all; check, report and verify agree', async () => {
    const r = room();
    const bob = new ForgedLedger();
    const own = bob.add({ type: 'signoff', role: 'on_call', gate: 'oncall_ack', actor: 'bob' }, { key: r.keys.bob });
    bob.write(r.audit, 'ledger-bob', { actor: 'bob', key: r.keys.bob });
    const alice = new ForgedLedger();
    alice.add(copyOf(own, 'alice'));
    alice.write(r.audit, 'ledger', { actor: 'alice', key: r.keys.alice });
    const carol = new ForgedLedger();
    carol.add(copyOf(own, 'carol'));
    carol.write(r.audit, 'ledger-carol', { actor: 'carol', key: r.keys.carol });
    expect((await check(r)).code).toBe(0);

    const inv = await runCli(['audit', 'invalidate', 'ledger-carol.jsonl:1', '--reason', 'signed on the wrong build', '--actor', 'alice', '--config', r.configPath, '--signing-key', r.keys.alice!.key]);
    expect(inv.code).toBe(0);
    const c = await check(r);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/on_call on oncall_ack by bob: invalidated by alice/);
    const rep = await report(r);
    expect(rep.stdout).toMatch(/No sign-offs recorded\./);
    const v = await verify(r);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/ledger-carol\.jsonl:1 sign-off on_call on oncall_ack by bob invalidated by alice/);
    // Invalidating it again through another copy is "already invalidated".
    const again = await runCli(['audit', 'invalidate', 'ledger-bob.jsonl:1', '--reason', 'again', '--actor', 'alice', '--config', r.configPath, '--signing-key', r.keys.alice!.key]);
    expect(again.code).toBe(64);
    expect(again.stderr).toMatch(/already invalidated by alice/);
  });
});

describe('finding 7: the ledger head is signed by its writer', () => {
  it('cutting the tail and rewriting the head fails verify unless the writer\'s listed key signed it', async () => {
    const r = room();
    const l = new ForgedLedger();
    for (let i = 0; i < 4; i++) l.add({ type: 'signoff', role: 'on_call', gate: 'oncall_ack', actor: 'bob' }, { key: r.keys.bob });
    l.write(r.audit, 'ledger', { actor: 'bob', key: r.keys.bob });
    expect((await verify(r)).code).toBe(0);
    writeFileSync(join(r.audit, 'ledger.jsonl'), l.text(2));
    writeFileSync(join(r.audit, 'ledger.head'), JSON.stringify(l.head('bob', undefined, 2)));
    let v = await verify(r);
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(/ledger\.jsonl: ledger\.head not signed/);
    writeFileSync(join(r.audit, 'ledger.head'), JSON.stringify(l.head('bob', r.keys.mallory, 2)));
    v = await verify(r);
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(/ledger\.head signature does not count \(the signing key is not listed for bob/);
    rmSync(join(r.audit, 'ledger.head'));
    v = await verify(r);
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(/ledger\.head missing/);
  });

  it('a writer that opens a ledger whose head is unsigned never re-signs it (that would launder a cut tail)', async () => {
    const r = room();
    const l = new ForgedLedger();
    for (let i = 0; i < 4; i++) l.add({ type: 'note', text: `n${i}`, actor: 'alice' });
    writeFileSync(join(r.audit, 'ledger.jsonl'), l.text(2));
    writeFileSync(join(r.audit, 'ledger.head'), JSON.stringify(l.head('alice', undefined, 2)));
    const bob = new ForgedLedger();
    bob.add({ type: 'signoff', role: 'on_call', gate: 'oncall_ack', actor: 'bob' }, { key: r.keys.bob });
    bob.write(r.audit, 'ledger-bob', { actor: 'bob', key: r.keys.bob });
    // alice's invalidation is appended to ledger.jsonl (nobody holds it) with her key.
    const inv = await runCli(['audit', 'invalidate', 'ledger-bob.jsonl:1', '--reason', 'x', '--actor', 'alice', '--config', r.configPath, '--signing-key', r.keys.alice!.key]);
    expect(inv.code).toBe(0);
    expect(inv.stderr).toMatch(/ledger head not signed by a listed key/);
    const v = await verify(r);
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(/ledger\.jsonl: ledger\.head not signed/);
  });

  it('the head warroom writes carries a signature ssh-keygen accepts for the writer', async () => {
    const r = room();
    const l = new ForgedLedger();
    l.add({ type: 'signoff', role: 'on_call', gate: 'oncall_ack', actor: 'bob' }, { key: r.keys.bob });
    l.write(r.audit, 'ledger', { actor: 'bob', key: r.keys.bob });
    const inv = await runCli(['audit', 'invalidate', 'ledger.jsonl:1', '--reason', 'test', '--actor', 'alice', '--config', r.configPath, '--signing-key', r.keys.alice!.key]);
    expect(inv.code).toBe(0);
    const head = JSON.parse(readFileSync(join(r.audit, 'ledger.head'), 'utf8')) as Record<string, unknown>;
    expect(head).toMatchObject({ count: 2, actor: 'alice' });
    const { sig, ...rest } = head;
    writeFileSync(join(r.dir, 'head.sig'), String(sig));
    expect(sshVerify(r.allowed, 'alice', join(r.dir, 'head.sig'), canonical(rest))).toBe(true);
    expect((await verify(r)).code).toBe(0);
  });
});
