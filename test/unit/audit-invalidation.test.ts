/**
 * SPEC §9.5, the one invalidation rule (src/audit/authority.ts) as pure logic, and the console
 * side: the `invalidate` act (rights at the act) and ledgerLink, which also honours an
 * invalidation written beside its ledger by `warroom audit invalidate` (ledger-<actor>.jsonl).
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { judgeInvalidations, judgeSignoffs, standingLines, type AuthorityRules, type ChainedLine } from '../../src/audit/authority.js';
import { chainEntry, signedMessage } from '../../src/audit/chain.js';
import { Ledger } from '../../src/audit/ledger.js';
import { parseAllowedSigners, signMessage, type SigningKey } from '../../src/audit/sshsig.js';
import { activeWaivers } from '../../src/audit/state.js';
import { LEDGER_SCHEMA, type LedgerLine } from '../../src/audit/types.js';
import { Acts } from '../../src/acts/acts.js';
import { linkLedger } from '../../src/session/ledgerLink.js';
import { Session } from '../../src/session/session.js';
import { FakeClock } from '../../src/core/clock.js';
import { testConfig } from '../helpers/config.js';

const NOW = Date.parse('2026-12-02T12:00:00Z');
const rules = (over: Partial<AuthorityRules> = {}): AuthorityRules => ({ deployment: 'd', roles: { on_call: ['bob'], release_captain: ['alice'] }, maxAgeMs: 12 * 3600_000, now: NOW, ...over });

/** A chain of lines built from bodies, each chained to the one before. */
function chain(bodies: Array<Record<string, unknown>>, sign?: { key: SigningKey; at: number }): LedgerLine[] {
  const out: LedgerLine[] = [];
  bodies.forEach((b, i) => {
    const body: Record<string, unknown> = { schema: LEDGER_SCHEMA, seq: i + 1, ts: new Date(NOW - 60_000 + i * 1000).toISOString(), deployment: 'd', environment: 'e', ...b };
    if (sign && i === sign.at) body.sig = signMessage(signedMessage({ ...body, prev_hash: out[i - 1]?.hash ?? `sha256:${'0'.repeat(64)}` }), sign.key);
    out.push(chainEntry(out[i - 1]?.hash ?? null, body as never));
  });
  return out;
}
const chained = (ls: LedgerLine[], badFrom = Infinity): ChainedLine[] => ls.map((line, i) => ({ line, inChain: i + 1 < badFrom }));
const SIGNOFF = { type: 'signoff', role: 'on_call', gate: 'g', actor: 'bob' };
const inv = (hash: string | (() => string), over: Record<string, unknown> = {}) => ({ type: 'invalidate', actor: 'alice', role: 'release_captain', reason: 'wrong build', target: { file: 'ledger.jsonl', line: 1, hash }, ...over });

/** Two lines where the second invalidates the first (hash known only after chaining the first). */
function invalidating(first: Record<string, unknown>, over: Record<string, unknown> = {}): LedgerLine[] {
  const [a] = chain([first]);
  return chain([first, inv(a!.hash, over)]);
}

describe('judgeInvalidations (the one rule)', () => {
  it('a chained invalidation by the captain removes the sign-off from what counts', () => {
    const ls = invalidating(SIGNOFF);
    expect(judgeSignoffs(chained(ls.slice(0, 1)), rules()).counted).toHaveLength(1);
    const r = judgeSignoffs(chained(ls), rules());
    expect(r.counted).toEqual([]);
    expect(r.unverified[0]!.why).toMatch(/^invalidated by alice at 2026-12-02T11:59:01\.000Z: wrong build$/);
    const { counted, refused } = judgeInvalidations(chained(ls), rules());
    expect(refused).toEqual([]);
    expect([...counted.values()][0]).toMatchObject({ targetType: 'signoff', targetActor: 'bob', targetWhat: 'sign-off on_call on g', actor: 'alice' });
  });

  it.each([
    ['by someone without the decision right', { actor: 'bob', role: 'on_call' }, 'bob does not hold role release_captain'],
    ['for another deployment', { deployment: 'other' }, 'for deployment "other", not d'],
  ])('does not count when %s', (_name, over, why) => {
    const ls = invalidating(SIGNOFF, over);
    expect(judgeInvalidations(chained(ls), rules()).refused[0]!.why).toBe(why);
    expect(judgeSignoffs(chained(ls), rules()).counted).toHaveLength(1);
  });

  it('does not count past a chain break, nor for an unknown target, nor on a note, nor on an invalidation', () => {
    expect(judgeInvalidations(chained(invalidating(SIGNOFF), 2), rules()).refused[0]!.why).toBe('not a valid line of the ledger chain');
    expect(judgeInvalidations(chained(chain([SIGNOFF, inv('sha256:feed')])), rules()).refused[0]!.why).toBe('its target is not a valid line of the ledger chain');
    expect(judgeInvalidations(chained(invalidating({ type: 'note', text: 'x', actor: 'alice' })), rules()).refused[0]!.why).toBe('a note line cannot be invalidated');
    const two = invalidating(SIGNOFF);
    const three = chain([SIGNOFF, inv(two[0]!.hash), inv(two[1]!.hash)]);
    const j = judgeInvalidations(chained(three), rules());
    expect(j.refused.map((x) => x.why)).toEqual(['an invalidation cannot be invalidated']);
    expect(j.counted.size).toBe(1);
  });

  it('a signed invalidation counts only when its signature checks against allowed_signers', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
    const len = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
    const blob = Buffer.concat([len(Buffer.from('ssh-ed25519')), len(raw)]);
    const key: SigningKey = { privateKey, publicBlob: blob, publicLine: `ssh-ed25519 ${blob.toString('base64')}` };
    const [a] = chain([SIGNOFF]);
    const ls = chain([SIGNOFF, inv(a!.hash)], { key, at: 1 });
    const alice = parseAllowedSigners(`alice ${key.publicLine}\n`).signers;
    expect(judgeInvalidations(chained(ls), rules({ signers: alice })).counted.size).toBe(1);
    // The same line judged against a room where alice has another key: a forgery, not counted.
    const { publicKey: otherPub } = generateKeyPairSync('ed25519');
    const otherRaw = Buffer.from(otherPub.export({ format: 'jwk' }).x!, 'base64url');
    const otherLine = `ssh-ed25519 ${Buffer.concat([len(Buffer.from('ssh-ed25519')), len(otherRaw)]).toString('base64')}`;
    const j = judgeInvalidations(chained(ls), rules({ signers: parseAllowedSigners(`alice ${otherLine}\n`).signers }));
    expect(j.counted.size).toBe(0);
    expect(j.refused).toHaveLength(1);
  });

  it('without roles anyone may invalidate; an invalidated waiver stops waiving', () => {
    const waiver = { type: 'waiver', gate: 'g', reason: 'r', expires: new Date(NOW + 3600_000).toISOString(), actor: 'carol' };
    const ls = invalidating(waiver, { actor: 'carol', role: undefined });
    const noRoles = rules({ roles: undefined });
    expect(activeWaivers(chained(ls).map((l) => l.line), NOW)).toHaveLength(1);
    expect(activeWaivers(standingLines(chained(ls), noRoles), NOW)).toHaveLength(0);
    expect(activeWaivers(standingLines(chained(ls), rules()), NOW)).toHaveLength(1);
  });
});

describe('console: the invalidate act and ledgerLink', () => {
  const dirs: string[] = [];
  const ledgers: Ledger[] = [];
  afterEach(async () => {
    for (const l of ledgers.splice(0)) await l.close();
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });

  async function consoleWith(actor: string) {
    const dir = await mkdtemp(join(tmpdir(), 'warroom-inval-console-'));
    dirs.push(dir);
    const clock = new FakeClock(NOW);
    const config = testConfig({ roles: { release_captain: ['alice'], on_call: ['bob'], tech_lead: ['carol'] }, audit: { dir } });
    const ledger = await Ledger.open(dir, { clock, deployment: config.deployment.name, environment: 'production', lockAs: actor });
    ledgers.push(ledger);
    const signoff = ledger.append({ type: 'signoff', role: 'on_call', gate: 'oncall_ack', actor: 'bob' });
    const session = new Session({ config, actor, clock });
    const unlink = linkLedger(session, ledger, clock, { deployment: config.deployment.name, roles: config.roles!, maxAgeMs: config.decision.signoffMaxAge }, { dir });
    const signoffs = () => {
      session.live.flush();
      return session.store.getState().signoffs;
    };
    return { dir, clock, config, ledger, signoff, session, unlink, signoffs, acts: new Acts(session, ledger, clock) };
  }

  it('the captain invalidates a sign-off: it stops counting; others are refused at the act, nothing written', async () => {
    const c = await consoleWith('alice');
    expect(c.signoffs()).toHaveLength(1);
    const target = { file: c.ledger.file, line: 1, hash: c.signoff.hash };
    expect(c.acts.invalidate({ ...target, hash: 'sha256:nope' }, 'x')).toBeUndefined();
    expect(c.session.store.getState().notice?.text).toMatch(/^invalidation refused: no line with hash/);
    const line = c.acts.invalidate(target, 'acked the wrong window');
    expect(line).toMatchObject({ type: 'invalidate', actor: 'alice', role: 'release_captain', target });
    expect(c.signoffs()).toEqual([]);
    expect(c.acts.invalidate({ file: c.ledger.file, line: 2, hash: line!.hash }, 'again')).toBeUndefined();
    expect(c.session.store.getState().notice?.text).toBe('invalidation refused: an invalidation cannot be invalidated');
    c.unlink();

    const carol = await consoleWith('carol');
    const n = carol.ledger.lines().length;
    expect(carol.acts.invalidate({ file: carol.ledger.file, line: 1, hash: carol.signoff.hash }, 'no')).toBeUndefined();
    expect(carol.session.store.getState().notice?.text).toBe('invalidation refused: invalidation needs role release_captain (you are: tech_lead)');
    expect(carol.ledger.lines()).toHaveLength(n);
    expect(carol.signoffs()).toHaveLength(1);
    carol.unlink();
  });

  it('an invalidation written beside the console ledger (ledger-<actor>.jsonl) is honoured too', async () => {
    const c = await consoleWith('bob');
    await c.ledger.flush();
    expect(c.signoffs()).toHaveLength(1);
    // What `warroom audit invalidate` does while this console holds ledger.jsonl.
    const side = await Ledger.open(c.dir, { clock: c.clock, deployment: c.config.deployment.name, environment: 'production', lockAs: 'alice' });
    ledgers.push(side);
    expect(side.file).toBe('ledger-alice.jsonl');
    side.append({ type: 'invalidate', target: { file: 'ledger.jsonl', line: 1, hash: c.signoff.hash }, reason: 'wrong build', actor: 'alice', role: 'release_captain' });
    await side.flush();
    c.clock.advance(5_000);
    const end = Date.now() + 10_000;
    while (c.signoffs().length > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(c.signoffs()).toEqual([]);
    c.unlink();
  });
});
