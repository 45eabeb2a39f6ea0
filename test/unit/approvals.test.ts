/** The approval counting rule (SPEC §9.5) as pure logic: distinct actors, roles, expiry, binding, signatures. */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { judgeApproval, tallyApprovals, type ApprovalClaim, type ApprovalContext, type RequestLine } from '../../src/audit/approvals.js';
import { chainEntry, signedMessage } from '../../src/audit/chain.js';
import { parseAllowedSigners, signMessage, type SigningKey } from '../../src/audit/sshsig.js';
import { GENESIS_HASH, LEDGER_SCHEMA } from '../../src/audit/types.js';
import type { ApprovalRule } from '../../src/config/types.js';

const T0 = Date.parse('2026-12-02T16:00:00Z');
const RULE: ApprovalRule = { roles: ['cto', 'senior_engineer'], count: 3, expiresMs: 2 * 3600_000 };
const ROLES = { release_captain: ['alice'], cto: ['carol'], senior_engineer: ['dave', 'erin'], observer: ['mallory'] };

function key(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const len = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  const blob = Buffer.concat([len(Buffer.from('ssh-ed25519')), len(raw)]);
  return { privateKey, publicBlob: blob, publicLine: `ssh-ed25519 ${blob.toString('base64')}` };
}

const keys = { carol: key(), dave: key(), erin: key(), mallory: key(), alice: key() };
const signers = parseAllowedSigners(Object.entries(keys).map(([who, k]) => `${who} ${k.publicLine}`).join('\n')).signers;
const CTX: ApprovalContext = { deployment: 'rl', roles: ROLES, signers };

function request(over: Record<string, unknown> = {}): RequestLine {
  const body = {
    schema: LEDGER_SCHEMA, seq: 1, ts: new Date(T0).toISOString(), type: 'override.request', actor: 'alice', role: 'release_captain',
    deployment: 'rl', environment: 'e', id: 'req-1', kind: 'go', decision: 'GO', justification: 'hotfix', overall: 'NO-GO',
    criteria_hash: 'sha256:abc', overridden: ['oncall_ack'], expires: new Date(T0 + RULE.expiresMs).toISOString(), needs: { roles: RULE.roles, count: 3 }, prev_hash: GENESIS_HASH, ...over,
  } as Record<string, unknown>;
  // Signed by its actor, as the requester's console does (SPEC §10.0: only signed requests count).
  const k = keys[body.actor as keyof typeof keys];
  if (k && !('unsigned' in over)) body.sig = signMessage(signedMessage(body), k);
  delete body.unsigned;
  return chainEntry(null, body as never) as RequestLine;
}

/** An approval line as the approver's own console writes and signs it. */
function approval(actor: keyof typeof keys | 'nobody', over: Record<string, unknown> = {}, signWith: SigningKey | null = keys[actor as keyof typeof keys] ?? null): Record<string, unknown> {
  const body = {
    schema: LEDGER_SCHEMA, seq: 1, ts: new Date(T0 + 60_000).toISOString(), type: 'override.approve', actor, deployment: 'rl', environment: 'e',
    request: 'req-1', kind: 'go', requested_by: 'alice', criteria_hash: 'sha256:abc', prev_hash: GENESIS_HASH, ...over,
  } as Record<string, unknown>;
  if (signWith) body.sig = signMessage(signedMessage(body), signWith);
  return chainEntry(null, body as never) as unknown as Record<string, unknown>;
}

const remote = (line: unknown, receivedAt?: number): ApprovalClaim => ({ line, remote: true, ...(receivedAt !== undefined ? { receivedAt } : {}) });

describe('tallyApprovals', () => {
  it('a requester outside the roles plus two approvals is still pending; the third completes it', () => {
    const two = [remote(approval('carol')), remote(approval('dave'))];
    const t2 = tallyApprovals(request(), two, RULE, CTX, T0 + 120_000);
    expect(t2.state).toBe('pending');
    expect(t2.counted.map((a) => [a.actor, a.role])).toEqual([['carol', 'cto'], ['dave', 'senior_engineer']]);
    const t3 = tallyApprovals(request(), [...two, remote(approval('erin'))], RULE, CTX, T0 + 120_000);
    expect(t3.state).toBe('complete');
    expect(t3.counted.map((a) => a.actor)).toEqual(['carol', 'dave', 'erin']);
    expect(t3.counted.every((a) => a.line_hash.startsWith('sha256:'))).toBe(true);
  });

  it('the requester counts once when they hold one of the roles', () => {
    const req = request({ actor: 'carol', role: 'cto' });
    const t = tallyApprovals(req, [remote(approval('dave'))], { ...RULE, count: 2 }, CTX, T0 + 120_000);
    expect(t.state).toBe('complete');
    expect(t.counted.map((a) => [a.actor, a.requester ?? false])).toEqual([['carol', true], ['dave', false]]);
  });

  it('distinct actors only: the same approver twice is one approval', () => {
    const t = tallyApprovals(request(), [remote(approval('carol')), remote(approval('carol', { ts: new Date(T0 + 90_000).toISOString() })), remote(approval('dave'))], RULE, CTX, T0 + 120_000);
    expect(t.counted.map((a) => a.actor)).toEqual(['carol', 'dave']);
    expect(t.state).toBe('pending');
  });

  it('once past expiry an incomplete request is expired, and a late approval never completes it', () => {
    const late = T0 + RULE.expiresMs + 1000;
    const claims = [remote(approval('carol')), remote(approval('dave')), remote(approval('erin', { ts: new Date(late).toISOString() }))];
    const t = tallyApprovals(request(), claims, RULE, CTX, late);
    expect(t.state).toBe('expired');
    expect(t.notCounted).toEqual([{ actor: 'erin', at: late, why: expect.stringMatching(/arrived after the request expired/) }]);
  });

  it('an approver clock minutes slow still counts; one more than 15 min off does not', () => {
    const slow = judgeApproval(remote(approval('carol', { ts: new Date(T0 - 6 * 60_000).toISOString() }), T0 + 60_000), request(), RULE, CTX);
    expect(slow).toMatchObject({ actor: 'carol', role: 'cto' });
    const off = judgeApproval(remote(approval('carol', { ts: new Date(T0 - 20 * 60_000).toISOString() }), T0 + 60_000), request(), RULE, CTX);
    expect(off).toMatchObject({ why: 'dated 20 min before the request (its clock is more than 15 min off)' });
  });

  it('an approval dated in time but received after expiry does not count (a backdated line)', () => {
    const late = T0 + RULE.expiresMs + 1000;
    const j = judgeApproval(remote(approval('erin'), late), request(), RULE, CTX);
    expect(j).toMatchObject({ why: expect.stringMatching(/arrived after the request expired/) });
  });

  it('expiry is request time + the rule, whatever the request line claims', () => {
    const req = request({ expires: new Date(T0 + 24 * 3600_000).toISOString() });
    const j = judgeApproval(remote(approval('erin', { ts: new Date(T0 + RULE.expiresMs + 60_000).toISOString() })), req, RULE, CTX);
    expect(j).toMatchObject({ why: expect.stringMatching(/expired \(2026-12-02T18:00:00\.000Z\)/) });
  });
});

describe('judgeApproval', () => {
  it.each([
    ['by an actor in none of the roles', approval('mallory'), /mallory holds none of cto, senior_engineer/],
    ['for another deployment', approval('carol', { deployment: 'other' }), /for deployment "other", not rl/],
    ['for another request id', approval('carol', { request: 'req-2' }), /for request "req-2", not req-1/],
    ['of another criteria snapshot', approval('carol', { criteria_hash: 'sha256:def' }), /different criteria snapshot/],
    ['unsigned (a remote claim)', approval('carol', {}, null), /^unsigned$/],
    ['signed by someone else\'s key', approval('carol', {}, keys.mallory), /signature|key/i],
    ['dated long before the request', approval('carol', { ts: new Date(T0 - 3600_000).toISOString() }), /before the request/],
    ['that is not an approval line', { ...approval('carol'), type: 'signoff' }, /not an approval/],
  ])('never counts an approval %s', (_name, line, why) => {
    const j = judgeApproval(remote(line), request(), RULE, CTX);
    expect(j).toMatchObject({ why: expect.stringMatching(why) });
  });

  it('an edited approval line fails its signature', () => {
    const line = { ...approval('carol'), request: 'req-1', kind: 'waiver' };
    expect(judgeApproval(remote(line), request(), RULE, CTX)).toMatchObject({ why: expect.any(String) });
  });

  it('without allowed_signers no remote approval can count', () => {
    expect(judgeApproval(remote(approval('carol')), request(), RULE, { ...CTX, signers: [] })).toMatchObject({ why: expect.stringMatching(/allowed_signers/) });
  });

  it('without roles configured nobody can approve (fail closed)', () => {
    const { roles: _r, ...noRoles } = CTX;
    expect(judgeApproval(remote(approval('carol')), request(), RULE, noRoles)).toMatchObject({ why: expect.stringMatching(/holds none/) });
  });

  it('a local approval (this console\'s own chained line) needs a signature in a signed room, none without allowed_signers, and must be in the chain', () => {
    const own = approval('carol', {}, null);
    expect(judgeApproval({ line: own, remote: false, inChain: true }, request(), RULE, CTX)).toMatchObject({ why: 'unsigned' });
    const { signers: _s, ...local } = CTX;
    expect(judgeApproval({ line: own, remote: false, inChain: true }, request(), RULE, local)).toMatchObject({ actor: 'carol', role: 'cto' });
    expect(judgeApproval({ line: own, remote: false, inChain: false }, request(), RULE, local)).toMatchObject({ why: expect.stringMatching(/chain/) });
  });
});
