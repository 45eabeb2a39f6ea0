/** `decision:` (the rule's knobs, score, override approvals) and `waiver:` (waiver approvals). */
import { decisionSchema, waiverSchema } from '../schema.js';
import type { Config, DecisionConfig } from '../types.js';
import type { BuildContext } from './context.js';
import type { Roles } from './roles.js';

export const DEFAULT_SIGNOFF_MAX_AGE = 12 * 3600_000;

export function buildDecision(ctx: BuildContext, roles: Roles): DecisionConfig {
  let decision: DecisionConfig = { unknown: 'nogo', warnWhenFailedAtMost: 0, requireSignoffs: [], signoffMaxAge: DEFAULT_SIGNOFF_MAX_AGE };
  const raw = ctx.section('decision');
  if (raw === undefined) return decision;
  const d = ctx.parseAt(decisionSchema, raw, ['decision']);
  if (d) {
    const req = d.require_signoffs ?? [];
    req.forEach((r, j) => roles.checkRole(r, ['decision', 'require_signoffs', j]));
    decision = { unknown: d.unknown ?? 'nogo', warnWhenFailedAtMost: d.warn_when_failed_at_most ?? 0, requireSignoffs: [...new Set(req)], signoffMaxAge: d.signoff_max_age ?? DEFAULT_SIGNOFF_MAX_AGE };
    if (d.score) decision.score = { pass: d.score.pass, warning: d.score.warning };
    const o = roles.approvalRule(d.override, ['decision', 'override']);
    if (o) decision.override = o;
  }
  return decision;
}

export function buildWaiver(ctx: BuildContext, roles: Roles): Config['waiver'] {
  const raw = ctx.section('waiver');
  if (raw === undefined) return undefined;
  const w = ctx.parseAt(waiverSchema, raw, ['waiver']);
  const a = roles.approvalRule(w?.approvals, ['waiver', 'approvals']);
  return a ? { approvals: a } : undefined;
}
