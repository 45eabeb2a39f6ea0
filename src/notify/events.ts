/**
 * What a notification says, before any sink's shape (SPEC §9.4). Pure. Every event carries
 * the gates that led to it and a headline naming gate, value, threshold and actor, so a
 * reader in Slack sees how the console arrived at it ("NO-GO: entropy = 0.71 fails >= 0.9
 * (critical)"), not just that it did.
 */
import type { NotifySinkConfig } from '../config/types.js';
import type { Criterion } from '../engine/criteria.js';
import { oneLine } from '../util/sanitize.js';

export type NotifyEventName =
  | 'overall'
  | 'trigger'
  | 'kill'
  | 'influence'
  | 'runbook'
  | 'decision'
  | 'signoff'
  | 'waiver'
  | 'checkpoint'
  | 'audit'
  | 'status'
  | 'announce'
  | 'report';

export type NotifySeverity = 'critical' | 'error' | 'warning' | 'info';

/**
 * How a PagerDuty sink carries the event: one alert per episode (trigger, then resolve with
 * the same key when it clears), or a change event. Events without it are not for PagerDuty.
 */
export type PagerIntent = { kind: 'alert'; action: 'trigger' | 'resolve'; key: string } | { kind: 'change' };

export interface NotifyEvent {
  event: NotifyEventName;
  /** ms epoch */
  ts: number;
  deployment: string;
  environment: string;
  /** The overall light when it happened ('?' when not known, e.g. a report). */
  overall: string;
  /** Who did it; `warroom` for what the console saw on its own. */
  actor: string;
  /** One line: the light or act and the gate(s), value, threshold and actor behind it. */
  title: string;
  /** Further lines of explanation, most important first. */
  lines: string[];
  /** Criteria as SPEC §5 (the gates behind the event; all gates for status and announce). */
  gates: Criterion[];
  detail: Record<string, unknown>;
  severity: NotifySeverity;
  pager?: PagerIntent;
}

/** The sink takes this event (its `on:` names it, or `all`). */
export function wants(sink: Pick<NotifySinkConfig, 'on'>, event: NotifyEventName): boolean {
  return sink.on.includes('all') || sink.on.includes(event);
}

/** `slack#0`: how a sink is named on screen, in the ledger and in errors. */
export function sinkName(sink: Pick<NotifySinkConfig, 'type' | 'index'>): string {
  return `${sink.type}#${sink.index}`;
}

/**
 * `slack#0 https://hooks.slack.com/…`: origin only. A Slack or Teams webhook's path is its
 * credential, and a generic webhook's path or query may be one too.
 */
export function sinkLabel(sink: Pick<NotifySinkConfig, 'type' | 'index' | 'url'>): string {
  let origin = '?';
  try {
    origin = new URL(sink.url).origin;
  } catch {
    // validated at load; '?' keeps a label even so
  }
  return `${sinkName(sink)} ${origin}/…`;
}

/** Repeats of this within a sink's `throttle:` are dropped (a PagerDuty episode's steps never are). */
export function dedupKey(e: NotifyEvent): string {
  return JSON.stringify([e.event, e.title, e.pager?.kind === 'alert' ? `${e.pager.action}:${e.pager.key}` : '']);
}

export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return 'no value';
  if (typeof v === 'number') return Number.isFinite(v) ? String(Number(v.toPrecision(6))) : String(v);
  return oneLine(String(v), 80);
}

/** One gate's state in words: `entropy = 0.71 fails >= 0.9 (critical)`. */
export function explainCriterion(c: Criterion): string {
  const value = c.value_text ?? formatValue(c.value);
  const th = c.threshold ? ` ${c.threshold}` : '';
  switch (c.status) {
    case 'FAIL':
      return `${c.id} = ${value} fails${th} (${c.severity})`;
    case 'WARN':
      return `${c.id} = ${value} only warns${th} (${c.severity})`;
    case 'UNKNOWN':
      return `${c.id} UNKNOWN (${c.severity}): ${oneLine(c.reason, 120)}`;
    case 'WAIVED':
      return `${c.id} = ${value} WAIVED${th}`;
    default:
      return `${c.id} = ${value} passes${th}`;
  }
}

const RANK: Record<string, number> = { FAIL: 0, UNKNOWN: 1, WARN: 2, WAIVED: 3, PASS: 4 };
const SEV: Record<string, number> = { critical: 0, advisory: 1, info: 2 };

/** The gates that keep the light from GO, worst first (critical FAIL, then UNKNOWN, then WARN). */
export function blockingCriteria(criteria: readonly Criterion[]): Criterion[] {
  return criteria
    .filter((c) => c.severity !== 'info' && c.status !== 'PASS' && c.status !== 'WAIVED')
    .sort((a, b) => (SEV[a.severity] ?? 9) - (SEV[b.severity] ?? 9) || (RANK[a.status] ?? 9) - (RANK[b.status] ?? 9));
}

/** `entropy = 0.71 fails >= 0.9 (critical); q_spread … (+2 more)`, at most `max` named. */
export function explainGates(criteria: readonly Criterion[], max = 3): string {
  const named = criteria.slice(0, max).map(explainCriterion);
  const more = criteria.length - named.length;
  return named.join('; ') + (more > 0 ? ` (+${more} more)` : '');
}
