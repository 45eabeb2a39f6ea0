import { judgeSignoffs } from '../../src/audit/authority.js';
import { describe, it, expect } from 'vitest';
import { chainEntry } from '../../src/audit/chain.js';
import {
  activeWaivers,
  checkpointAcksFrom,
  influencePeriods,
  latestDecision,
  verifiedInfluence,
  waiversFrom,
} from '../../src/audit/state.js';
import { LEDGER_SCHEMA, type LedgerBody, type LedgerEvent, type LedgerLine } from '../../src/audit/types.js';

const T0 = Date.parse('2026-11-23T14:00:00Z');
function ledger(events: [number, string, LedgerEvent][]): LedgerLine[] {
  const out: LedgerLine[] = [];
  events.forEach(([min, actor, ev], i) => {
    const body = { schema: LEDGER_SCHEMA, seq: i + 1, ts: new Date(T0 + min * 60_000).toISOString(), actor, deployment: 'd', environment: 'e', ...ev } as LedgerBody;
    out.push(chainEntry(out[i - 1]?.hash ?? null, body));
  });
  return out;
}

describe('audit state from ledger lines', () => {
  const lines = ledger([
    [0, 'bob', { type: 'signoff', role: 'on_call', gate: 'oncall_ack' }],
    [1, 'bob', { type: 'signoff', role: 'on_call', gate: 'oncall_ack' }],
    [2, 'alice', { type: 'signoff', role: 'release_captain' }],
    [3, 'alice', { type: 'waiver', gate: 'cost', reason: 'first', expires: '2026-11-23T15:00:00Z' }],
    [4, 'alice', { type: 'waiver', gate: 'cost', reason: 'second', expires: '2026-11-23T14:30:00Z' }],
    [5, 'alice', { type: 'waiver', gate: 'lat', reason: 'bad expiry', expires: 'soon' }],
    [6, 'bob', { type: 'checkpoint.ack', stage: 1, offset_ms: 1_800_000, label: 'Check alerts' }],
    [7, 'alice', { type: 'decision', decision: 'HOLD', id: 'a', file: 'f1', record_hash: 'sha256:1', justification: 'wait', next_review: null }],
    [8, 'alice', { type: 'decision', decision: 'NO-GO', id: 'b', file: 'f2', record_hash: 'sha256:2', justification: 'bad', next_review: '2026-11-23T18:00:00Z' }],
    [10, 'alice', { type: 'action', action: 'set_influence', phase: 'sent', from_pct: 0, to_pct: 10, idempotency_key: 'k' }],
    [12, 'alice', { type: 'action', action: 'set_influence', phase: 'verified', from_pct: 0, to_pct: 10, idempotency_key: 'k' }],
    [20, 'bob', { type: 'action', action: 'kill_switch', phase: 'verified', idempotency_key: 'ks' }],
    [30, 'bob', { type: 'note', text: 'end' }],
  ]);

  it('signoffs: latest per role/gate/actor, ms times', () => {
    const chained = lines.map((line) => ({ line, inChain: true }));
    expect(judgeSignoffs(chained, { deployment: lines[0]!.deployment, maxAgeMs: 12 * 3600_000, now: T0 + 600_000 }).counted).toEqual([
      { role: 'on_call', actor: 'bob', at: T0 + 60_000, gate: 'oncall_ack' },
      { role: 'release_captain', actor: 'alice', at: T0 + 120_000 },
    ]);
  });
  it('waivers: latest per gate, unparsable expiry dropped (fail closed)', () => {
    expect(waiversFrom(lines)).toEqual([
      { gate: 'cost', actor: 'alice', reason: 'second', at: T0 + 240_000, expires: Date.parse('2026-11-23T14:30:00Z') },
    ]);
    expect(activeWaivers(lines, Date.parse('2026-11-23T14:31:00Z'))).toEqual([]);
  });
  it('checkpoint acks and the latest decision', () => {
    expect(checkpointAcksFrom(lines)).toEqual([{ stage: 1, offsetMs: 1_800_000, label: 'Check alerts', actor: 'bob', at: T0 + 360_000 }]);
    expect(latestDecision(lines)).toMatchObject({ decision: 'NO-GO', id: 'b', nextReview: Date.parse('2026-11-23T18:00:00Z'), actor: 'alice' });
    expect(latestDecision([])).toBeUndefined();
  });
  it('influence periods come from verified lines only; kill_switch without to_pct means 0', () => {
    expect(influencePeriods(lines)).toEqual([
      { pct: 0, from: T0, to: T0 + 12 * 60_000 },
      { pct: 10, from: T0 + 12 * 60_000, to: T0 + 20 * 60_000 },
      { pct: 0, from: T0 + 20 * 60_000, to: T0 + 30 * 60_000 },
    ]);
    expect(verifiedInfluence(lines)).toBe(0);
    expect(verifiedInfluence(lines.slice(0, 11))).toBe(10);
    expect(influencePeriods(lines.slice(0, 10))).toEqual([]);
  });
});
