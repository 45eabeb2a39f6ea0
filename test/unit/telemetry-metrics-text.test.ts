/** /metrics as text (SPEC §9.4): state sets, fail-closed influence, label escaping, counters; read back by our own parser. */
import { describe, expect, it } from 'vitest';
import { parseExposition, type ExpoSample } from '../../src/sources/exposition.js';
import { countActionLines, countKey } from '../../src/telemetry/actionCounts.js';
import { escapeLabel, renderMetrics } from '../../src/telemetry/metricsText.js';
import { createWarroomStore, type WarroomState } from '../../src/store/store.js';
import type { LedgerLine } from '../../src/audit/types.js';
import type { GateResult } from '../../src/core/types.js';
import { testConfig } from '../helpers/config.js';
import { gate } from '../helpers/gates.js';

const NOW = Date.parse('2026-11-23T14:00:00Z');
const result = (id: string, status: GateResult['status'], value: GateResult['value'] = 1): GateResult => ({ id, status, raw: status, value, threshold: '>= 0.9', reason: '', observedAt: NOW - 2000 });

function state(patch: Partial<WarroomState> = {}, config = testConfig()): WarroomState {
  const store = createWarroomStore({ config, actor: 'alice', now: NOW });
  store.setState(patch);
  return store.getState();
}
const render = (s: WarroomState, actions = new Map<string, number>()) => renderMetrics({ state: s, actions, version: '0.1.0', startedAt: NOW - 60_000 });
const parse = (text: string) => parseExposition(text);
function value(samples: ExpoSample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const hits = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (hits.length > 1) throw new Error(`${hits.length} series of ${name} match ${JSON.stringify(labels)}`);
  return hits[0]?.value;
}

describe('renderMetrics', () => {
  it('a gate is a state set: 1 for its status, 0 for the four others; an unevaluated gate is UNKNOWN', () => {
    const { samples, types } = parse(render(state({ gates: { entropy: result('entropy', 'WARN', 0.85) } })));
    expect(types.warroom_gate_status).toBe('gauge');
    const entropy = samples.filter((s) => s.name === 'warroom_gate_status' && s.labels.gate === 'entropy');
    expect(entropy.map((s) => [s.labels.status, s.value])).toEqual([['PASS', 0], ['WARN', 1], ['FAIL', 0], ['UNKNOWN', 0], ['WAIVED', 0]]);
    expect(entropy[0]!.labels).toMatchObject({ group: 'Policy health', severity: 'critical' });
    expect(value(samples, 'warroom_gate_status', { gate: 'errors', status: 'UNKNOWN' })).toBe(1);
    expect(value(samples, 'warroom_gate_status', { gate: 'latency', status: 'UNKNOWN', severity: 'advisory' })).toBe(1);
    expect(value(samples, 'warroom_gate_value', { gate: 'entropy' })).toBe(0.85);
    expect(value(samples, 'warroom_gate_value', { gate: 'errors' })).toBeUndefined();
    expect(value(samples, 'warroom_gate_observed_timestamp_seconds', { gate: 'entropy' })).toBe((NOW - 2000) / 1000);
  });

  it('the overall is a state set too, and starts NO-GO (fail closed)', () => {
    let s = parse(render(state())).samples;
    expect(['GO', 'WARN', 'NO-GO'].map((st) => value(s, 'warroom_overall', { status: st }))).toEqual([0, 0, 1]);
    s = parse(render(state({ overall: { overall: 'GO', reasons: [], missingSignoffs: [] } }))).samples;
    expect(['GO', 'WARN', 'NO-GO'].map((st) => value(s, 'warroom_overall', { status: st }))).toEqual([1, 0, 0]);
  });

  it('influence is absent while unknown or in error, and present when read', () => {
    const text = render(state());
    expect(text).toContain('# TYPE warroom_influence_percent gauge');
    expect(value(parse(text).samples, 'warroom_influence_percent')).toBeUndefined();
    expect(value(parse(render(state({ influence: { pct: 25, observedAt: NOW } }))).samples, 'warroom_influence_percent')).toBe(25);
    expect(value(parse(render(state({ influence: { pct: 25, error: 'scrape failed' } }))).samples, 'warroom_influence_percent')).toBeUndefined();
    expect(value(parse(render(state({ influence: { pct: NaN } }))).samples, 'warroom_influence_percent')).toBeUndefined();
  });

  it('NaN and infinite gate values are written as Prometheus spells them', () => {
    const text = render(state({ gates: { entropy: result('entropy', 'FAIL', NaN), errors: result('errors', 'FAIL', Infinity) } }));
    expect(text).toMatch(/^warroom_gate_value\{gate="entropy"\} NaN$/m);
    expect(text).toMatch(/^warroom_gate_value\{gate="errors"\} \+Inf$/m);
    expect(Number.isNaN(value(parse(text).samples, 'warroom_gate_value', { gate: 'entropy' }))).toBe(true);
  });

  it('escapes label values (backslash, quote, newline) and strips terminal controls; titles are never labels', () => {
    expect(escapeLabel('a\\b"c\nd\u001b[31me')).toBe('a\\\\b\\"c\\nde'); // the whole CSI sequence goes
    const cfg = testConfig({ deployment: { name: 'rl "v42"\\x', environment: 'prod\nuction' } }, [gate({ id: 'g1', title: 'Title with "quotes" \u001b[2J', group: 'Group "A"\\B' })]);
    const text = render(state({}, cfg));
    expect(text).not.toContain('Title with');
    expect(text).not.toContain('\u001b');
    const s = parse(text).samples;
    expect(value(s, 'warroom_info', { deployment: 'rl "v42"\\x', environment: 'prod\nuction', actor: 'alice', version: '0.1.0', mode: 'live', read_only: 'false' })).toBe(1);
    expect(value(s, 'warroom_gate_status', { gate: 'g1', group: 'Group "A"\\B', status: 'UNKNOWN' })).toBe(1);
  });

  it('every family has HELP and TYPE once, and the page parses', () => {
    const text = render(state());
    const helps = [...text.matchAll(/^# HELP (\S+) /gm)].map((m) => m[1]);
    const types = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => m[1]);
    expect(helps).toEqual(types);
    expect(new Set(helps).size).toBe(helps.length);
    expect(helps).toEqual(expect.arrayContaining(['warroom_gate_status', 'warroom_overall', 'warroom_influence_percent', 'warroom_action_total', 'warroom_feed_dropped_total', 'warroom_checkpoint_due', 'warroom_source_up', 'warroom_audit_pending_lines', 'warroom_info']));
    expect(parse(text).types.warroom_action_total).toBe('counter');
  });

  it('action counters start at 0 for every action and outcome and count ledger lines', () => {
    const counts = new Map<string, number>();
    const line = (action: string, phase: string) => ({ type: 'action', action, phase, idempotency_key: 'k', to_pct: 0 }) as unknown as LedgerLine;
    const old = [line('kill_switch', 'verified')];
    // Lines that were in the ledger before this console opened it are not this process' count.
    let next = countActionLines(counts, old, old.length);
    const all = [...old, line('kill_switch', 'requested'), line('kill_switch', 'verified'), { type: 'note', text: 'x' } as unknown as LedgerLine];
    next = countActionLines(counts, all, next);
    expect(next).toBe(4);
    expect(counts.get(countKey('kill_switch', 'verified'))).toBe(1);
    const s = parse(render(state(), counts)).samples;
    expect(value(s, 'warroom_action_total', { action: 'kill_switch', outcome: 'verified' })).toBe(1);
    expect(value(s, 'warroom_action_total', { action: 'kill_switch', outcome: 'requested' })).toBe(1);
    expect(value(s, 'warroom_action_total', { action: 'set_influence', outcome: 'failed' })).toBe(0);
    expect(s.filter((x) => x.name === 'warroom_action_total')).toHaveLength(14);
  });

  it('feed drops by reason, checkpoint due, sources, triggers, sign-offs and the audit backlog', () => {
    const s = state({
      feeds: { feed: { sourceId: 'feed', state: 'open', dropped: 3, droppedByReason: { not_json: 2, oversize: 1 }, missed: 4, reconnects: 1, restarts: 0, firing: 0, firingPage: 0, firingMore: 0 } },
      sources: { exporter: { id: 'exporter', type: 'scrape', state: 'up', lastSuccess: NOW }, feed: { id: 'feed', type: 'websocket', state: 'down' } },
      ramp: { started: true, rolledBack: false, elapsedMs: 0, stageIndex: 0, stageElapsedMs: 0, holdComplete: false, checkpoints: [], due: { stage: 0, offsetMs: 1800_000, label: 'Check', state: 'due' } },
      banner: [{ gate: 'q_spread', mode: 'auto', phase: 'armed' }],
      overall: { overall: 'WARN', reasons: [], missingSignoffs: ['on_call'] },
      audit: { pending: 2, error: 'ENOSPC' },
    });
    const m = parse(render(s)).samples;
    expect(value(m, 'warroom_feed_dropped_total', { reason: 'not_json' })).toBe(2);
    expect(value(m, 'warroom_feed_dropped_total', { source: 'feed', reason: 'oversize' })).toBe(1);
    expect(value(m, 'warroom_feed_missed_total', { source: 'feed' })).toBe(4);
    expect(value(m, 'warroom_feed_connected', { source: 'feed' })).toBe(1);
    expect(value(m, 'warroom_checkpoint_due')).toBe(1);
    expect(value(m, 'warroom_ramp_stage')).toBe(1);
    expect(value(m, 'warroom_source_up', { source: 'exporter', type: 'scrape' })).toBe(1);
    expect(value(m, 'warroom_source_up', { source: 'feed' })).toBe(0);
    expect(value(m, 'warroom_source_last_success_timestamp_seconds', { source: 'exporter' })).toBe(NOW / 1000);
    expect(value(m, 'warroom_rollback_trigger', { gate: 'q_spread', mode: 'auto', phase: 'armed' })).toBe(1);
    expect(value(m, 'warroom_signoff_missing', { role: 'on_call' })).toBe(1);
    expect(value(m, 'warroom_audit_pending_lines')).toBe(2);
    expect(value(m, 'warroom_audit_write_error')).toBe(1);
    expect(value(parse(render(state())).samples, 'warroom_checkpoint_due')).toBe(0);
  });

  it('the process\'s memory under the client libraries\' names, when given; none when not', () => {
    const memory = { rss: 101_000_000, heapUsed: 30_000_000, heapTotal: 40_000_000, external: 5_000_000 };
    const m = parse(renderMetrics({ state: state(), actions: new Map(), version: '0.1.0', startedAt: NOW, memory })).samples;
    expect(value(m, 'process_resident_memory_bytes')).toBe(101_000_000);
    expect(value(m, 'nodejs_heap_size_used_bytes')).toBe(30_000_000);
    expect(value(m, 'nodejs_heap_size_total_bytes')).toBe(40_000_000);
    expect(value(m, 'nodejs_external_memory_bytes')).toBe(5_000_000);
    expect(render(state())).not.toContain('process_resident_memory_bytes');
  });

  it('renders from the snapshot only: the store is not written', () => {
    const store = createWarroomStore({ config: testConfig(), actor: 'alice', now: NOW });
    let writes = 0;
    store.subscribe(() => writes++);
    renderMetrics({ state: store.getState(), actions: new Map(), version: '0.1.0', startedAt: NOW });
    expect(writes).toBe(0);
  });
});
