/**
 * Scored decisions (SPEC §9.5), pure: the Keptn quality-gate arithmetic beside the §6 rule.
 * A gate earns 1 point for PASS, ½ for WARN, 0 for FAIL, times its weight; the score is the
 * points earned over the points possible, in percent. UNKNOWN earns nothing (no data is never
 * a pass), and WAIVED earns what PASS does, as §6 counts it until its expiry (the gate result
 * is WAIVED only while the waiver is in force). `info` gates are never counted.
 */
import type { GateConfig } from '../config/types.js';
import type { CriterionStatus, GateResult, OverallResult } from '../core/types.js';

export interface ScoreThresholds {
  /** Percent, 0..100: GO at or above. */
  pass: number;
  /** Percent, 0..100, at most `pass`: WARN at or above. */
  warning: number;
}

export interface Score extends ScoreThresholds {
  /** Percent, or null when no weight is counted (a score of nothing decides nothing). */
  value: number | null;
  /** Σ weight·points and Σ weight. */
  earned: number;
  possible: number;
}

export const POINTS: Readonly<Record<CriterionStatus, number>> = { PASS: 1, WAIVED: 1, WARN: 0.5, FAIL: 0, UNKNOWN: 0 };

export function scoreOf(
  gates: readonly Pick<GateConfig, 'id' | 'severity' | 'weight'>[],
  results: Readonly<Record<string, Pick<GateResult, 'status'> | undefined>>,
  thresholds: ScoreThresholds,
): Score {
  let earned = 0;
  let possible = 0;
  for (const g of gates) {
    if (g.severity === 'info') continue;
    const w = g.weight ?? 1;
    possible += w;
    earned += w * POINTS[results[g.id]?.status ?? 'UNKNOWN'];
  }
  // Rounded to 2 decimals so JSON and the header never show float noise (85/92 → 92.39).
  const value = possible > 0 ? Math.round((10_000 * earned) / possible) / 100 : null;
  return { value, pass: thresholds.pass, warning: thresholds.warning, earned, possible };
}

/** The score's own verdict, without vetoes. */
export function scoreVerdict(s: Pick<Score, 'value' | 'pass' | 'warning'>): OverallResult['overall'] {
  if (s.value === null) return 'WARN';
  return s.value >= s.pass ? 'GO' : s.value >= s.warning ? 'WARN' : 'NO-GO';
}

/** How a score reads in reasons and on screen: `87.5 %`. */
export function scoreText(v: number | null): string {
  return v === null ? '? %' : `${Math.round(v * 100) / 100} %`;
}

/**
 * The overall verdict with a score configured. The §6 verdict still vetoes: a NO-GO from the
 * rule (critical gates failing beyond warn_when_failed_at_most, or UNKNOWN with unknown: nogo)
 * stays NO-GO whatever the score, like Keptn's key_sli. `holds` are what keeps a GO score at
 * WARN: a missing required sign-off, critical failures the rule tolerated for review, and any
 * weighed gate without data (fail closed: no data never shows as GO).
 */
export function applyScore(rule: OverallResult, score: Score, holds: readonly string[] = []): OverallResult {
  const reasons = [...rule.reasons];
  reasons.push(
    score.value === null
      ? 'score undefined: no weight counted'
      : `score ${scoreText(score.value)} (pass ≥ ${score.pass}, warning ≥ ${score.warning})`,
  );
  const byScore = scoreVerdict(score);
  let overall: OverallResult['overall'];
  if (rule.overall === 'NO-GO') {
    overall = 'NO-GO';
    if (byScore !== 'NO-GO') reasons.push('critical gates veto the score');
  } else {
    overall = byScore;
    if (overall === 'GO' && holds.length > 0) {
      overall = 'WARN';
      reasons.push(`held at WARN: ${holds.join('; ')}`);
    }
  }
  return { ...rule, overall, reasons, score: { value: score.value, pass: score.pass, warning: score.warning } };
}
