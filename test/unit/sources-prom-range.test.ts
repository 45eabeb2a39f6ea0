import { describe, expect, it } from 'vitest';
import { interpretRange } from '../../src/sources/promRange.js';
import type { HttpGetResult } from '../../src/sources/http.js';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const ok = (body: unknown, status = 200): HttpGetResult => ({ status, statusText: 'OK', body: JSON.stringify(body), contentType: 'application/json' });
const matrix = (result: unknown[]) => ok({ status: 'success', data: { resultType: 'matrix', result } });
const err = (e: string) => `GET x: ${e}`;

describe('query_range answers', () => {
  it('one series: every point, NaN kept (dropped and counted later), value = newest', () => {
    const r = interpretRange(matrix([{ metric: {}, values: [[NOW / 1000 - 60, '1.5'], [NOW / 1000, 'NaN']] }]), NOW, 'canary', err);
    expect(r.kind).toBe('reading');
    if (r.kind !== 'reading') return;
    expect(r.reading.series).toEqual([{ t: NOW - 60_000, v: 1.5 }, { t: NOW, v: NaN }]);
    expect(r.reading.observedAt).toBe(NOW);
  });
  it('several series or none: the gate is UNKNOWN with a reason naming the side', () => {
    const three = interpretRange(matrix([{ metric: { pod: 'a' }, values: [] }, { metric: {}, values: [] }, { metric: {}, values: [] }]), NOW, 'canary', err);
    expect(three).toEqual({ kind: 'reading', reading: { value: null, observedAt: NOW, error: 'canary: returns 3 series; compare needs one per side — aggregate it' } });
    const none = interpretRange(matrix([]), NOW, 'series', err);
    expect(none.kind === 'reading' && none.reading.error).toBe('returns no series in the window; trend needs one');
  });
  it('bad PromQL is the query\'s error; a 5xx or a non-Prometheus answer is the source\'s', () => {
    const bad = interpretRange(ok({ status: 'error', errorType: 'bad_data', error: 'parse error' }, 400), NOW, 'baseline', err);
    expect(bad.kind === 'reading' && bad.reading.error).toBe('baseline: PromQL error: parse error');
    expect(interpretRange({ ...ok('boom'), status: 503, statusText: 'Service Unavailable', body: 'down' }, NOW, 'canary', err).kind).toBe('source');
    expect(interpretRange(ok({ hello: 1 }), NOW, 'canary', err)).toEqual({ kind: 'source', error: 'GET x: not a Prometheus API response (check the url)' });
  });
  it('points stamped in the future are clamped to the receive time', () => {
    const r = interpretRange(matrix([{ metric: {}, values: [[NOW / 1000 + 600, '2']] }]), NOW, 'series', err);
    expect(r.kind === 'reading' && r.reading.series?.[0]?.t).toBe(NOW);
  });
});
