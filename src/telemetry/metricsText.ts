/**
 * The room's state as Prometheus text exposition 0.0.4, for `/metrics` (SPEC §9.4). Pure: a
 * function of one store snapshot and the ledger's action counts, rendered per scrape.
 *
 * State sets (`warroom_gate_status`, `warroom_overall`) carry one series per possible status,
 * 1 for the current one and 0 for the rest, so alerts match `== 1` and a status that is never
 * reached still has a series. Gate ids, groups, sources and actor are labels (ids and config
 * text); gate titles and anything from the feed never are. `warroom_influence_percent` is
 * absent while the influence is unknown (fail closed: `> 0` matches nothing, `absent()` fires).
 */
import type { CriterionStatus, Overall } from '../core/types.js';
import type { WarroomState } from '../store/store.js';
import { stripControl } from '../util/sanitize.js';
import { ACTION_KINDS, ACTION_PHASES, countKey, type ActionCounts } from './actionCounts.js';

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export const GATE_STATUSES: readonly CriterionStatus[] = ['PASS', 'WARN', 'FAIL', 'UNKNOWN', 'WAIVED'];
export const OVERALL_STATUSES: readonly Overall[] = ['GO', 'WARN', 'NO-GO'];

export interface MetricsInput {
  state: WarroomState;
  actions: ActionCounts;
  version: string;
  /** ms epoch */
  startedAt: number;
  /** The process's memory at the scrape (`process.memoryUsage()`), under the usual client names. */
  memory?: { rss: number; heapUsed: number; heapTotal: number; external: number };
}

/** Label value escaping of the text format: backslash, double quote and newline. */
export function escapeLabel(v: string): string {
  return stripControl(v, { keepNewlines: true }).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** Go's formatting of special values, which Prometheus parses. */
export function formatValue(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}

type Labels = Record<string, string>;

class Page {
  private readonly out: string[] = [];
  family(name: string, type: 'gauge' | 'counter', help: string): void {
    this.out.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
  }
  sample(name: string, labels: Labels, value: number): void {
    const ls = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
    this.out.push(`${name}${ls.length ? `{${ls.join(',')}}` : ''} ${formatValue(value)}`);
  }
  text(): string {
    return this.out.join('\n') + '\n';
  }
}

const secs = (ms: number): number => ms / 1000;

export function renderMetrics(input: MetricsInput): string {
  const { state: s } = input;
  const cfg = s.config;
  const p = new Page();

  p.family('warroom_info', 'gauge', 'The console: deployment, environment, actor, role, mode and version (always 1).');
  p.sample(
    'warroom_info',
    {
      deployment: cfg.deployment.name,
      environment: cfg.deployment.environment,
      actor: s.actor,
      role: s.role ?? '',
      mode: s.mode,
      read_only: s.readOnly ? 'true' : 'false',
      version: input.version,
    },
    1,
  );
  p.family('warroom_start_time_seconds', 'gauge', 'When this console started, seconds since the epoch.');
  p.sample('warroom_start_time_seconds', {}, secs(input.startedAt));

  p.family('warroom_overall', 'gauge', 'The overall light: 1 for the current status (GO, WARN, NO-GO), 0 for the others.');
  for (const st of OVERALL_STATUSES) p.sample('warroom_overall', { status: st }, s.overall.overall === st ? 1 : 0);

  p.family('warroom_gate_status', 'gauge', 'Each gate\'s light: 1 for its current status (PASS, WARN, FAIL, UNKNOWN, WAIVED), 0 for the others. A gate not yet evaluated is UNKNOWN.');
  for (const g of cfg.gates) {
    const status = s.gates[g.id]?.status ?? 'UNKNOWN';
    for (const st of GATE_STATUSES) p.sample('warroom_gate_status', { gate: g.id, group: g.group, severity: g.severity, status: st }, status === st ? 1 : 0);
  }
  p.family('warroom_gate_value', 'gauge', 'The latest numeric value of each gate (true is 1, false 0); absent when the value is not a number or unknown.');
  for (const g of cfg.gates) {
    const v = s.gates[g.id]?.value;
    const n = typeof v === 'number' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : undefined;
    if (n !== undefined) p.sample('warroom_gate_value', { gate: g.id }, n);
  }
  p.family('warroom_gate_observed_timestamp_seconds', 'gauge', 'When the data behind each gate was observed, seconds since the epoch; absent before the first reading.');
  for (const g of cfg.gates) {
    const at = s.gates[g.id]?.observedAt;
    if (at !== undefined && Number.isFinite(at)) p.sample('warroom_gate_observed_timestamp_seconds', { gate: g.id }, secs(at));
  }

  p.family('warroom_influence_percent', 'gauge', 'The observed influence %; absent while it is unknown (unread, unreadable or in error).');
  const pct = s.influence.pct;
  if (typeof pct === 'number' && Number.isFinite(pct) && !s.influence.error) p.sample('warroom_influence_percent', {}, pct);

  p.family('warroom_ramp_stage', 'gauge', 'The current ramp stage, 1-based; 0 before the first stage or after a rollback.');
  if (s.ramp) p.sample('warroom_ramp_stage', {}, s.ramp.stageIndex >= 0 ? s.ramp.stageIndex + 1 : 0);
  p.family('warroom_checkpoint_due', 'gauge', '1 while a ramp checkpoint is due and not acknowledged, else 0.');
  p.sample('warroom_checkpoint_due', {}, s.ramp?.due ? 1 : 0);
  p.family('warroom_rollback_trigger', 'gauge', 'Rollback triggers on screen: 1 per gate in its current phase (raised, armed, fired, cancelled).');
  for (const t of s.banner) p.sample('warroom_rollback_trigger', { gate: t.gate, mode: t.mode, phase: t.phase }, 1);

  p.family('warroom_signoff_missing', 'gauge', '1 for each role whose required sign-off is missing.');
  for (const role of s.overall.missingSignoffs) p.sample('warroom_signoff_missing', { role }, 1);

  p.family('warroom_action_total', 'counter', 'Action ledger lines this console wrote, by action and outcome (requested, sent, acknowledged, verified, failed, cancelled, abandoned).');
  for (const a of ACTION_KINDS) for (const o of ACTION_PHASES) p.sample('warroom_action_total', { action: a, outcome: o }, input.actions.get(countKey(a, o)) ?? 0);
  p.family('warroom_actions_in_flight', 'gauge', 'Actions sent and not yet verified or failed.');
  p.sample('warroom_actions_in_flight', {}, s.actions.filter((a) => a.state === 'running').length);

  p.family('warroom_source_up', 'gauge', '1 while a source\'s last read succeeded and is fresh, else 0 (stale, down or not yet read).');
  const sources = Object.values(s.sources);
  for (const src of sources) p.sample('warroom_source_up', { source: src.id, type: src.type }, src.state === 'up' ? 1 : 0);
  p.family('warroom_source_last_success_timestamp_seconds', 'gauge', 'The last successful read of each source, seconds since the epoch.');
  for (const src of sources) if (src.lastSuccess !== undefined) p.sample('warroom_source_last_success_timestamp_seconds', { source: src.id }, secs(src.lastSuccess));

  const feeds = Object.values(s.feeds);
  p.family('warroom_feed_connected', 'gauge', '1 while the status feed connection is open.');
  for (const f of feeds) p.sample('warroom_feed_connected', { source: f.sourceId }, f.state === 'open' ? 1 : 0);
  p.family('warroom_feed_dropped_total', 'counter', 'Feed frames dropped, by reason (not_json, oversize, too_deep, bad_seq, duplicate, ...).');
  for (const f of feeds) for (const [reason, n] of Object.entries(f.droppedByReason)) p.sample('warroom_feed_dropped_total', { source: f.sourceId, reason }, n);
  p.family('warroom_feed_missed_total', 'counter', 'Feed messages missed (gaps in seq).');
  for (const f of feeds) p.sample('warroom_feed_missed_total', { source: f.sourceId }, f.missed);
  p.family('warroom_feed_reconnects_total', 'counter', 'Feed reconnections.');
  for (const f of feeds) p.sample('warroom_feed_reconnects_total', { source: f.sourceId }, f.reconnects);

  p.family('warroom_audit_pending_lines', 'gauge', 'Audit ledger lines not yet on disk.');
  p.sample('warroom_audit_pending_lines', {}, s.audit.pending);
  p.family('warroom_audit_write_error', 'gauge', '1 while the last audit write failed (AUDIT NOT SAVED on screen).');
  p.sample('warroom_audit_write_error', {}, s.audit.error ? 1 : 0);

  // A console kept open all window must stay flat: the names Prometheus client libraries use.
  const m = input.memory;
  if (m) {
    p.family('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.');
    p.sample('process_resident_memory_bytes', {}, m.rss);
    p.family('nodejs_heap_size_used_bytes', 'gauge', 'V8 heap used, in bytes.');
    p.sample('nodejs_heap_size_used_bytes', {}, m.heapUsed);
    p.family('nodejs_heap_size_total_bytes', 'gauge', 'V8 heap size, in bytes.');
    p.sample('nodejs_heap_size_total_bytes', {}, m.heapTotal);
    p.family('nodejs_external_memory_bytes', 'gauge', 'Memory of C++ objects bound to JavaScript objects (buffers, wasm), in bytes.');
    p.sample('nodejs_external_memory_bytes', {}, m.external);
  }
  return p.text();
}
