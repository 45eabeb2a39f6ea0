import { describe, expect, it } from 'vitest';
import { openRequests, REQUEST_FUTURE_SKEW_MS, requestRefusal, whenText } from '../../src/acts/requestStanding.js';
import { frameBytes, requestSnapshot } from '../../src/acts/requestSize.js';
import type { OverrideView } from '../../src/store/store.js';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const roles = { release_captain: ['alice'], cto: ['carol'], observer: ['mallory'] };
const req = (actor: string, at: number, kind: 'go' | 'waiver' = 'go') => ({ actor, ts: new Date(at).toISOString(), kind });

describe('which requests stand as open', () => {
  it('a captain\'s request, now or a little ahead (clock skew), stands', () => {
    expect(requestRefusal(req('alice', NOW), { roles }, NOW)).toBeUndefined();
    expect(requestRefusal(req('alice', NOW + REQUEST_FUTURE_SKEW_MS), { roles }, NOW)).toBeUndefined();
  });
  it('a signer without the decision role, a request from tomorrow, a request with no time: refused, with why', () => {
    expect(requestRefusal(req('mallory', NOW), { roles }, NOW)).toBe('mallory does not hold release_captain, which a GO decision needs');
    expect(requestRefusal(req('carol', NOW, 'waiver'), { roles }, NOW)).toBe('carol does not hold release_captain, which a waiver needs');
    expect(requestRefusal(req('alice', NOW + 86_400_000), { roles }, NOW)).toBe("it is dated 2026-12-08T12:00Z, ahead of this console's clock by more than 15 min");
    expect(requestRefusal({ actor: 'alice', ts: 'soon', kind: 'go' }, { roles }, NOW)).toBe('it carries no valid time');
  });
  it('without roles nobody is refused for a role', () => {
    expect(requestRefusal(req('mallory', NOW), {}, NOW)).toBeUndefined();
  });
  it('the open request shown and approved is the oldest pending one', () => {
    const v = (id: string, at: number, state: OverrideView['state'] = 'pending') => ({ id, requestedAt: at, state }) as OverrideView;
    expect(openRequests([v('new', NOW), v('done', NOW - 5000, 'complete'), v('old', NOW - 1000)]).map((o) => o.id)).toEqual(['old', 'new']);
    expect(openRequests(undefined)).toEqual([]);
  });
  it('a time today is HH:MMZ, any other day carries its date', () => {
    expect(whenText(NOW + 3600_000, NOW)).toBe('13:00Z');
    expect(whenText(NOW + 86_400_000, NOW)).toBe('2026-12-08 12:00Z');
    expect(whenText(NOW - 86_400_000, NOW)).toBe('2026-12-06 12:00Z');
  });
});

describe('the request snapshot', () => {
  it('keeps each gate\'s state, not its prose; long values are cut; 40 gates stay far under a frame', () => {
    const c = Array.from({ length: 40 }, (_, i) => ({ id: `gate_${i}`, title: 'T'.repeat(200), description: 'D'.repeat(2000), severity: 'critical', status: 'FAIL', value: 'v'.repeat(500), threshold: '== true', observedAt: NOW }));
    const snap = requestSnapshot(c, (ms) => new Date(ms).toISOString());
    expect(snap[0]).toEqual({ id: 'gate_0', severity: 'critical', status: 'FAIL', value: `${'v'.repeat(119)}…`, threshold: '== true', observed_at: '2026-12-07T12:00:00.000Z' });
    expect(frameBytes({ criteria: snap })).toBeLessThan(16 * 1024);
  });
});
