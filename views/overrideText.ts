/** The words of the override / waiver request banner (SPEC §9.5). Pure; the view lays it out. */
import type { OverrideView, WarroomState } from '../src/store/store.js';
import { openRequests, rolesOf, whenText } from '../src/viewmodel/flowContext.js';
import { oneLine } from '../src/util/sanitize.js';

/** The request the banner shows: the one `o` approves (the oldest open), else the newest. */
export function shownRequest(s: Pick<WarroomState, 'overrides'>): OverrideView | undefined {
  const all = s.overrides ?? [];
  return openRequests(all)[0] ?? all[0];
}

export function overrideBannerLines(s: Pick<WarroomState, 'overrides'>): number {
  return shownRequest(s) ? 1 : 0;
}

export function overrideBannerText(o: OverrideView, s: Pick<WarroomState, 'config' | 'actor' | 'readOnly' | 'mode' | 'now'> & Partial<Pick<WarroomState, 'overrides'>>): string {
  const hhmm = (ms: number) => whenText(ms, s.now);
  const what = o.kind === 'go' ? 'OVERRIDE' : `WAIVER of ${oneLine(o.gate ?? '?', 40)}`;
  const by = oneLine(o.requestedBy, 40);
  const count = `${o.approvers.length}/${o.need} approvals`;
  const notCounted = o.notCounted.length ? ` · not counted: ${o.notCounted.map((n) => `${oneLine(n.actor, 32)} (${oneLine(n.why, 60)})`).join(', ')}` : '';
  if (o.state === 'complete') return `${what} APPROVED (request by ${by}): ${count}: ${o.approvers.map((a) => `${oneLine(a.actor, 32)} as ${a.role}`).join(', ')}${notCounted}`;
  if (o.state === 'expired') return `${what} EXPIRED (request by ${by}) at ${hhmm(o.expires)} with ${count}: it can never complete${notCounted}`;
  const rule = o.kind === 'go' ? s.config.decision.override : s.config.waiver?.approvals;
  const mayApprove = !s.readOnly && s.mode !== 'replay' && !!rule && rule.roles.some((r) => rolesOf(s).includes(r)) && !o.approvers.some((a) => a.actor === s.actor);
  const open = openRequests(s.overrides).length;
  const several = open > 1 ? ` · ${open} requests open: o takes this one, the oldest` : '';
  return `${what} REQUESTED by ${by}: ${count}, expires ${hhmm(o.expires)} — ${mayApprove ? `press o to approve ${o.id.slice(0, 8)}` : 'waiting for approvals'}${several}${notCounted}`;
}
