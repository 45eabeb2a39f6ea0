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
import type { LedgerLine, SignoffEvent } from './types.js';

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

/**
 * Sign-offs that count and those that do not, from every ledger line given; the latest per
 * (role, gate, actor) in time order.
 */
export function judgeSignoffs(lines: readonly ChainedLine[], rules: AuthorityRules): { counted: Signoff[]; unverified: Unverified[] } {
  const latest = new Map<string, Signoff>();
  const unverified: Unverified[] = [];
  for (const { line, inChain } of lines) {
    if (line.type !== 'signoff') continue;
    const l = line as LedgerLine & SignoffEvent & RecordedRemote & { sig?: string };
    if (typeof l.role !== 'string' || typeof l.actor !== 'string') continue;
    const at = Date.parse(l.ts);
    const remote = l.remote_line !== undefined;
    let why: string | undefined;
    if (!inChain) why = 'not a valid line of the ledger chain';
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
