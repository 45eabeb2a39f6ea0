/**
 * Which sign-offs count (SPEC §9.1), pure. One rule for `check`, the console, the decision
 * record and `report`: a sign-off counts only when it is a line inside a ledger's verified
 * prefix, for this deployment, not older than `signoff_max_age`, by an actor holding the role
 * (when roles are configured); one relayed from another console counts only with a valid
 * SSHSIG by a key allowed_signers lists for that actor. Everything else is `unverified`.
 */
import type { Signoff } from '../core/types.js';
import { signedMessage } from './chain.js';
import { verifyMessage, type AllowedSigner } from './sshsig.js';
import type { InvalidateEvent, LedgerLine, SignoffEvent } from './types.js';

export interface AuthorityRules {
  deployment: string;
  roles?: Record<string, string[]>;
  maxAgeMs: number;
  now: number;
  /** From room.allowed_signers; without it no remote sign-off can count. */
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
  if (!rules.signers || rules.signers.length === 0) return 'no room.allowed_signers configured to check its signature';
  let msg: string;
  try {
    msg = signedMessage(l);
  } catch {
    return 'the attached line cannot be canonicalised';
  }
  const bad = verifyMessage(msg, l.sig, l.actor, rules.signers);
  return bad ?? judgeCommon(l, rules);
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

/**
 * Why an invalidation line does not count, or undefined when it does. It counts only as a
 * valid chained line of this deployment, by an actor holding the decision right (when roles
 * are set), signed validly if signed and signers are known (as sign-offs are), naming a
 * chained line of an invalidatable type by its hash.
 */
function judgeInvalidation(l: LedgerLine & Partial<InvalidateEvent> & { sig?: string }, inChain: boolean, byHash: ReadonlyMap<string, LedgerLine>, rules: Omit<AuthorityRules, 'now' | 'maxAgeMs'>): string | undefined {
  if (!inChain) return 'not a valid line of the ledger chain';
  if (l.deployment !== rules.deployment) return `for deployment ${JSON.stringify(l.deployment)}, not ${rules.deployment}`;
  if (typeof l.sig === 'string' && rules.signers?.length) {
    const bad = verifyMessage(signedMessage(l), l.sig, l.actor, rules.signers);
    if (bad) return bad;
  }
  if (!holdsRole(rules, l.actor, INVALIDATE_ROLE)) return `${l.actor} does not hold role ${INVALIDATE_ROLE}`;
  const t = l.target;
  if (!t || typeof t !== 'object' || typeof t.hash !== 'string') return 'names no target line';
  const target = byHash.get(t.hash);
  if (!target) return 'its target is not a valid line of the ledger chain';
  if (target.type === 'invalidate') return 'an invalidation cannot be invalidated';
  if (!INVALIDATABLE_TYPES.includes(target.type)) return `a ${target.type} line cannot be invalidated`;
  if (target.deployment !== rules.deployment) return 'its target is for another deployment';
  return undefined;
}

/**
 * Invalidations that count (by target hash) and those that do not, from every ledger line
 * given: the one rule `check`, the console, `audit verify` and `report` share. The first valid
 * invalidation of a line is the one that stands.
 */
export function judgeInvalidations(lines: readonly ChainedLine[], rules: Omit<AuthorityRules, 'now' | 'maxAgeMs'> & { now?: number; maxAgeMs?: number }): { counted: Map<string, Invalidation>; refused: RefusedInvalidation[] } {
  const byHash = new Map<string, LedgerLine>();
  for (const { line, inChain } of lines) if (inChain && typeof line.hash === 'string') byHash.set(line.hash, line);
  const counted = new Map<string, Invalidation>();
  const refused: RefusedInvalidation[] = [];
  for (const { line, inChain } of lines) {
    if (line.type !== 'invalidate') continue;
    const l = line as LedgerLine & InvalidateEvent;
    const why = judgeInvalidation(l, inChain, byHash, rules);
    const at = Date.parse(l.ts);
    if (why) {
      refused.push({ actor: l.actor, at, target: l.target, why });
      continue;
    }
    const target = byHash.get(l.target.hash)!;
    if (counted.has(target.hash)) continue;
    counted.set(target.hash, {
      target: { file: String(l.target.file), line: Number(l.target.line), hash: l.target.hash },
      targetType: target.type,
      targetActor: target.actor,
      targetWhat: describeTarget(target),
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

/** The lines that still count as acts: chained, for this deployment, not invalidated. */
export function standingLines(lines: readonly ChainedLine[], rules: Omit<AuthorityRules, 'now' | 'maxAgeMs'>): LedgerLine[] {
  const { counted } = judgeInvalidations(lines, rules);
  return lines.filter((l) => l.inChain && l.line.deployment === rules.deployment && !counted.has(l.line.hash)).map((l) => l.line);
}

/**
 * Sign-offs that count and those that do not, from every ledger line given; the latest per
 * (role, gate, actor) in time order. An invalidated sign-off never counts.
 */
export function judgeSignoffs(lines: readonly ChainedLine[], rules: AuthorityRules): { counted: Signoff[]; unverified: Unverified[] } {
  const latest = new Map<string, Signoff>();
  const unverified: Unverified[] = [];
  const invalidated = judgeInvalidations(lines, rules).counted;
  for (const { line, inChain } of lines) {
    if (line.type !== 'signoff') continue;
    const l = line as LedgerLine & SignoffEvent & RecordedRemote & { sig?: string };
    if (typeof l.role !== 'string' || typeof l.actor !== 'string') continue;
    const at = Date.parse(l.ts);
    const remote = l.remote_line !== undefined;
    let why: string | undefined;
    const inv = invalidated.get(line.hash);
    if (!inChain) why = 'not a valid line of the ledger chain';
    else if (inv) why = invalidatedText(inv);
    else if (remote) {
      why = judgeRemote(l.remote_line, rules);
      const r = l.remote_line as RemoteSignoffLine | undefined;
      if (!why && (r!.actor !== l.actor || r!.role !== l.role || (r!.gate ?? null) !== (l.gate ?? null))) why = 'the recorded sign-off differs from the signed one';
    } else if (typeof l.sig === 'string' && rules.signers?.length) {
      why = verifyMessage(signedMessage(l), l.sig, l.actor, rules.signers);
    }
    why ??= judgeCommon(l, rules);
    if (why) {
      unverified.push({ role: l.role, actor: l.actor, ...(typeof l.gate === 'string' ? { gate: l.gate } : {}), at, why });
      continue;
    }
    const signedAt = remote ? Date.parse((l.remote_line as RemoteSignoffLine).ts) : at;
    const s: Signoff = { role: l.role, actor: l.actor, at: signedAt };
    if (typeof l.gate === 'string') s.gate = l.gate;
    if (remote) s.remote = true;
    const key = JSON.stringify([l.role, l.gate ?? null, l.actor]);
    latest.delete(key);
    latest.set(key, s);
  }
  return { counted: [...latest.values()].sort((a, b) => a.at - b.at), unverified };
}
