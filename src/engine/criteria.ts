/** The criteria snapshot written into `check --format json` and decision records (SPEC §5). */
import type { GateConfig, Severity } from '../config/types.js';
import type { CriterionStatus, GateResult, Value } from '../core/types.js';
import { judgmentJson } from '../judge/verdict.js';
import { judgedValueText } from '../judge/display.js';

export interface Criterion {
  id: string;
  title: string;
  group: string;
  severity: Severity;
  status: CriterionStatus;
  /** JSON has no NaN/Inf: those become null, with `value_text` saying which. */
  value: Value | null;
  value_text?: string;
  threshold: string;
  observed_at: string | null;
  reason: string;
  /** Gate metadata, present only when configured. */
  owner?: string;
  runbook?: string;
  description?: string;
  /** SPEC §9.5: the gate's weight in decision.score, when configured. */
  weight?: number;
  /** Judged gates: kind, m, n, shift, ci, effect, p (compare) or slope, ci, relative (trend). */
  judgment?: Record<string, unknown>;
}

/** The metadata keys a criterion carries when the gate has them (records, check json). */
export function gateMetadata(g: Pick<GateConfig, 'owner' | 'runbook' | 'description'>): Pick<Criterion, 'owner' | 'runbook' | 'description'> {
  const m: Pick<Criterion, 'owner' | 'runbook' | 'description'> = {};
  if (g.owner !== undefined) m.owner = g.owner;
  if (g.runbook !== undefined) m.runbook = g.runbook;
  if (g.description !== undefined) m.description = g.description;
  return m;
}

export function toCriteria(gates: readonly GateConfig[], results: Readonly<Record<string, GateResult | undefined>>): Criterion[] {
  return gates.map((g) => {
    const r = results[g.id];
    const v = r?.value ?? null;
    const c: Criterion = {
      id: g.id,
      title: g.title,
      group: g.group,
      severity: g.severity,
      status: r?.status ?? 'UNKNOWN',
      value: typeof v === 'number' && !Number.isFinite(v) ? null : v,
      threshold: r?.threshold ?? g.go?.text ?? '',
      observed_at: r?.observedAt !== undefined ? new Date(r.observedAt).toISOString() : null,
      reason: r?.reason ?? 'not evaluated',
      ...gateMetadata(g),
      ...(g.weight !== undefined ? { weight: g.weight } : {}),
    };
    if (r?.judgment) {
      c.judgment = judgmentJson(r.judgment);
      c.value_text = judgedValueText(r.judgment);
    }
    else if (typeof v === 'number' && !Number.isFinite(v)) c.value_text = Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
    return c;
  });
}
