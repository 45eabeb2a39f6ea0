/** The decision rule (SPEC §6): gate results → GO / WARN / NO-GO with the reasons. */
import type { DecisionConfig, GateConfig } from '../config/types.js';
import type { GateResult, OverallResult, Signoff } from '../core/types.js';
import { applyScore, scoreOf } from './score.js';

export function missingSignoffs(required: readonly string[], signoffs: readonly Signoff[]): string[] {
  const have = new Set(signoffs.map((s) => s.role));
  return required.filter((r) => !have.has(r));
}

export function decide(
  gates: readonly GateConfig[],
  results: Readonly<Record<string, GateResult | undefined>>,
  cfg: DecisionConfig,
  signoffs: readonly Signoff[] = [],
): OverallResult {
  const critFail: string[] = [];
  const critUnknown: string[] = [];
  const warn: string[] = [];
  const advisory: string[] = [];
  let counted = 0;
  for (const g of gates) {
    // Watch-only (like Argo's dryRun): shown and recorded, never part of the decision.
    if (g.severity === 'info') continue;
    counted++;
    // A gate with no result yet has no data: UNKNOWN, never GO.
    const status = results[g.id]?.status ?? 'UNKNOWN';
    if (status === 'PASS' || status === 'WAIVED') continue;
    if (status === 'WARN') warn.push(g.id);
    else if (g.severity === 'advisory') advisory.push(g.id);
    else if (status === 'FAIL') critFail.push(g.id);
    else critUnknown.push(g.id);
  }
  const missing = missingSignoffs(cfg.requireSignoffs, signoffs);
  const reasons: string[] = [];
  const blocking = cfg.unknown === 'nogo' ? [...critFail, ...critUnknown] : critFail;
  if (critFail.length) reasons.push(`critical FAIL: ${critFail.join(', ')}`);
  if (critUnknown.length) reasons.push(`critical UNKNOWN${cfg.unknown === 'nogo' ? ' (fail-closed)' : ''}: ${critUnknown.join(', ')}`);
  if (warn.length) reasons.push(`WARN: ${warn.join(', ')}`);
  if (advisory.length) reasons.push(`advisory not passing: ${advisory.join(', ')}`);
  if (missing.length) reasons.push(`sign-off missing: ${missing.join(', ')}`);
  // Info gates alone decide nothing: a config of only those has no gate to say GO.
  if (counted === 0) reasons.push(gates.length === 0 ? 'no gates configured' : 'no gates counted (all are severity info)');

  let overall: OverallResult['overall'];
  if (blocking.length > 0) {
    overall = blocking.length <= cfg.warnWhenFailedAtMost ? 'WARN' : 'NO-GO';
    if (overall === 'WARN') reasons.push(`${blocking.length} critical failure(s) within warn_when_failed_at_most ${cfg.warnWhenFailedAtMost}`);
  } else if (warn.length || advisory.length || critUnknown.length || missing.length || counted === 0) {
    overall = 'WARN';
  } else {
    overall = 'GO';
  }
  const rule: OverallResult = { overall, reasons, missingSignoffs: missing };
  if (!cfg.score) return rule;
  const holds: string[] = [];
  if (missing.length) holds.push('sign-off missing');
  if (blocking.length) holds.push('critical failures tolerated by warn_when_failed_at_most');
  const noData = gates.filter((g) => g.severity !== 'info' && (g.weight ?? 1) > 0 && (results[g.id]?.status ?? 'UNKNOWN') === 'UNKNOWN');
  if (noData.length) holds.push(`no data: ${noData.map((g) => g.id).join(', ')}`);
  return applyScore(rule, scoreOf(gates, results, cfg.score), holds);
}
