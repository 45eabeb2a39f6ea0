/** Renders a check result as the text report (grouped like the console) or JSON. */
import type { Config } from '../config/types.js';
import type { OverallResult, SourceHealth } from '../core/types.js';
import type { Criterion } from '../engine/criteria.js';
import { formatValue } from '../engine/gate.js';
import { scoreText } from '../engine/score.js';
import { oneLine } from '../util/sanitize.js';

export interface CheckReport {
  overall: OverallResult['overall'];
  evaluated_at: string;
  deployment: string;
  environment: string;
  reasons: string[];
  /** SPEC §9.5, present when decision.score is configured: percent (null: nothing weighed). */
  score?: { value: number | null; pass: number; warning: number };
  criteria: Criterion[];
  sources: { id: string; type: string; state: string; error?: string }[];
}

export function buildReport(config: Config, now: number, overall: OverallResult, criteria: Criterion[], sources: SourceHealth[]): CheckReport {
  return {
    overall: overall.overall,
    evaluated_at: new Date(now).toISOString(),
    deployment: config.deployment.name,
    environment: config.deployment.environment,
    reasons: overall.reasons,
    ...(overall.score ? { score: { ...overall.score } } : {}),
    criteria,
    sources: sources.map((s) => ({ id: s.id, type: s.type, state: s.state, ...(s.error ? { error: s.error } : {}) })),
  };
}

const pad = (s: string, n: number) => (s.length >= n ? s.slice(0, n) : s + ' '.repeat(n - s.length));

export function formatText(r: CheckReport): string {
  const lines: string[] = [];
  lines.push(`warroom check: ${r.deployment} (${r.environment}) at ${r.evaluated_at}`);
  lines.push(`Overall: ${r.overall}${r.reasons.length ? `  (${r.reasons.join('; ')})` : ''}`);
  if (r.score) lines.push(`Score: ${scoreText(r.score.value)} (pass ≥ ${r.score.pass} %, warning ≥ ${r.score.warning} %)`);
  const groups = new Map<string, Criterion[]>();
  for (const c of r.criteria) {
    const g = groups.get(c.group);
    if (g) g.push(c);
    else groups.set(c.group, [c]);
  }
  const idW = Math.min(24, Math.max(4, ...r.criteria.map((c) => c.id.length)));
  const thW = Math.min(40, Math.max(9, ...r.criteria.map((c) => c.threshold.length)));
  // A judged gate's effect and interval (`+31% [+22%, +40%] vs baseline`) need more than a number's width.
  const valW = Math.min(36, Math.max(14, ...r.criteria.map((c) => (c.judgment ? (c.value_text ?? '').length : 0))));
  for (const [group, cs] of groups) {
    lines.push('', group);
    for (const c of cs) {
      const value = c.value_text ?? formatValue(c.value);
      const sev = c.severity === 'advisory' ? ' (advisory)' : c.severity === 'info' ? ' (info: not counted)' : '';
      lines.push(`  ${pad(`[${c.status}]`, 9)} ${pad(c.id, idW)}  ${pad(oneLine(value, valW), valW)} ${pad(c.threshold, thW)} ${oneLine(c.reason, 160)}${sev}`);
    }
  }
  lines.push('', 'Sources: ' + r.sources.map((s) => `${s.id} ${s.state}${s.error ? ` (${oneLine(s.error, 120)})` : ''}`).join(' · '));
  return lines.join('\n') + '\n';
}

export function formatJson(r: CheckReport): string {
  return JSON.stringify(r, null, 2) + '\n';
}
