/**
 * Ledger lines → notification events. The console's acts are notified from what it wrote
 * to its ledger, after the fact, so nothing here ever runs before (or holds up) an action.
 * Pure apart from the episode memory: a rollback trigger or a kill is one PagerDuty alert
 * from its first line to the one that clears it.
 */
import type { ActionEvent, CheckpointAckEvent, DecisionEvent, LedgerLine, SignoffEvent, TriggerEvent, WaiverEvent } from '../audit/types.js';
import { formatDuration } from '../config/duration.js';
import { blockingCriteria, explainGates, formatValue, type NotifyEvent } from './events.js';
import type { EventContext } from './compose.js';
import { oneLine } from '../util/sanitize.js';

/** Lines written by the console on its own (trigger raise/arm/fire/clear): room-wide, sent by the primary writer only. */
export function isRoomLine(line: LedgerLine): boolean {
  return line.type === 'trigger' && (line as LedgerLine & TriggerEvent).phase !== 'cancelled';
}

export class LedgerEvents {
  /** gate → the PagerDuty key of its open trigger episode. */
  private readonly episodes = new Map<string, string>();

  /** The event for one line, or undefined for lines that are not notified (notes, retries, remote copies). */
  event(line: LedgerLine, ctx: EventContext): NotifyEvent | undefined {
    if ('remote_line' in line) return undefined;
    const at = Date.parse(line.ts);
    const c: EventContext = { ...ctx, now: Number.isFinite(at) ? at : ctx.now };
    const base = {
      ts: c.now,
      deployment: line.deployment,
      environment: line.environment,
      overall: c.overall,
      actor: line.actor,
    };
    const why = blockingCriteria(c.criteria);
    const verdict = why.length ? `${c.overall}: ${explainGates(why)}` : `overall ${c.overall}`;
    switch (line.type) {
      case 'action':
        return this.action(line as LedgerLine & ActionEvent, base, c, verdict);
      case 'trigger':
        return this.trigger(line as LedgerLine & TriggerEvent, base, c);
      case 'decision': {
        const d = line as LedgerLine & DecisionEvent;
        return {
          ...base,
          event: 'decision',
          title: `decision ${d.decision} by ${d.actor}${d.role ? ` (${d.role})` : ''}: ${oneLine(d.justification, 200)}`,
          lines: [`at ${verdict}`, ...(d.next_review ? [`next review ${d.next_review}`] : [])],
          gates: [...c.criteria],
          detail: { decision: d.decision, id: d.id, file: d.file, justification: d.justification, next_review: d.next_review, role: d.role ?? null },
          severity: d.decision === 'GO' ? 'info' : 'warning',
          pager: { kind: 'change' },
        };
      }
      case 'signoff': {
        const s = line as LedgerLine & SignoffEvent;
        return {
          ...base,
          event: 'signoff',
          title: `signed off ${s.gate ?? 'the decision'} as ${s.role} (${s.actor})`,
          lines: [verdict],
          gates: s.gate ? c.criteria.filter((x) => x.id === s.gate) : [],
          detail: { role: s.role, ...(s.gate ? { gate: s.gate } : {}) },
          severity: 'info',
        };
      }
      case 'waiver': {
        const w = line as LedgerLine & WaiverEvent;
        return {
          ...base,
          event: 'waiver',
          title: `waived ${w.gate} until ${w.expires} by ${w.actor}: ${oneLine(w.reason, 200)}`,
          lines: [verdict],
          gates: c.criteria.filter((x) => x.id === w.gate),
          detail: { gate: w.gate, reason: w.reason, expires: w.expires },
          severity: 'warning',
        };
      }
      case 'checkpoint.ack': {
        const k = line as LedgerLine & CheckpointAckEvent;
        return {
          ...base,
          event: 'checkpoint',
          title: `checkpoint T+${formatDuration(k.offset_ms)} "${oneLine(k.label, 100)}" (stage ${k.stage + 1}) acknowledged by ${k.actor}`,
          lines: [verdict],
          gates: why,
          detail: { stage: k.stage + 1, offset_ms: k.offset_ms, label: k.label, state: 'acknowledged' },
          severity: 'info',
        };
      }
      default:
        return undefined;
    }
  }

  private action(a: LedgerLine & ActionEvent, base: Pick<NotifyEvent, 'ts' | 'deployment' | 'environment' | 'overall' | 'actor'>, c: EventContext, verdict: string): NotifyEvent | undefined {
    // A retried attempt ('sent' with an error) is part of the record, not news: its outcome follows.
    if (a.phase === 'sent') return undefined;
    const kill = a.action === 'kill_switch';
    const from = a.from_pct === undefined ? '?' : `${a.from_pct}%`;
    const what = kill ? `KILL-SWITCH ${from} → 0%` : `influence ${from} → ${a.to_pct ?? '?'}%`;
    const by = a.trigger ? `auto-rollback on ${a.trigger} (console of ${a.actor})` : a.actor;
    const phase = a.phase === 'requested' ? 'requested' : a.phase === 'failed' ? 'FAILED' : a.phase;
    const lines = [`reason: ${oneLine(a.reason ?? '', 300)}`, `at ${verdict}`, ...(a.error ? [`error: ${oneLine(a.error, 300)}`] : [])];
    const detail = { action: a.action, phase: a.phase, from_pct: a.from_pct ?? null, to_pct: a.to_pct ?? null, reason: a.reason ?? '', idempotency_key: a.idempotency_key, ...(a.trigger ? { trigger: a.trigger } : {}), ...(a.error ? { error: a.error } : {}) };
    const gates = a.trigger ? c.criteria.filter((x) => x.id === a.trigger) : blockingCriteria(c.criteria);
    if (kill) {
      const key = `${a.deployment}/kill/${a.idempotency_key}`;
      const open = a.phase === 'requested' || a.phase === 'failed' || a.phase === 'abandoned';
      return {
        ...base,
        event: 'kill',
        title: `${what} ${phase} by ${by}`,
        lines,
        gates,
        detail,
        severity: a.phase === 'verified' || a.phase === 'acknowledged' ? 'warning' : 'critical',
        // One incident per kill: open from the request until the kill is verified (or acknowledged without a verify).
        pager: { kind: 'alert', action: open ? 'trigger' : 'resolve', key },
      };
    }
    if (a.phase === 'requested') return undefined;
    if (a.action === 'runbook') {
      const params = Object.entries(a.params ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(', ');
      const runbook = `RUNBOOK ${a.runbook ?? '?'}${params ? ` (${oneLine(params, 200)})` : ''}${a.gate ? ` as the remedy for ${a.gate}` : ''}`;
      return {
        ...base,
        event: 'runbook',
        title: `${runbook} ${phase} by ${by}`,
        lines,
        gates: a.gate ? c.criteria.filter((x) => x.id === a.gate) : gates,
        detail: { ...detail, runbook: a.runbook ?? null, params: a.params ?? {}, ...(a.gate ? { gate: a.gate } : {}) },
        severity: a.phase === 'failed' || a.phase === 'abandoned' ? 'error' : 'info',
        ...(a.phase === 'verified' || a.phase === 'acknowledged' ? { pager: { kind: 'change' as const } } : {}),
      };
    }
    return {
      ...base,
      event: 'influence',
      title: `${what} ${phase} by ${by}`,
      lines,
      gates,
      detail,
      severity: a.phase === 'failed' ? 'error' : 'info',
      ...(a.phase === 'verified' || a.phase === 'acknowledged' ? { pager: { kind: 'change' as const } } : {}),
    };
  }

  private trigger(t: LedgerLine & TriggerEvent, base: Pick<NotifyEvent, 'ts' | 'deployment' | 'environment' | 'overall' | 'actor'>, c: EventContext): NotifyEvent {
    const value = formatValue(t.value);
    const head = { raised: 'ROLLBACK TRIGGER raised', armed: 'AUTO-ROLLBACK ARMED (fires in 30s unless cancelled)', fired: 'AUTO-ROLLBACK FIRED', cancelled: 'auto-rollback cancelled', cleared: 'rollback trigger cleared' }[t.phase];
    const failing = `${t.gate} = ${value} fails ${t.threshold}`;
    const title = t.phase === 'cancelled' ? `${head} by ${t.actor}: ${failing}` : t.phase === 'cleared' ? `${head}: ${t.gate} = ${value}` : `${head}: ${failing} (${t.mode})`;
    let key = this.episodes.get(t.gate);
    if (!key) {
      key = `${t.deployment}/trigger/${t.gate}/${t.ts}`;
      this.episodes.set(t.gate, key);
    }
    const closes = t.phase === 'cleared' || t.phase === 'cancelled';
    if (closes) this.episodes.delete(t.gate);
    return {
      ...base,
      event: 'trigger',
      title,
      lines: [t.phase === 'raised' ? 'press K in the console to fire the kill-switch' : t.phase === 'armed' ? 'a in the console cancels' : `mode ${t.mode}`],
      gates: c.criteria.filter((x) => x.id === t.gate),
      detail: { phase: t.phase, gate: t.gate, mode: t.mode, value: t.value, threshold: t.threshold },
      severity: closes ? 'info' : t.phase === 'fired' ? 'critical' : 'error',
      pager: { kind: 'alert', action: closes ? 'resolve' : 'trigger', key },
    };
  }
}
