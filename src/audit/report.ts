/** `warroom report`: the audit directory of one window as a Markdown post-deploy report. */
import { formatDuration } from '../config/duration.js';
import { stripControl } from '../util/sanitize.js';
import {
  actionsFrom,
  checkpointAcksFrom,
  decisionsFrom,
  influencePeriods,
  triggersFrom,
  type CheckpointAck,
  type InfluencePeriod,
} from './state.js';
import type { DecisionEvent, LedgerLine, NoteEvent, NotifyFailedEvent, OverrideSummary, SignoffEvent, WaiverEvent } from './types.js';
import type { RequestLine } from './approvals.js';
import type { Signoff } from '../core/types.js';
import type { AuthorityRules, Invalidation, RefusedInvalidation, Unverified } from './authority.js';
import { NoLedgerError, reportInputs, type Claim } from '../report/inputs.js';
import { actHash } from './judge.js';
import { scoreText } from '../engine/score.js';

export interface ReportOptions {
  /** When given, a "Generated" line with this time (ms epoch); omitted for reproducible output. */
  generatedAt?: number;
  /**
   * The sign-off rules (from the config when one is found; else the ledger's own deployment,
   * no roles, no signers, judged at the window's end). Unverified sign-offs are listed apart.
   */
  rules?: Omit<AuthorityRules, 'now'> & { now?: number };
}

export type { Claim } from '../report/inputs.js';

/** A report cannot be made (no directory or no ledger): the message is for the user. */
export class AuditReportError extends Error {}

/** Renders the report; throws AuditReportError when there is no ledger to report on. */
export async function renderReport(dir: string, opts: ReportOptions = {}): Promise<string> {
  try {
    const { lines, chained: _c, rules: _r, ...judged } = await reportInputs(dir, opts.rules);
    return renderReportFromLines(lines, { ...opts, ...judged });
  } catch (e) {
    throw e instanceof NoLedgerError ? new AuditReportError(e.message) : e;
  }
}

/** Pure: the Markdown for these lines and integrity verdict. */
export function renderReportFromLines(
  lines: readonly LedgerLine[],
  opts: ReportOptions & {
    integrity: { ok: boolean; text: string };
    counted?: Signoff[];
    unverified?: Unverified[];
    /** SPEC §9.5: entries that no longer stand; never counted anywhere in the report. */
    invalidated?: Invalidation[];
    refusedInvalidations?: RefusedInvalidation[];
    /** Acts without authority (signed room): never counted, listed apart with where they sit. */
    claims?: Claim[];
    /** Whether the acts are attributable: said plainly under Integrity. */
    attribution?: string;
    /** The checkpoint acks that count; else every ack line that is not a claim. */
    acks?: CheckpointAck[];
  },
): string {
  const out: string[] = [];
  const gone = new Set((opts.invalidated ?? []).map((i) => i.act));
  const claimed = new Set((opts.claims ?? []).map((c) => c.line));
  const acts = lines.filter((l) => !claimed.has(l));
  const standing = acts.filter((l) => !gone.has(actHash(l)));
  const deployments = uniq(lines.map((l) => l.deployment));
  const environments = uniq(lines.map((l) => l.environment));
  const times = lines.map((l) => Date.parse(l.ts)).filter(Number.isFinite);
  const start = times.length ? Math.min(...times) : undefined;
  const end = times.length ? Math.max(...times) : undefined;

  out.push(`# Post-deploy report: ${inline(deployments.join(', ') || 'unknown deployment')} (${inline(environments.join(', ') || 'unknown environment')})`);
  out.push('');
  out.push(
    start !== undefined && end !== undefined
      ? `- **Period:** ${time(start)} to ${time(end)} UTC (${formatDuration(end - start)})`
      : '- **Period:** no entries recorded',
  );
  out.push(`- **Ledger entries:** ${lines.length}`);
  out.push(`- **Integrity:** ${opts.integrity.ok ? 'OK' : 'FAILED'}: ${inline(opts.integrity.text)}`);
  if (opts.attribution) out.push(`- **Attribution:** ${inline(opts.attribution)}`);
  if (opts.generatedAt !== undefined) out.push(`- **Generated:** ${time(opts.generatedAt)} UTC`);

  const decisions = decisionsFrom(standing);
  // The score column only when some decision was scored (SPEC §9.5), so unscored windows read as before.
  const scored = decisions.some((d) => d.score);
  section(out, 'Decisions', ['Time (UTC)', 'Decision', 'By', 'Role', 'Justification', 'Next review', ...(scored ? ['Score'] : [])],
    decisions.map((d) => [
      time(d.at), d.decision, d.actor, d.role ?? '', d.justification, d.nextReview === null ? '' : time(d.nextReview),
      ...(scored ? [d.score ? `${scoreText(d.score.value)} (pass ≥ ${d.score.pass})` : ''] : []),
    ]));

  const overrides = overrideRows(acts, end);
  if (overrides.length > 0)
    section(out, 'Overrides and approvals', ['Requested (UTC)', 'Kind', 'Request', 'Requested by', 'Justification', 'Overrides', 'Needs', 'Outcome', 'Approvers (actor, role, at, line hash)'], overrides);

  section(out, 'Actions', ['Time (UTC)', 'Action', 'Phase', 'From → To', 'Actor', 'Reason', 'Error'],
    actionsFrom(lines).map((a) => [
      time(Date.parse(a.ts)),
      a.action === 'runbook' ? runbookWhat(a) : a.action + (a.trigger ? ` (trigger: ${a.trigger})` : ''),
      a.phase + (typeof a.attempt === 'number' ? ` (attempt ${a.attempt})` : ''),
      // A runbook moves no influence of its own: its params say what it did.
      a.action === 'runbook' ? '' : `${pct(a.from_pct)} → ${pct(a.to_pct ?? (a.action === 'kill_switch' ? 0 : undefined))}`,
      a.actor,
      a.reason ?? '',
      a.error ?? '',
    ]));

  section(out, 'Checkpoints', ['Acknowledged (UTC)', 'Stage', 'At', 'Checkpoint', 'By'],
    (opts.acks ?? checkpointAcksFrom(acts)).map((c) => [time(c.at), String(c.stage), `T+${formatDuration(c.offsetMs)}`, c.label, c.actor]));

  section(out, 'Rollback triggers', ['Time (UTC)', 'Gate', 'Phase', 'Mode', 'Value', 'Threshold', 'Actor'],
    triggersFrom(lines).map((t) => [time(Date.parse(t.ts)), t.gate, t.phase, t.mode, t.value === null ? 'null' : String(t.value), t.threshold, t.actor]));

  out.push('', '## Sign-offs and waivers');
  // Only sign-offs that count (the same rule as check and the console); the rest are listed apart.
  const signoffs = opts.counted ?? standing.filter((l): l is LedgerLine & SignoffEvent => l.type === 'signoff').map((l) => ({ at: Date.parse(l.ts), role: l.role, gate: l.gate, actor: l.actor }));
  table(out, ['Time (UTC)', 'Sign-off role', 'Gate', 'Actor'],
    signoffs.map((s) => [time(s.at), s.role, s.gate ?? '(decision)', s.actor]), 'No sign-offs recorded.');
  if (opts.unverified?.length) {
    out.push('', '**Unverified sign-offs (never counted):**');
    table(out, ['Time (UTC)', 'Sign-off role', 'Gate', 'Actor', 'Why not counted'],
      opts.unverified.map((u) => [time(u.at), u.role, u.gate ?? '(decision)', u.actor, u.why]), '');
  }
  const waivers = standing.filter((l): l is LedgerLine & WaiverEvent => l.type === 'waiver');
  table(out, ['Time (UTC)', 'Waived gate', 'Actor', 'Reason', 'Expires (UTC)'],
    waivers.map((w) => [time(Date.parse(w.ts)), w.gate, w.actor, w.reason, time(Date.parse(w.expires))]), 'No waivers recorded.');

  if (opts.invalidated?.length || opts.refusedInvalidations?.length) {
    section(out, 'Invalidated entries (never counted)', ['Invalidated (UTC)', 'Entry', 'What', 'Recorded by', 'Invalidated by', 'Reason'],
      (opts.invalidated ?? []).map((i) => [time(i.at), `${i.target.file}:${i.target.line}`, i.targetWhat, i.targetActor, i.actor, i.reason]));
    if (opts.refusedInvalidations?.length) {
      out.push('', '**Invalidations that do not count:**');
      table(out, ['Time (UTC)', 'Target', 'By', 'Why not counted'],
        opts.refusedInvalidations.map((x) => {
          const t = x.target as { file?: unknown; line?: unknown } | undefined;
          return [time(x.at), `${String(t?.file ?? '?')}:${String(t?.line ?? '?')}`, x.actor, x.why];
        }), '');
    }
  }

  if (opts.claims?.length) {
    section(out, 'Claims without authority (never counted)', ['Time (UTC)', 'Where', 'What', 'Claimed by', 'Why not counted'],
      opts.claims.map((c) => [time(Date.parse(c.line.ts)), c.origin, c.line.type === 'decision' ? `decision ${String((c.line as LedgerLine & DecisionEvent).decision)}` : c.line.type, String(c.line.actor), c.why]));
  }

  const periods = influencePeriods(lines);
  section(out, 'Time at each influence level', ['Influence', 'Time', 'Share of window'], influenceRows(periods, start, end));
  if (periods.length > 0) {
    out.push('');
    for (const p of periods) out.push(`- ${time(p.from)} to ${time(p.to)}: ${pct(p.pct)} (${formatDuration(p.to - p.from)})`);
  }

  // SPEC §9.4: who was not told, and why (only when it happened, so a quiet window's report is unchanged).
  const undelivered = lines.filter((l): l is LedgerLine & NotifyFailedEvent => l.type === 'notify.failed');
  if (undelivered.length > 0) {
    section(out, 'Notifications not delivered', ['Time (UTC)', 'Sink', 'Event', 'Attempts', 'Error'],
      undelivered.map((n) => [time(Date.parse(n.ts)), n.sink, n.event, String(n.attempts), n.error]));
  }

  const notes = lines.filter((l): l is LedgerLine & NoteEvent => l.type === 'note');
  if (notes.length > 0) section(out, 'Notes', ['Time (UTC)', 'Actor', 'Note'], notes.map((n) => [time(Date.parse(n.ts)), n.actor, n.text]));

  return out.join('\n') + '\n';
}

/** One row per override / waiver request, its outcome and every approver the completion named. */
function overrideRows(lines: readonly LedgerLine[], end: number | undefined): string[][] {
  const done = new Map<string, { what: string; summary: OverrideSummary }>();
  for (const l of lines) {
    const o = (l as LedgerLine & DecisionEvent).override ?? (l as LedgerLine & WaiverEvent).approvals;
    if (!o || typeof o.request !== 'string') continue;
    done.set(o.request, { what: l.type === 'decision' ? `${(l as LedgerLine & DecisionEvent).decision} recorded ${time(Date.parse(l.ts))}` : `waiver recorded ${time(Date.parse(l.ts))}`, summary: o });
  }
  return lines
    .filter((l): l is RequestLine => l.type === 'override.request')
    .map((r) => {
      const d = done.get(r.id);
      const expires = Date.parse(r.expires);
      const outcome = d ? d.what : end !== undefined && end > expires ? `expired ${time(expires)}` : `pending (expires ${time(expires)})`;
      const approvers = d ? d.summary.approvers.map((a) => `${a.actor} (${a.role}, ${time(Date.parse(a.at))}, ${a.line_hash.slice(0, 19)}…)`).join('; ') : '';
      const needs = r.needs ? `${r.needs.count} of ${(r.needs.roles ?? []).join('/')}` : '';
      return [time(Date.parse(r.ts)), r.kind === 'go' ? 'GO over NO-GO' : `waiver ${r.gate ?? ''}`, r.id, r.actor, r.justification, (r.overridden ?? []).join(', '), needs, outcome, approvers];
    });
}

function influenceRows(periods: InfluencePeriod[], start?: number, end?: number): string[][] {
  const total = new Map<number, number>();
  for (const p of periods) total.set(p.pct, (total.get(p.pct) ?? 0) + (p.to - p.from));
  const window = start !== undefined && end !== undefined ? end - start : 0;
  return [...total.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([level, ms]) => [pct(level), formatDuration(ms), window > 0 ? `${((100 * ms) / window).toFixed(1)}%` : '']);
}

function section(out: string[], title: string, head: string[], rows: string[][]): void {
  out.push('', `## ${title}`);
  table(out, head, rows, 'None recorded.');
}

function table(out: string[], head: string[], rows: string[][], empty: string): void {
  out.push('');
  if (rows.length === 0) {
    out.push(empty);
    return;
  }
  out.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
  for (const r of rows) out.push(`| ${r.map(cell).join(' | ')} |`);
}

/** Untrusted text in a table cell: no control sequences, no newlines, `|` escaped. */
function cell(text: unknown): string {
  return inline(String(text ?? '')).replace(/\|/g, '\\|');
}

function inline(text: string): string {
  return stripControl(text, { keepNewlines: false }).replace(/\s+/g, ' ').trim();
}

function time(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '');
}

function pct(v: number | undefined): string {
  return typeof v === 'number' && Number.isFinite(v) ? `${v}%` : '?';
}

function uniq(xs: unknown[]): string[] {
  return [...new Set(xs.filter((x): x is string => typeof x === 'string'))];
}

/** `runbook downshift (mode=balanced), remedy for entropy` (SPEC §9.5). */
function runbookWhat(a: { runbook?: string; params?: Record<string, string | number>; gate?: string }): string {
  const params = Object.entries(a.params ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(', ');
  return `runbook ${a.runbook ?? '?'}${params ? ` (${params})` : ''}${a.gate ? `, remedy for ${a.gate}` : ''}`;
}
