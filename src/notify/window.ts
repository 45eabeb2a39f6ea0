/**
 * The window's closing summary (`warroom report --notify`) and the check verdict
 * (`warroom check --watch --notify`) as notification events. Pure.
 */
import { actionsFrom, decisionsFrom, influencePeriods, triggersFrom } from '../audit/state.js';
import type { LedgerLine } from '../audit/types.js';
import { formatDuration } from '../config/duration.js';
import type { Config } from '../config/types.js';
import type { CheckReport } from '../commands/checkFormat.js';
import { blockingCriteria, type NotifyEvent } from './events.js';
import { overallEvent, verdictLine } from './compose.js';
import { oneLine } from '../util/sanitize.js';

export type WindowOutcome = 'success' | 'rolled back' | 'failed' | 'undecided';

/**
 * Rolled back: a kill-switch was verified or acknowledged. Failed: the audit trail does not
 * verify, an action failed, or the last decision is NO-GO. Success: the last decision is GO.
 */
export function windowOutcome(lines: readonly LedgerLine[], integrityOk: boolean): WindowOutcome {
  const actions = actionsFrom(lines);
  if (actions.some((a) => a.action === 'kill_switch' && (a.phase === 'verified' || a.phase === 'acknowledged'))) return 'rolled back';
  const last = decisionsFrom(lines).at(-1);
  if (!integrityOk || actions.some((a) => a.phase === 'failed') || last?.decision === 'NO-GO') return 'failed';
  return last?.decision === 'GO' ? 'success' : 'undecided';
}

export function reportEvent(lines: readonly LedgerLine[], opts: { integrity: { ok: boolean; text: string }; actor: string; now: number; deployment?: string; environment?: string }): NotifyEvent {
  const times = lines.map((l) => Date.parse(l.ts)).filter(Number.isFinite);
  const start = times.length ? Math.min(...times) : opts.now;
  const end = times.length ? Math.max(...times) : opts.now;
  const outcome = windowOutcome(lines, opts.integrity.ok);
  const decisions = decisionsFrom(lines);
  const actions = actionsFrom(lines).filter((a) => a.phase !== 'sent');
  const triggers = triggersFrom(lines);
  const periods = influencePeriods(lines);
  const atLevel = new Map<number, number>();
  for (const p of periods) atLevel.set(p.pct, (atLevel.get(p.pct) ?? 0) + (p.to - p.from));
  const deployment = opts.deployment ?? lines[0]?.deployment ?? 'unknown deployment';
  const environment = opts.environment ?? lines[0]?.environment ?? 'unknown environment';
  const last = decisions.at(-1);
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19) + 'Z';
  return {
    event: 'report',
    ts: opts.now,
    deployment,
    environment,
    overall: last?.decision ?? '?',
    actor: opts.actor,
    title: `window ${outcome.toUpperCase()}: ${deployment} → ${environment}, ${formatDuration(end - start)}${last ? `; last decision ${last.decision} by ${last.actor}` : '; no decision recorded'}`,
    lines: [
      `audit trail: ${opts.integrity.ok ? 'verified' : 'FAILED'}: ${oneLine(opts.integrity.text, 200)}`,
      ...decisions.map((d) => `decision ${iso(d.at)} ${d.decision} by ${d.actor}${d.role ? ` (${d.role})` : ''}: ${oneLine(d.justification, 150)}`),
      ...actions.map((a) => `action ${a.ts.slice(0, 19)}Z ${a.action} ${a.phase}${a.from_pct !== undefined ? ` ${a.from_pct}%` : ''} → ${a.to_pct ?? (a.action === 'kill_switch' ? 0 : '?')}% by ${a.actor}${a.error ? `: ${oneLine(a.error, 100)}` : ''}`),
      ...triggers.filter((t) => t.phase === 'fired' || t.phase === 'raised').map((t) => `trigger ${t.ts.slice(0, 19)}Z ${t.gate} ${t.phase} (${String(t.value)} vs ${t.threshold})`),
      ...[...atLevel.entries()].sort((a, b) => a[0] - b[0]).map(([pct, ms]) => `time at ${pct}%: ${formatDuration(ms)}`),
    ],
    gates: [],
    detail: {
      outcome,
      period: { from: new Date(start).toISOString(), to: new Date(end).toISOString() },
      integrity: opts.integrity,
      decisions: decisions.map((d) => ({ at: new Date(d.at).toISOString(), decision: d.decision, actor: d.actor, role: d.role ?? null, justification: d.justification })),
      actions: actions.map((a) => ({ ts: a.ts, action: a.action, phase: a.phase, from_pct: a.from_pct ?? null, to_pct: a.to_pct ?? null, actor: a.actor, ...(a.error ? { error: a.error } : {}) })),
      time_at_influence_ms: Object.fromEntries([...atLevel.entries()].map(([k, v]) => [String(k), v])),
    },
    severity: outcome === 'success' ? 'info' : outcome === 'undecided' ? 'warning' : 'error',
    pager: { kind: 'change' },
  };
}

/**
 * `check --watch --notify`: the verdict of a check as an `overall` event (`previous` is the
 * verdict before, when the watch saw one). Send it with sendOnce.
 */
export function checkEvent(
  config: Pick<Config, 'deployment' | 'ramp' | 'roles'>,
  report: CheckReport,
  opts: { actor: string; previous?: string; now?: number; /** The signal that cancelled the watch: the verdict is not final. */ cancelledBy?: string },
): NotifyEvent {
  const now = opts.now ?? Date.parse(report.evaluated_at);
  const ctx = { config, now, actor: opts.actor, overall: report.overall, reasons: report.reasons, criteria: report.criteria };
  const e = overallEvent(ctx, opts.previous ?? 'not checked', undefined);
  const verdict = verdictLine(report.overall, report.criteria, report.reasons);
  const title = opts.cancelledBy ? `check cancelled (${opts.cancelledBy}), last verdict ${verdict}` : `check ${verdict}`;
  return { ...e, title, ...(opts.cancelledBy ? { detail: { ...e.detail, cancelled_by: opts.cancelledBy } } : {}), gates: report.overall === 'GO' ? report.criteria : blockingCriteria(report.criteria) };
}
