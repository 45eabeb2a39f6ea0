/** The window's closing summary, the check verdict as an event, and undelivered notifications in the report. */
import { describe, expect, it } from 'vitest';
import { renderReportFromLines } from '../../src/audit/report.js';
import type { LedgerLine } from '../../src/audit/types.js';
import type { CheckReport } from '../../src/commands/checkFormat.js';
import { checkEvent, reportEvent, windowOutcome } from '../../src/notify/window.js';

let seq = 0;
const line = (ts: string, l: Record<string, unknown>): LedgerLine =>
  ({ schema: 'warroom.ledger/v1', seq: ++seq, ts, deployment: 'rl-policy-v42', environment: 'production', prev_hash: 'p', hash: `h${seq}`, actor: 'alice', ...l }) as unknown as LedgerLine;
const inf = (ts: string, from: number, to: number) => line(ts, { type: 'action', action: 'set_influence', phase: 'verified', from_pct: from, to_pct: to, reason: 'ramp', idempotency_key: `i${to}` });
const decision = (ts: string, d: string) => line(ts, { type: 'decision', decision: d, id: `d-${ts}`, file: 'f', record_hash: 'r', justification: `because ${d}`, next_review: null, role: 'release_captain' });

describe('window summary', () => {
  const ok = { ok: true, text: 'verified' };

  it('outcome: rolled back after a verified kill; failed on NO-GO or a failed action; success on a last GO', () => {
    expect(windowOutcome([decision('2026-11-23T14:00:00Z', 'GO')], true)).toBe('success');
    expect(windowOutcome([decision('2026-11-23T14:00:00Z', 'GO')], false)).toBe('failed');
    expect(windowOutcome([decision('2026-11-23T14:00:00Z', 'GO'), decision('2026-11-23T15:00:00Z', 'NO-GO')], true)).toBe('failed');
    expect(windowOutcome([line('2026-11-23T14:00:00Z', { type: 'action', action: 'kill_switch', phase: 'verified', to_pct: 0, idempotency_key: 'k' })], true)).toBe('rolled back');
    expect(windowOutcome([], true)).toBe('undecided');
  });

  it('names decisions, actions and the time at each influence', () => {
    const lines = [decision('2026-11-23T14:00:00Z', 'GO'), inf('2026-11-23T14:10:00Z', 0, 10), inf('2026-11-23T16:10:00Z', 10, 25), line('2026-11-23T17:10:00Z', { type: 'note', text: 'end' })];
    const e = reportEvent(lines, { integrity: ok, actor: 'alice', now: Date.parse('2026-11-23T17:11:00Z') });
    expect(e.title).toBe('window SUCCESS: rl-policy-v42 → production, 3h10m; last decision GO by alice');
    expect(e.lines).toContain('time at 10%: 2h');
    expect(e.lines).toContain('time at 25%: 1h');
    expect(e.lines.some((l) => l.startsWith('decision 2026-11-23T14:00:00Z GO by alice (release_captain): because GO'))).toBe(true);
    expect(e.detail).toMatchObject({ outcome: 'success', time_at_influence_ms: { '0': 600_000, '10': 7_200_000, '25': 3_600_000 } });
    expect(e.pager).toEqual({ kind: 'change' });
  });
});

describe('checkEvent', () => {
  it('a check verdict is an overall event naming what blocks it', () => {
    const report: CheckReport = {
      overall: 'NO-GO',
      evaluated_at: '2026-11-23T14:05:00.000Z',
      deployment: 'rl-policy-v42',
      environment: 'production',
      reasons: ['critical FAIL: entropy'],
      criteria: [
        { id: 'entropy', title: 'Policy entropy', group: 'Policy health', severity: 'critical', status: 'FAIL', value: 0.71, threshold: '>= 0.9', observed_at: null, reason: 'x' },
        { id: 'errors', title: 'Errors', group: 'Service', severity: 'critical', status: 'PASS', value: 0, threshold: '<= 0.01', observed_at: null, reason: 'ok' },
      ],
      sources: [],
    };
    const e = checkEvent({ deployment: { name: 'rl-policy-v42', environment: 'production' } }, report, { actor: 'ci', previous: 'WARN' });
    expect(e).toMatchObject({ event: 'overall', overall: 'NO-GO', actor: 'ci', title: 'check NO-GO: entropy = 0.71 fails >= 0.9 (critical)', ts: Date.parse('2026-11-23T14:05:00Z') });
    expect(e.gates.map((g) => g.id)).toEqual(['entropy']);
  });
});

describe('report', () => {
  it('lists notifications that were not delivered, and only when there are some', () => {
    const quiet = renderReportFromLines([decision('2026-11-23T14:00:00Z', 'GO')], { integrity: { ok: true, text: 'ok' } });
    expect(quiet).not.toContain('Notifications not delivered');
    const md = renderReportFromLines(
      [decision('2026-11-23T14:00:00Z', 'GO'), line('2026-11-23T14:01:00Z', { type: 'notify.failed', sink: 'slack#0 https://hooks.slack.com/…', event: 'decision', error: 'HTTP 500', attempts: 4 })],
      { integrity: { ok: true, text: 'ok' } },
    );
    expect(md).toContain('## Notifications not delivered');
    expect(md).toContain('| 2026-11-23 14:01:00 | slack#0 https://hooks.slack.com/… | decision | 4 | HTTP 500 |');
  });
});
