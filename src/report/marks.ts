/** Pure: every act of the window as a mark on the shared time axis, with who did it. */
import { actionsFrom, checkpointAcksFrom, decisionsFrom, triggersFrom } from '../audit/state.js';
import type { LedgerLine, WaiverEvent } from '../audit/types.js';
import type { RequestLine } from '../audit/approvals.js';
import type { ReportInputs } from './inputs.js';
import { actHash } from '../audit/judge.js';

export type Lane = 'decisions' | 'sign-offs' | 'actions' | 'triggers' | 'audit';
export const LANES: readonly Lane[] = ['decisions', 'sign-offs', 'actions', 'triggers', 'audit'];

export interface Mark {
  at: number;
  lane: Lane;
  kind: 'decision' | 'signoff' | 'waiver' | 'checkpoint' | 'kill' | 'influence' | 'runbook' | 'override' | 'trigger' | 'invalidation';
  /** Short words for the chart and the table (`kill-switch verified`, `decision GO`). */
  label: string;
  actor: string;
  level: 'go' | 'warn' | 'nogo' | 'info';
  /** A longer line for the table: reason, justification, error. */
  detail?: string;
  /** Shown struck through: invalidated, or never counted. */
  void?: string;
  /** An action: when its outcome came (it is drawn as a bar from `at`). */
  until?: number;
}

const OUTCOMES = new Set(['verified', 'failed', 'abandoned', 'cancelled']);

export function marksFrom(inputs: ReportInputs): Mark[] {
  const lines = inputs.lines;
  // An invalidation names the act (every copy of it); a claim is an act no listed key signed.
  const gone = new Map(inputs.invalidated.map((i) => [i.act, i]));
  const claimed = new Map(inputs.claims.map((c) => [c.line, c]));
  const voidOf = (l: LedgerLine | undefined): { void: string } | object => {
    if (!l) return {};
    const c = claimed.get(l);
    if (c) return { void: `claim, not counted (${c.origin}): ${c.why}` };
    const inv = gone.get(actHash(l));
    return inv ? { void: `invalidated by ${inv.actor}` } : {};
  };
  const out: Mark[] = [];
  const decisionLines = lines.filter((l) => l.type === 'decision');
  decisionsFrom(lines).forEach((d, i) => {
    out.push({ at: d.at, lane: 'decisions', kind: 'decision', label: `decision ${d.decision}`, actor: d.actor, level: d.decision === 'GO' ? 'go' : d.decision === 'HOLD' ? 'warn' : 'nogo', ...(d.justification ? { detail: d.justification } : {}), ...voidOf(decisionLines[i]) });
  });
  for (const s of inputs.counted) out.push({ at: s.at, lane: 'sign-offs', kind: 'signoff', label: `sign-off ${s.role}${s.gate ? ` on ${s.gate}` : ''}${s.remote ? ' (remote, verified)' : ''}`, actor: s.actor, level: 'go' });
  for (const u of inputs.unverified) out.push({ at: u.at, lane: 'sign-offs', kind: 'signoff', label: `sign-off ${u.role}${u.gate ? ` on ${u.gate}` : ''}`, actor: u.actor, level: 'warn', void: `not counted: ${u.why}` });
  for (const l of lines.filter((x): x is LedgerLine & WaiverEvent => x.type === 'waiver')) {
    out.push({ at: Date.parse(l.ts), lane: 'sign-offs', kind: 'waiver', label: `waiver of ${l.gate}`, actor: l.actor, level: 'warn', detail: String(l.reason ?? ''), ...voidOf(l) });
  }
  for (const c of inputs.acks ?? checkpointAcksFrom(lines)) out.push({ at: c.at, lane: 'sign-offs', kind: 'checkpoint', label: `checkpoint acknowledged: ${c.label}`, actor: c.actor, level: 'info', detail: `stage ${c.stage + 1}` });
  out.push(...actionMarks(lines));
  for (const t of triggersFrom(lines)) {
    if (t.phase === 'cleared') continue;
    out.push({ at: Date.parse(t.ts), lane: 'triggers', kind: 'trigger', label: `trigger ${t.gate} ${t.phase} (${t.mode})`, actor: t.actor, level: t.phase === 'fired' || t.phase === 'armed' ? 'nogo' : 'warn', detail: `value ${t.value === null ? 'none' : String(t.value)}, threshold ${t.threshold}` });
  }
  for (const l of lines) {
    if (l.type === 'override.request') {
      const r = l as RequestLine;
      out.push({ at: Date.parse(l.ts), lane: 'decisions', kind: 'override', label: r.kind === 'go' ? 'override requested (GO over NO-GO)' : `waiver approval requested${r.gate ? ` for ${r.gate}` : ''}`, actor: l.actor, level: 'warn', detail: String(r.justification ?? ''), ...voidOf(l) });
    } else if (l.type === 'override.approve') {
      out.push({ at: Date.parse(l.ts), lane: 'decisions', kind: 'override', label: 'override approved', actor: l.actor, level: 'warn', ...voidOf(l) });
    }
  }
  for (const i of inputs.invalidated) out.push({ at: i.at, lane: 'audit', kind: 'invalidation', label: `invalidated ${i.targetWhat} by ${i.targetActor}`, actor: i.actor, level: 'warn', detail: i.reason });
  for (const r of inputs.refusedInvalidations) out.push({ at: r.at, lane: 'audit', kind: 'invalidation', label: 'invalidation', actor: r.actor, level: 'info', void: `not counted: ${r.why}` });
  return out.filter((m) => Number.isFinite(m.at)).sort((a, b) => a.at - b.at);
}

/** One mark per action (its idempotency key): from the request to its outcome, with the outcome's words. */
function actionMarks(lines: readonly LedgerLine[]): Mark[] {
  const byKey = new Map<string, ReturnType<typeof actionsFrom>>();
  for (const a of actionsFrom(lines)) {
    const key = typeof a.idempotency_key === 'string' ? a.idempotency_key : a.hash;
    byKey.set(key, [...(byKey.get(key) ?? []), a]);
  }
  return [...byKey.values()].map((group) => {
    const first = group[0]!;
    const end = [...group].reverse().find((a) => OUTCOMES.has(a.phase)) ?? group[group.length - 1]!;
    const phase = OUTCOMES.has(end.phase) ? end.phase : `${end.phase} (no outcome recorded)`;
    const level = end.phase === 'failed' || end.phase === 'abandoned' ? 'nogo' : end.phase === 'verified' ? (first.action === 'kill_switch' ? 'nogo' : 'go') : 'warn';
    const what = first.action === 'kill_switch' ? 'kill-switch' : first.action === 'runbook' ? `runbook ${first.runbook ?? '?'}` : `influence ${pctText(first.from_pct)} → ${pctText(first.to_pct)}`;
    const kind = first.action === 'kill_switch' ? 'kill' : first.action === 'runbook' ? 'runbook' : 'influence';
    const at = Date.parse(first.ts);
    const until = Date.parse(end.ts);
    const params = first.params ? Object.entries(first.params).map(([k, v]) => `${k}=${String(v)}`).join(', ') : undefined;
    const detail = [first.reason, end.error, first.trigger ? `trigger ${first.trigger}` : undefined, params, until > at ? `${phase} after ${Math.round((until - at) / 1000)} s` : undefined].filter(Boolean).join('; ');
    const m: Mark = { at, lane: 'actions', kind, label: `${what} ${phase}`, actor: first.actor, level, ...(detail ? { detail } : {}) };
    if (until > at) m.until = until;
    return m;
  });
}

function pctText(v: number | undefined): string {
  return typeof v === 'number' && Number.isFinite(v) ? `${v}%` : '?';
}
