/**
 * Builders of the room-wide and window events (overall change, periodic status, checkpoint,
 * audit failure, announce, report) from what the console or a command knows. Pure.
 */
import type { Config } from '../config/types.js';
import { formatDuration } from '../config/duration.js';
import type { Criterion } from '../engine/criteria.js';
import { blockingCriteria, explainCriterion, explainGates, type NotifyEvent } from './events.js';
import { oneLine } from '../util/sanitize.js';

export interface EventContext {
  config: Pick<Config, 'deployment' | 'ramp' | 'roles'>;
  now: number;
  /** The console's (or command's) actor. */
  actor: string;
  overall: string;
  reasons: readonly string[];
  criteria: readonly Criterion[];
  influencePct?: number;
}

function base(ctx: EventContext, event: NotifyEvent['event']): Pick<NotifyEvent, 'event' | 'ts' | 'deployment' | 'environment' | 'overall' | 'actor'> {
  return { event, ts: ctx.now, deployment: ctx.config.deployment.name, environment: ctx.config.deployment.environment, overall: ctx.overall, actor: ctx.actor };
}

const pct = (p: number | undefined) => (p === undefined ? '?%' : `${p}%`);

/** `NO-GO: entropy = 0.71 fails >= 0.9 (critical)`, or the rule's reason when no gate is to blame (a missing sign-off). */
export function verdictLine(overall: string, criteria: readonly Criterion[], reasons: readonly string[]): string {
  if (overall === 'GO') return 'GO: every counted gate passes';
  const blocking = blockingCriteria(criteria);
  if (blocking.length) return `${overall}: ${explainGates(blocking)}`;
  return `${overall}: ${oneLine(reasons.join('; ') || 'no reason given', 200)}`;
}

/** The light changed; `episode` names the NO-GO episode it opens or closes (PagerDuty). */
export function overallEvent(ctx: EventContext, prev: string, episode: string | undefined): NotifyEvent {
  const blocking = blockingCriteria(ctx.criteria);
  const lines = [...ctx.reasons.map((r) => oneLine(r, 300)), `was ${prev}; influence ${pct(ctx.influencePct)}; evaluated by the console of ${ctx.actor}`];
  const ev: NotifyEvent = {
    ...base(ctx, 'overall'),
    title: verdictLine(ctx.overall, ctx.criteria, ctx.reasons),
    lines,
    gates: ctx.overall === 'GO' ? [...ctx.criteria] : blocking,
    detail: { previous: prev, reasons: [...ctx.reasons], ...(ctx.influencePct !== undefined ? { influence_pct: ctx.influencePct } : {}) },
    severity: ctx.overall === 'NO-GO' ? 'error' : ctx.overall === 'WARN' ? 'warning' : 'info',
  };
  if (episode && ctx.overall === 'NO-GO') ev.pager = { kind: 'alert', action: 'trigger', key: episode };
  else if (episode && prev === 'NO-GO') ev.pager = { kind: 'alert', action: 'resolve', key: episode };
  return ev;
}

/** `every:` — where the window stands. */
export function statusEvent(ctx: EventContext, extra: { stage?: string } = {}): NotifyEvent {
  const counted = ctx.criteria.filter((c) => c.severity !== 'info');
  const passing = counted.filter((c) => c.status === 'PASS' || c.status === 'WAIVED').length;
  const blocking = blockingCriteria(ctx.criteria);
  return {
    ...base(ctx, 'status'),
    title: `status: ${ctx.overall} · influence ${pct(ctx.influencePct)} · ${passing}/${counted.length} gates pass`,
    lines: [...(extra.stage ? [extra.stage] : []), ...blocking.slice(0, 8).map(explainCriterion), ...(blocking.length > 8 ? [`+${blocking.length - 8} more not passing`] : [])],
    gates: [...ctx.criteria],
    detail: { reasons: [...ctx.reasons], ...(ctx.influencePct !== undefined ? { influence_pct: ctx.influencePct } : {}), ...(extra.stage ? { stage: extra.stage } : {}) },
    severity: ctx.overall === 'NO-GO' ? 'error' : ctx.overall === 'WARN' ? 'warning' : 'info',
  };
}

export interface CheckpointNote {
  stage: number;
  offsetMs: number;
  label: string;
  state: 'due' | 'missed' | 'acknowledged';
  by?: string;
}

export function checkpointEvent(ctx: EventContext, cp: CheckpointNote): NotifyEvent {
  const what = `checkpoint T+${formatDuration(cp.offsetMs)} "${oneLine(cp.label, 100)}" (stage ${cp.stage + 1})`;
  const state = cp.state === 'acknowledged' ? `acknowledged by ${cp.by ?? ctx.actor}` : cp.state === 'missed' ? 'MISSED: it came due and was not acknowledged' : 'due: acknowledge it in the console (a)';
  return {
    ...base(ctx, 'checkpoint'),
    ...(cp.by ? { actor: cp.by } : {}),
    title: `${what} ${state}`,
    lines: [verdictLine(ctx.overall, ctx.criteria, ctx.reasons)],
    gates: blockingCriteria(ctx.criteria),
    detail: { stage: cp.stage + 1, offset_ms: cp.offsetMs, label: cp.label, state: cp.state },
    severity: cp.state === 'missed' ? 'warning' : 'info',
  };
}

export function auditEvent(ctx: EventContext, a: { pending: number; error: string; file: string }): NotifyEvent {
  return {
    ...base(ctx, 'audit'),
    title: `AUDIT NOT SAVED: ${a.pending} ledger line(s) of ${ctx.actor}'s console not written`,
    lines: [oneLine(a.error, 300), 'the console keeps them in memory and retries; on exit they go to a rescue file'],
    gates: [],
    detail: { pending: a.pending, error: a.error, file: a.file },
    severity: 'error',
  };
}

/** The ramp plan in words, one line per stage. */
export function rampPlanLines(ramp: Config['ramp']): string[] {
  if (!ramp) return ['no ramp configured'];
  return ramp.stages.map((s, i) => {
    const cps = s.checkpoints.map((c) => `T+${formatDuration(c.at)} ${oneLine(c.label, 60)}`);
    return `stage ${i + 1}: ${s.influence}% for ${formatDuration(s.hold)}${cps.length ? ` (checkpoints: ${cps.join(', ')})` : ''}`;
  });
}

export function announceEvent(ctx: EventContext, opts: { message?: string }): NotifyEvent {
  const roles = Object.entries(ctx.config.roles ?? {}).map(([role, people]) => `${role}: ${people.join(', ') || '(nobody)'}`);
  const ramp = ctx.config.ramp;
  return {
    ...base(ctx, 'announce'),
    title: `window opening: ${ctx.config.deployment.name} → ${ctx.config.deployment.environment} (announced by ${ctx.actor})`,
    lines: [
      ...(opts.message ? [oneLine(opts.message, 1000)] : []),
      `current check: ${verdictLine(ctx.overall, ctx.criteria, ctx.reasons)}`,
      ...rampPlanLines(ramp).map((l) => `ramp ${l}`),
      ...(roles.length ? roles.map((r) => `role ${r}`) : ['no roles configured: every console may act']),
    ],
    gates: [...ctx.criteria],
    detail: {
      ...(opts.message ? { message: opts.message } : {}),
      ramp: ramp ? ramp.stages.map((s) => ({ influence: s.influence, hold_ms: s.hold, checkpoints: s.checkpoints.map((c) => ({ at_ms: c.at, label: c.label })) })) : null,
      roles: ctx.config.roles ?? null,
      reasons: [...ctx.reasons],
    },
    severity: 'info',
    pager: { kind: 'change' },
  };
}
