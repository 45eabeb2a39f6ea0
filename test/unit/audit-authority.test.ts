/** The sign-off rule (SPEC §9.1), the head anchor and SSHSIG parsing, as pure logic. */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { judgeRemote, judgeSignoffs, type AuthorityRules } from '../../src/audit/authority.js';
import { chainEntry, signedMessage } from '../../src/audit/chain.js';
import { headMismatch, HEAD_SCHEMA } from '../../src/audit/head.js';
import { parseAllowedSigners, parseSigningKey, signMessage, verifyMessage, type SigningKey } from '../../src/audit/sshsig.js';
import { GENESIS_HASH, LEDGER_SCHEMA, type LedgerLine } from '../../src/audit/types.js';

const NOW = Date.parse('2026-12-02T12:00:00Z');
const rules = (over: Partial<AuthorityRules> = {}): AuthorityRules => ({ deployment: 'd', roles: { on_call: ['bob'] }, maxAgeMs: 12 * 3600_000, now: NOW, ...over });

function signoff(over: Record<string, unknown> = {}, prev: string | null = null): LedgerLine {
  const body = { schema: LEDGER_SCHEMA, seq: 1, ts: new Date(NOW - 60_000).toISOString(), type: 'signoff', actor: 'bob', role: 'on_call', gate: 'g', deployment: 'd', environment: 'e', ...over };
  return chainEntry(prev, body as never);
}

/** A throwaway Ed25519 key in the shape parseSigningKey gives. */
function key(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const len = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  const blob = Buffer.concat([len(Buffer.from('ssh-ed25519')), len(raw)]);
  return { privateKey, publicBlob: blob, publicLine: `ssh-ed25519 ${blob.toString('base64')}` };
}

function signedRemote(k: SigningKey, over: Record<string, unknown> = {}): LedgerLine {
  const body = { schema: LEDGER_SCHEMA, seq: 1, ts: new Date(NOW - 60_000).toISOString(), type: 'signoff', actor: 'bob', role: 'on_call', gate: 'g', deployment: 'd', environment: 'e', prev_hash: GENESIS_HASH, ...over } as Record<string, unknown>;
  body.sig = signMessage(signedMessage(body), k);
  return chainEntry(null, body as never);
}

describe('judgeSignoffs', () => {
  it('counts a chained, fresh sign-off of this deployment by the role holder', () => {
    const r = judgeSignoffs([{ line: signoff(), inChain: true }], rules());
    expect(r.counted).toEqual([{ role: 'on_call', actor: 'bob', gate: 'g', at: NOW - 60_000 }]);
    expect(r.unverified).toEqual([]);
  });

  it.each([
    ['outside the chain', { line: signoff(), inChain: false }, /not a valid line of the ledger chain/],
    ['another deployment', { line: signoff({ deployment: 'other' }), inChain: true }, /for deployment "other"/],
    ['too old', { line: signoff({ ts: new Date(NOW - 13 * 3600_000).toISOString() }), inChain: true }, /older than signoff_max_age \(13h old\)/],
    ['dated in the future', { line: signoff({ ts: new Date(NOW + 3600_000).toISOString() }), inChain: true }, /future/],
    ['actor without the role', { line: signoff({ actor: 'mallory' }), inChain: true }, /mallory does not hold role on_call/],
  ])('never counts a sign-off %s', (_name, line, why) => {
    const r = judgeSignoffs([line], rules());
    expect(r.counted).toEqual([]);
    expect(r.unverified[0]?.why).toMatch(why);
  });

  it('without roles configured any actor may sign', () => {
    const { roles: _r, ...noRoles } = rules();
    expect(judgeSignoffs([{ line: signoff({ actor: 'carol' }), inChain: true }], noRoles).counted).toHaveLength(1);
  });

  it('a recorded remote sign-off counts only while its attached line verifies for that actor', () => {
    const bob = key();
    const signers = parseAllowedSigners(`bob ${bob.publicLine}\n`).signers;
    const recorded = (remote: LedgerLine) => signoff({ remote_line: remote, recorded_by: 'alice' });
    expect(judgeSignoffs([{ line: recorded(signedRemote(bob)), inChain: true }], rules({ signers })).counted).toMatchObject([{ actor: 'bob', remote: true }]);
    // No signers configured: nothing remote can count.
    expect(judgeSignoffs([{ line: recorded(signedRemote(bob)), inChain: true }], rules()).unverified[0]?.why).toMatch(/no room.allowed_signers/);
    // Edited after signing.
    const edited = { ...signedRemote(bob), gate: 'other' } as LedgerLine;
    expect(judgeSignoffs([{ line: recorded(edited), inChain: true }], rules({ signers })).unverified[0]?.why).toMatch(/does not match the content/);
  });
});

describe('judgeRemote', () => {
  it('says why an ack is a claim: unsigned, unknown key, wrong namespace', () => {
    const bob = key();
    const other = key();
    const signers = parseAllowedSigners(`bob ${bob.publicLine}\n`).signers;
    expect(judgeRemote(undefined, rules({ signers }))).toMatch(/unsigned/);
    expect(judgeRemote(signoff(), rules({ signers }))).toBe('unsigned');
    expect(judgeRemote(signedRemote(other), rules({ signers }))).toMatch(/not listed for bob/);
    expect(judgeRemote(signedRemote(bob), rules({ signers }))).toBeUndefined();
    const gitNs = parseAllowedSigners(`bob namespaces="git" ${bob.publicLine}\n`).signers;
    expect(judgeRemote(signedRemote(bob), rules({ signers: gitNs }))).toMatch(/does not allow namespace "warroom"/);
  });
});

describe('verifyMessage and allowed_signers', () => {
  it('matches principals with OpenSSH patterns and skips keys it cannot check', () => {
    const k = key();
    const { signers, problems } = parseAllowedSigners(`# comment\n*@ops.example ${k.publicLine} laptop\nbob ssh-rsa AAAAB3Nza\nca cert-authority ${k.publicLine}\n`);
    expect(signers).toHaveLength(1);
    expect(problems.join('\n')).toMatch(/line 3: only ssh-ed25519[\s\S]*line 4: cert-authority/);
    const sig = signMessage('hello', k);
    expect(verifyMessage('hello', sig, 'ann@ops.example', signers)).toBeUndefined();
    expect(verifyMessage('hello', sig, 'ann@evil.example', signers)).toMatch(/not listed/);
    expect(verifyMessage('hello', 'garbage', 'ann@ops.example', signers)).toMatch(/bad signature/);
  });

  it('refuses a passphrase-protected or non-OpenSSH key with a clear message', () => {
    expect(() => parseSigningKey('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----')).toThrow(/not an OpenSSH private key/);
    const enc = Buffer.concat([Buffer.from('openssh-key-v1\0'), Buffer.from([0, 0, 0, 10]), Buffer.from('aes256-ctr'), Buffer.from([0, 0, 0, 6]), Buffer.from('bcrypt'), Buffer.from([0, 0, 0, 0])]);
    expect(() => parseSigningKey(`-----BEGIN OPENSSH PRIVATE KEY-----\n${enc.toString('base64')}\n-----END OPENSSH PRIVATE KEY-----`)).toThrow(/passphrase-protected/);
  });
});

describe('headMismatch', () => {
  const lines = [signoff(), signoff({ seq: 2 })];
  const head = (count: number, last_hash: string) => ({ schema: HEAD_SCHEMA, count, last_hash, ts: '' }) as const;
  it('accepts a file that reaches the anchor (or runs past it after a crash)', () => {
    expect(headMismatch(head(2, lines[1]!.hash), lines)).toBeUndefined();
    expect(headMismatch(head(1, lines[0]!.hash), lines)).toBeUndefined();
  });
  it('names a cut or replaced tail', () => {
    expect(headMismatch(head(3, 'sha256:x'), lines)).toMatch(/tail truncated: .*records 3 .*has 2 \(1 line\(s\) missing/);
    expect(headMismatch(head(2, 'sha256:other'), lines)).toMatch(/tail replaced: line 2/);
  });
});
