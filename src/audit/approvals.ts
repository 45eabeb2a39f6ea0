/**
 * Which approvals of an override or waiver request count (SPEC §9.5), pure: the one rule for
 * the console, the decision record and `report`, beside the sign-off rule (authority.ts).
 *
 * An approval counts only when it is an `override.approve` line for this deployment and this
 * request id, by an actor holding one of the rule's roles, made (and, for a remote one,
 * received) no later than the request's expiry; a remote one (relayed on the feed) counts only
 * with a valid SSHSIG by a key room.allowed_signers lists for that actor. Distinct actors
 * only; the requester counts as one approval when they hold one of the roles.
 */
import type { ApprovalRule } from '../config/types.js';
import { judgeSigned, signedRoom } from './judge.js';
import type { AllowedSigner } from './sshsig.js';
import type { LedgerLine, OverrideApproveEvent, OverrideRequestEvent } from './types.js';

// The line shapes live with the other ledger events (types.ts); named here too for the callers of the rule.
export type { OverrideApproveEvent, OverrideRequestEvent, RequestKind } from './types.js';

export type RequestLine = LedgerLine & OverrideRequestEvent & { sig?: string };
export type ApproveLine = LedgerLine & OverrideApproveEvent & { sig?: string };

export interface ApprovalContext {
  deployment: string;
  roles?: Record<string, string[]>;
  /** room.allowed_signers, when configured: then every approval and request must be signed (judge.ts). */
  signers?: readonly AllowedSigner[];
  /** ms: when keys' valid-after / valid-before are judged; the tally's `now` when absent. */
  now?: number;
}

/** One approval as judged: where it came from and when this console received it. */
export interface ApprovalClaim {
  /** The approver's own ledger line (for a remote one: as relayed, signed). */
  line: unknown;
  /** True when the line came from another console (feed, or recorded from it as remote_line). */
  remote: boolean;
  /** ms: when this console had it (a remote line's recording time); undefined = the line's own ts. */
  receivedAt?: number;
  /** False past the first line of our own chain that fails verification. */
  inChain?: boolean;
}

export interface Approver {
  actor: string;
  role: string;
  /** ms */
  at: number;
  line_hash: string;
  /** The requester's own request, counted as their approval. */
  requester?: boolean;
  remote?: boolean;
  /** The signing key's fingerprint (signed room): one person is one key. */
  key?: string;
}

export interface NotCounted {
  actor: string;
  at: number;
  why: string;
}

export type TallyState = 'pending' | 'complete' | 'expired';

export interface Tally {
  state: TallyState;
  counted: Approver[];
  notCounted: NotCounted[];
  need: number;
  /** ms */
  expires: number;
}

/** How far before its request an approval may be dated: the approver's clock may be this slow. */
export const APPROVAL_CLOCK_SKEW_MS = 15 * 60_000;

/** The request's expiry: its own claim, never later than request time + the rule's `expires`. */
export function expiryOf(req: RequestLine, rule: ApprovalRule): number {
  const at = Date.parse(req.ts);
  const claimed = Date.parse(req.expires);
  const limit = at + rule.expiresMs;
  return Number.isFinite(claimed) ? Math.min(claimed, limit) : limit;
}

/** The first of the rule's roles the actor holds, or undefined (no roles configured: none). */
export function approverRole(ctx: Pick<ApprovalContext, 'roles'>, rule: ApprovalRule, actor: string): string | undefined {
  if (!ctx.roles) return undefined;
  return rule.roles.find((r) => (ctx.roles![r] ?? []).includes(actor));
}

/** Why one approval does not count for `req`, or the approver it makes. */
export function judgeApproval(claim: ApprovalClaim, req: RequestLine, rule: ApprovalRule, ctx: ApprovalContext): Approver | { why: string; actor: string; at: number } {
  const l = claim.line as ApproveLine | undefined;
  const actor = l && typeof l.actor === 'string' ? l.actor : '?';
  const at = l && typeof l.ts === 'string' ? Date.parse(l.ts) : NaN;
  const no = (why: string) => ({ why, actor, at });
  if (!l || typeof l !== 'object') return no('no approval line attached');
  if (l.type !== 'override.approve') return no('the attached line is not an approval');
  if (claim.inChain === false) return no('not a valid line of the ledger chain');
  // The one judge: in a signed room this console's own lines need a valid signature too.
  let key: string | undefined;
  if (claim.remote || signedRoom(ctx)) {
    if (!signedRoom(ctx)) return no('no room.allowed_signers configured to check its signature');
    const v = judgeSigned(l, { signers: ctx.signers, now: ctx.now ?? Date.now() });
    if (!v.ok) return no(v.why);
    key = v.key;
  }
  if (l.deployment !== ctx.deployment) return no(`for deployment ${JSON.stringify(l.deployment)}, not ${ctx.deployment}`);
  if (l.request !== req.id) return no(`for request ${JSON.stringify(l.request)}, not ${req.id}`);
  if (l.criteria_hash !== req.criteria_hash) return no('approves a different criteria snapshot');
  if (!Number.isFinite(at)) return no('no valid time');
  const role = approverRole(ctx, rule, actor);
  if (!role) return no(`${actor} holds none of ${rule.roles.join(', ')}`);
  const requestedAt = Date.parse(req.ts);
  const expires = expiryOf(req, rule);
  // An approval names the request's random id, which exists only once the request is out, so
  // its date only tells the approver's clock: one some minutes slow still counts. Expiry is
  // judged by this console's receipt too (below), so a slow clock never extends a request.
  if (at < requestedAt - APPROVAL_CLOCK_SKEW_MS) return no(`dated ${Math.round((requestedAt - at) / 60_000)} min before the request (its clock is more than ${APPROVAL_CLOCK_SKEW_MS / 60_000} min off)`);
  const received = claim.receivedAt ?? at;
  if (at > expires || received > expires) return no(`arrived after the request expired (${new Date(expires).toISOString()})`);
  return { actor, role, at, line_hash: typeof l.hash === 'string' ? l.hash : '', ...(claim.remote ? { remote: true } : {}), ...(key ? { key } : {}) };
}

/**
 * The request's state at `now` from every approval seen: counted approvers (distinct actors,
 * the requester first when they hold a role), those not counted and why.
 */
export function tallyApprovals(req: RequestLine, claims: readonly ApprovalClaim[], rule: ApprovalRule, ctx: ApprovalContext, now: number): Tally {
  const expires = expiryOf(req, rule);
  const counted: Approver[] = [];
  const notCounted: NotCounted[] = [];
  const judgedCtx = { ...ctx, now: ctx.now ?? now };
  // A request no listed key signed is a claim: nothing approves it into an override.
  const reqSig = signedRoom(judgedCtx) ? judgeSigned(req, { signers: judgedCtx.signers, now: judgedCtx.now }) : { ok: true as const };
  if (!reqSig.ok) {
    notCounted.push({ actor: req.actor, at: Date.parse(req.ts), why: `the request itself carries no authority: ${reqSig.why}` });
    return { state: now > expires ? 'expired' : 'pending', counted, notCounted, need: rule.count, expires };
  }
  // Distinct people: distinct keys in a signed room (one key listed as hank,hank2 is one person), else names.
  const seen = new Set<string>();
  const requesterRole = approverRole(ctx, rule, req.actor);
  if (requesterRole) {
    counted.push({ actor: req.actor, role: requesterRole, at: Date.parse(req.ts), line_hash: req.hash, requester: true, ...(reqSig.key ? { key: reqSig.key } : {}) });
    seen.add(reqSig.key ?? req.actor);
  }
  const ordered = [...claims].sort((a, b) => tsOf(a) - tsOf(b));
  for (const c of ordered) {
    const j = judgeApproval(c, req, rule, judgedCtx);
    if ('why' in j) {
      notCounted.push({ actor: j.actor, at: j.at, why: j.why });
      continue;
    }
    const who = j.key ?? j.actor;
    if (seen.has(who)) {
      // The same person twice is one approval; under another name it is said, not hidden.
      const first = counted.find((a) => (a.key ?? a.actor) === who);
      if (first && first.actor !== j.actor) notCounted.push({ actor: j.actor, at: j.at, why: `signed with the same key as ${first.actor} (one key, one person)` });
      continue;
    }
    seen.add(who);
    counted.push(j);
  }
  // The configured count, never the request's own claim of what it needs.
  const state: TallyState = counted.length >= rule.count ? 'complete' : now > expires ? 'expired' : 'pending';
  return { state, counted, notCounted, need: rule.count, expires };
}

function tsOf(c: ApprovalClaim): number {
  const l = c.line as { ts?: unknown } | undefined;
  const t = typeof l?.ts === 'string' ? Date.parse(l.ts) : NaN;
  return Number.isFinite(t) ? t : Infinity;
}
