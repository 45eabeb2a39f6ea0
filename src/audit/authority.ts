/**
 * Which sign-offs count (SPEC §9.1), pure. One rule for `check`, the console, the decision
 * record and `report`: a sign-off counts only when it is a line inside a ledger's verified
 * prefix, for this deployment, not older than `signoff_max_age`, by an actor holding the role
 * (when roles are configured); one relayed from another console counts only with a valid
 * SSHSIG by a key allowed_signers lists for that actor. Everything else is `unverified`.
 */
import type { Signoff, Waiver } from '../core/types.js';
import { actHash, judgeLine, judgeSigned, originalOf, signedRoom } from './judge.js';
import type { AllowedSigner } from './sshsig.js';
import { waiversFrom } from './state.js';
import type { InvalidateEvent, LedgerLine, SignoffEvent } from './types.js';

export interface AuthorityRules {
  deployment: string;
  roles?: Record<string, string[]>;
  maxAgeMs: number;
  now: number;
  /**
   * From room.allowed_signers; undefined when not configured. Set (even empty): only lines
   * whose signature verifies under a key listed for their actor carry authority (judge.ts).
   */
  signers?: readonly AllowedSigner[];
}

export interface Unverified {
  role: string;
  actor: string;
  gate?: string;
  at: number;
  why: string;
}

/** A ledger line as the console or check has it, and whether the chain vouches for it. */
export interface ChainedLine {
  line: LedgerLine;
  /** False past the first line that fails verification. */
  inChain: boolean;
}

/** A remote sign-off as relayed on the feed: the other console's own signed ledger line. */
export type RemoteSignoffLine = LedgerLine & SignoffEvent & { sig?: string };

export function holdsRole(rules: Pick<AuthorityRules, 'roles'>, actor: string, role: string): boolean {
  if (!rules.roles) return true;
  return (rules.roles[role] ?? []).includes(actor);
}

/**
 * Checks a remote console's sign-off line (relayed in a feed `ack`). Returns why it does
 * not count, or undefined when it does.
 */
export function judgeRemote(line: unknown, rules: AuthorityRules): string | undefined {
  if (!line || typeof line !== 'object') return 'unsigned (no signed ledger line attached)';
  const l = line as RemoteSignoffLine;
  if (l.type !== 'signoff' || typeof l.role !== 'string' || typeof l.actor !== 'string') return 'the attached line is not a sign-off';
  if (typeof l.sig !== 'string') return 'unsigned';
  if (!signedRoom(rules)) return 'no room.allowed_signers configured to check its signature';
  const v = judgeSigned(l, rules);
  return v.ok ? judgeCommon(l, rules) : v.why;
}

function judgeCommon(l: LedgerLine & SignoffEvent, rules: AuthorityRules): string | undefined {
  if (l.deployment !== rules.deployment) return `for deployment ${JSON.stringify(l.deployment)}, not ${rules.deployment}`;
  const at = Date.parse(l.ts);
  if (!Number.isFinite(at)) return 'no valid time';
  if (rules.now - at > rules.maxAgeMs) return `older than signoff_max_age (${Math.round((rules.now - at) / 3600_000)}h old)`;
  if (at - rules.now > 5 * 60_000) return 'dated in the future';
  if (!holdsRole(rules, l.actor, l.role)) return `${l.actor} does not hold role ${l.role}`;
  return undefined;
}

/** Remote sign-offs are recorded with the other console's line attached (`remote_line`). */
export interface RecordedRemote {
  remote_line?: unknown;
}

/** The line types an invalidation may mark (SPEC §9.5); an invalidation itself never. */
export const INVALIDATABLE_TYPES: readonly string[] = ['decision', 'signoff', 'waiver'];
/** Who may invalidate when roles are configured: the decision right. */
export const INVALIDATE_ROLE = 'release_captain';

export interface Invalidation {
  /** The act removed: the original signed line's hash (every copy of it goes). */
  act: string;
  target: InvalidateEvent['target'];
  /** What the target line was: its type, actor and (for decisions) the decision. */
  targetType: string;
  targetActor: string;
  targetWhat: string;
  actor: string;
  at: number;
  reason: string;
  /** The invalidation line's own hash. */
  hash: string;
}

export interface RefusedInvalidation {
  actor: string;
  at: number;
  target: unknown;
  why: string;
}

/** `decision GO`, `sign-off on_call on oncall_ack`, `waiver of entropy`. */
export function describeTarget(l: LedgerLine): string {
  const x = l as LedgerLine & { decision?: unknown; role?: unknown; gate?: unknown };
  if (l.type === 'decision') return `decision ${String(x.decision)}`;
  if (l.type === 'signoff') return `sign-off ${String(x.role)}${typeof x.gate === 'string' ? ` on ${x.gate}` : ''}`;
  if (l.type === 'waiver') return `waiver of ${String(x.gate)}`;
  return l.type;
}

type InvalidationRules = Omit<AuthorityRules, 'now' | 'maxAgeMs'> & { now?: number };

/**
 * Why an invalidation line does not count, or the act it removes. It counts only as a valid
 * chained line of this deployment carrying its actor's authority (judge.ts: signed in a signed
 * room), by an actor holding the decision right (when roles are set), naming an act: the
 * original signed line's hash (`target.act`), or a chained line whose act is taken.
 */
function judgeInvalidation(l: LedgerLine & Partial<InvalidateEvent> & { sig?: string }, inChain: boolean, byHash: ReadonlyMap<string, LedgerLine>, rules: InvalidationRules): { why: string } | { act: string; target?: LedgerLine } {
  if (!inChain) return { why: 'not a valid line of the ledger chain' };
  if (l.deployment !== rules.deployment) return { why: `for deployment ${JSON.stringify(l.deployment)}, not ${rules.deployment}` };
  const v = judgeLine(l, { ...rules, now: rules.now ?? Date.now() });
  if (!v.ok) return { why: v.why };
  if (!holdsRole(rules, l.actor, INVALIDATE_ROLE)) return { why: `${l.actor} does not hold role ${INVALIDATE_ROLE}` };
  const t = l.target as (InvalidateEvent['target'] & { act?: unknown }) | undefined;
  if (!t || typeof t !== 'object' || typeof t.hash !== 'string') return { why: 'names no target line' };
  const target = byHash.get(t.hash);
  if (!target) {
    // A copy elsewhere (another console's ledger this reader does not hold): the signed act name decides.
    return typeof t.act === 'string' ? { act: t.act } : { why: 'its target is not a valid line of the ledger chain' };
  }
  if (target.type === 'invalidate') return { why: 'an invalidation cannot be invalidated' };
  if (!INVALIDATABLE_TYPES.includes(target.type)) return { why: `a ${target.type} line cannot be invalidated` };
  if (target.deployment !== rules.deployment) return { why: 'its target is for another deployment' };
  const act = actHash(target);
  if (typeof t.act === 'string' && t.act !== act) return { why: 'the act it names is not its target line\'s' };
  return { act, target };
}

/**
 * Invalidations that count, by the act they remove (the original signed line's hash: every
 * copy of it goes), and those that do not, from every ledger line given: the one rule `check`,
 * the console, `audit verify` and `report` share. The first valid invalidation of an act stands.
 */
export function judgeInvalidations(lines: readonly ChainedLine[], rules: InvalidationRules): { counted: Map<string, Invalidation>; refused: RefusedInvalidation[] } {
  const byHash = new Map<string, LedgerLine>();
  for (const { line, inChain } of lines) if (inChain && typeof line.hash === 'string') byHash.set(line.hash, line);
  const counted = new Map<string, Invalidation>();
  const refused: RefusedInvalidation[] = [];
  for (const { line, inChain } of lines) {
    if (line.type !== 'invalidate') continue;
    const l = line as LedgerLine & InvalidateEvent;
    const j = judgeInvalidation(l, inChain, byHash, rules);
    const at = Date.parse(l.ts);
    if ('why' in j) {
      refused.push({ actor: l.actor, at, target: l.target, why: j.why });
      continue;
    }
    if (counted.has(j.act)) continue;
    const target = j.target ?? [...byHash.values()].find((x) => actHash(x) === j.act);
    counted.set(j.act, {
      act: j.act,
      target: { file: String(l.target.file), line: Number(l.target.line), hash: l.target.hash },
      targetType: target?.type ?? '?',
      targetActor: target?.actor ?? '?',
      targetWhat: target ? describeTarget(target) : 'an act recorded elsewhere',
      actor: l.actor,
      at,
      reason: String(l.reason ?? ''),
      hash: l.hash,
    });
  }
  return { counted, refused };
}

/** `invalidated by carol at 2026-…Z: reason` */
export function invalidatedText(i: Pick<Invalidation, 'actor' | 'at' | 'reason'>): string {
  return `invalidated by ${i.actor} at ${Number.isFinite(i.at) ? new Date(i.at).toISOString() : '?'}: ${i.reason}`;
}

/**
 * The lines that carry authority (judge.ts), chained and for this deployment, invalidated ones
 * included: a reader that needs them removed uses standingLines.
 */
export function authoritativeLines(lines: readonly ChainedLine[], rules: InvalidationRules): LedgerLine[] {
  const now = rules.now ?? Date.now();
  return lines.filter((l) => l.inChain && l.line.deployment === rules.deployment && judgeLine(l.line, { ...rules, now }).ok).map((l) => l.line);
}

/** The lines that still count as acts: carrying authority, not invalidated (any copy of the act). */
export function standingLines(lines: readonly ChainedLine[], rules: InvalidationRules): LedgerLine[] {
  const { counted } = judgeInvalidations(lines, rules);
  return authoritativeLines(lines, rules).filter((l) => !counted.has(actHash(l)));
}

/**
 * Waivers in force, the latest per gate in time order. An invalidated waiver still replaces
 * the waivers before it: invalidating the newest waiver leaves the gate unwaived, it never
 * brings back an older one (a waiver that should stand again is granted again, by a person).
 */
export function standingWaivers(lines: readonly ChainedLine[], rules: InvalidationRules, opts: { approvedOnly?: boolean } = {}): Waiver[] {
  const { counted } = judgeInvalidations(lines, rules);
  const waivers = authoritativeLines(lines.filter((c) => c.line.type === 'waiver'), rules);
  const timed = waivers.map((l, i) => ({ l, i, at: Date.parse(l.ts) })).sort((a, b) => a.at - b.at || a.i - b.i).map((x) => x.l);
  return waiversFrom(timed, { ...opts, revoked: new Set(counted.keys()), actOf: actHash });
}

/**
 * Sign-offs that count and those that do not, from every ledger line given; the latest per
 * (role, gate, signer) in time order, a signer being a key in a signed room, else a name. An
 * invalidated sign-off never counts, and it still replaces that signer's earlier ones.
 */
export function judgeSignoffs(lines: readonly ChainedLine[], rules: AuthorityRules): { counted: Signoff[]; unverified: Unverified[] } {
  const latest = new Map<string, Signoff | undefined>();
  const unverified: Unverified[] = [];
  const invalidated = judgeInvalidations(lines, rules).counted;
  // Time order across every file (a copy at its original's time), so "latest" means latest.
  const effective = (l: LedgerLine) => Date.parse(String((originalOf(l) ?? l).ts));
  const ordered = lines.filter((c) => c.line.type === 'signoff').map((c, i) => ({ c, i, at: effective(c.line) })).sort((a, b) => (a.at - b.at) || a.i - b.i).map((x) => x.c);
  for (const { line, inChain } of ordered) {
    if (line.type !== 'signoff') continue;
    const l = line as LedgerLine & SignoffEvent & RecordedRemote & { sig?: string };
    if (typeof l.role !== 'string' || typeof l.actor !== 'string') continue;
    const at = Date.parse(l.ts);
    const orig = originalOf(l) as (RemoteSignoffLine & Record<string, unknown>) | undefined;
    let why: string | undefined;
    let signer: string | undefined;
    const inv = invalidated.get(actHash(line));
    if (!inChain) why = 'not a valid line of the ledger chain';
    else {
      const v = judgeLine(l, rules);
      if (!v.ok) why = v.why;
      else signer = v.key;
      if (!why && orig && (orig.role !== l.role || (orig.gate ?? null) !== (l.gate ?? null))) why = 'the recorded sign-off differs from the signed one';
      why ??= judgeCommon(orig ?? l, rules);
    }
    const key = JSON.stringify([l.role, l.gate ?? null, signer ?? l.actor]);
    if (!why && inv) {
      // Stands invalidated: it counts for nothing, and an older sign-off does not come back.
      latest.delete(key);
      latest.set(key, undefined);
      why = invalidatedText(inv);
    }
    if (why) {
      unverified.push({ role: l.role, actor: l.actor, ...(typeof l.gate === 'string' ? { gate: l.gate } : {}), at, why });
      continue;
    }
    const signedAt = orig ? Date.parse(String(orig.ts)) : at;
    const s: Signoff = { role: l.role, actor: l.actor, at: signedAt };
    if (typeof l.gate === 'string') s.gate = l.gate;
    if (orig) s.remote = true;
    latest.delete(key);
    latest.set(key, s);
  }
  return { counted: [...latest.values()].filter((s): s is Signoff => s !== undefined).sort((a, b) => a.at - b.at), unverified };
}
