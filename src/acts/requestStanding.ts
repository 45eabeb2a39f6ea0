/**
 * Which override and waiver requests stand as open in this room (SPEC §9.5), pure. A request
 * blocks the captain's own `d g` and is what `o` approves, so a signed line alone is not
 * enough: its requester must hold the right the request asks to use (a GO decision, a waiver:
 * release_captain when roles are set), and it must not be dated in the future beyond the
 * clock-skew allowance between consoles (a request "from tomorrow" would sit open, unexpired,
 * for a day).
 *
 * With several open, the oldest is the one shown and approved: a later request can never
 * take the banner (and the approvals) from one already open. The banner and `o` both use
 * `openRequests`, so they always agree.
 */
import { APPROVAL_CLOCK_SKEW_MS, type ApprovalContext, type RequestLine } from '../audit/approvals.js';
import { judgeSigned, signedRoom } from '../audit/judge.js';
import type { OverrideView } from '../store/store.js';
import { CAPTAIN } from '../flows/permissions.js';

/**
 * How far ahead of this console's clock a request may be dated: the same skew between consoles
 * that an approval may show (approvals.ts), so a console whose clock is minutes slow still sees
 * the captain's request as the others do.
 */
export const REQUEST_FUTURE_SKEW_MS = APPROVAL_CLOCK_SKEW_MS;
/** The role a GO decision and a waiver need: the one the act itself checks. */
const DECIDER = CAPTAIN;

/**
 * Why `req` does not stand as an open request here, or undefined when it does. In a signed room
 * the judge decides first (judge.ts): a request no key listed for its actor signed is a claim,
 * whichever ledger it sits in, this console's own included.
 */
export function requestRefusal(req: Pick<RequestLine, 'ts' | 'actor' | 'kind'>, ctx: Pick<ApprovalContext, 'roles' | 'signers'>, now: number): string | undefined {
  if (signedRoom(ctx)) {
    const v = judgeSigned(req, { signers: ctx.signers, now });
    if (!v.ok) return `it carries no authority: ${v.why}`;
  }
  const at = Date.parse(req.ts);
  if (!Number.isFinite(at)) return 'it carries no valid time';
  if (at > now + REQUEST_FUTURE_SKEW_MS) return `it is dated ${new Date(at).toISOString().slice(0, 16)}Z, ahead of this console's clock by more than ${REQUEST_FUTURE_SKEW_MS / 60_000} min`;
  if (ctx.roles && !(ctx.roles[DECIDER] ?? []).includes(req.actor)) {
    return `${req.actor} does not hold ${DECIDER}, which ${req.kind === 'go' ? 'a GO decision' : 'a waiver'} needs`;
  }
  return undefined;
}

/** The pending requests, oldest first: the first is the one the banner shows and `o` approves. */
export function openRequests(views: readonly OverrideView[] | undefined): OverrideView[] {
  return (views ?? []).filter((o) => o.state === 'pending').sort((a, b) => a.requestedAt - b.requestedAt || a.id.localeCompare(b.id));
}

/** `16:40Z` today (UTC, by `now`), else `2026-12-08 16:40Z`: never a bare time on another day. */
export function whenText(ms: number, now: number): string {
  const iso = new Date(ms).toISOString();
  const sameDay = iso.slice(0, 10) === new Date(now).toISOString().slice(0, 10);
  return sameDay ? `${iso.slice(11, 16)}Z` : `${iso.slice(0, 10)} ${iso.slice(11, 16)}Z`;
}
