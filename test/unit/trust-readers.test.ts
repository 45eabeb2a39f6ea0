/**
 * The one judge for checkpoint acks and the override requests that stand open (SPEC §10.0),
 * with lines forged from the contract (test/helpers/forge.ts: canonical JSON, sha256,
 * `ssh-keygen -Y sign`), never signed by warroom's own code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { judgeCheckpointAcks } from '../../src/audit/checkpointAcks.js';
import { parseAllowedSigners } from '../../src/audit/sshsig.js';
import { requestRefusal } from '../../src/acts/requestStanding.js';
import type { LedgerLine } from '../../src/audit/types.js';
import type { RequestLine } from '../../src/audit/approvals.js';
import { ForgedLedger, keypair } from '../helpers/forge.js';

const dir = mkdtempSync(join(tmpdir(), 'warroom-acks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const alice = keypair(dir, 'alice');
const mallory = keypair(dir, 'mallory');
const signers = parseAllowedSigners(`alice ${alice.pub}\nmallory ${mallory.pub}\n`).signers;
const NOW = Date.now();
const ACK = { type: 'checkpoint.ack', stage: 0, offset_ms: 1_800_000, label: 'Check for any alerts', actor: 'alice' };
const rules = { deployment: 'rl-policy-v42', roles: { release_captain: ['alice'] }, signers, now: NOW };
const chained = (l: ForgedLedger, inChain = true) => l.lines.map((line) => ({ line: line as unknown as LedgerLine, inChain }));

describe('checkpoint acks in a signed room', () => {
  it('only an ack signed by a key listed for its actor counts; each other one is refused with why', () => {
    const l = new ForgedLedger();
    l.add(ACK, { at: NOW - 30_000 });
    l.add(ACK, { key: mallory, at: NOW - 20_000 });
    l.add({ ...ACK, actor: 'mallory' }, { key: mallory, at: NOW - 15_000 });
    l.add(ACK, { key: alice, at: NOW - 10_000 });
    const r = judgeCheckpointAcks(chained(l), rules);
    expect(r.counted).toEqual([{ stage: 0, offsetMs: 1_800_000, label: 'Check for any alerts', actor: 'alice', at: Date.parse(String(l.lines[3]!.ts)) }]);
    expect(r.refused.map((x) => `${x.actor}: ${x.why}`)).toEqual([
      'alice: unsigned',
      'alice: the signing key is not listed for alice in allowed_signers',
      'mallory: mallory holds no configured role',
    ]);
  });

  it('a signed ack past a chain break or for another deployment counts for nothing', () => {
    const l = new ForgedLedger();
    l.add(ACK, { key: alice });
    expect(judgeCheckpointAcks(chained(l, false), rules).refused[0]!.why).toBe('not a valid line of the ledger chain');
    const other = new ForgedLedger('other-deploy');
    other.add(ACK, { key: alice });
    expect(judgeCheckpointAcks(chained(other), rules).refused[0]!.why).toMatch(/for deployment "other-deploy"/);
  });

  it('without allowed_signers, a chained unsigned ack counts as before', () => {
    const l = new ForgedLedger();
    l.add(ACK);
    const { signers: _s, ...unsigned } = rules;
    expect(judgeCheckpointAcks(chained(l), unsigned).counted).toHaveLength(1);
  });
});

describe('override requests that stand open in a signed room', () => {
  const request = { type: 'override.request', actor: 'alice', id: 'r1', kind: 'go', expires: new Date(NOW + 3600_000).toISOString() };
  it('an unsigned or badly signed request is a claim; alice\'s signed one stands', () => {
    const l = new ForgedLedger();
    const unsigned = l.add(request, { at: NOW - 60_000 }) as unknown as RequestLine;
    const bad = l.add(request, { key: mallory, at: NOW - 60_000 }) as unknown as RequestLine;
    const good = l.add(request, { key: alice, at: NOW - 60_000 }) as unknown as RequestLine;
    const ctx = { roles: rules.roles, signers };
    expect(requestRefusal(unsigned, ctx, NOW)).toBe('it carries no authority: unsigned');
    expect(requestRefusal(bad, ctx, NOW)).toBe('it carries no authority: the signing key is not listed for alice in allowed_signers');
    expect(requestRefusal(good, ctx, NOW)).toBeUndefined();
    expect(requestRefusal(unsigned, { roles: rules.roles }, NOW)).toBeUndefined();
  });
});
