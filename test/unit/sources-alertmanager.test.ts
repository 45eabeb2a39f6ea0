import { describe, expect, it } from 'vitest';
import { alertsReading, describeSilences, listAlerts, MAX_LISTED_ALERTS, parseAlerts, parseSilences } from '../../src/sources/alertmanager.js';
import { evaluateGate } from '../../src/engine/gate.js';
import { gate } from '../helpers/gates.js';

const NOW = Date.parse('2026-11-23T14:00:00Z');
const alert = (name: string, summary?: string, extra: Record<string, string> = {}) => ({
  labels: { alertname: name, severity: 'page', ...extra },
  annotations: summary === undefined ? {} : { summary },
  status: { state: 'active', silencedBy: [], inhibitedBy: [] },
});
const silence = (id: string, state: string, matchers: unknown[], extra: Record<string, string> = {}) => ({
  id, status: { state }, matchers, createdBy: 'bob', comment: 'db maintenance', endsAt: '2026-11-23T16:00:00.000Z', ...extra,
});
const eq = (name: string, value: string) => ({ name, value, isRegex: false, isEqual: true });
const probe = (filter: string[], silences: 'warn' | 'ignore' = 'ignore') => ({ id: 'gate:pages', alerts: { filter, silences } });

describe('alert list', () => {
  it('counts alerts and names them with their summaries', () => {
    const r = alertsReading([alert('HighErrorRate', '5xx > 5%'), alert('Down')], probe([]), undefined, NOW);
    expect(r).toEqual({ value: 2, observedAt: NOW, note: 'firing: HighErrorRate (5xx > 5%); Down', detail: 'HighErrorRate (5xx > 5%); Down' });
    expect(alertsReading([], probe([]), undefined, NOW)).toEqual({ value: 0, observedAt: NOW });
  });
  it('is bounded and stripped of terminal control sequences', () => {
    const many = Array.from({ length: 25 }, (_, i) => alert(`A${i}`, i === 0 ? '\u001b]0;pwned\u0007evil\u001b[2J ' + 'x'.repeat(500) : undefined));
    const text = listAlerts(parseAlerts(many) as never);
    expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(text.startsWith('A0 (evil ')).toBe(true);
    expect(text).toContain(`; +${25 - MAX_LISTED_ALERTS} more`);
    expect(text.length).toBeLessThan(MAX_LISTED_ALERTS * 210);
  });
  it('refuses what is not a v2 alert list (a wrong base_path answers with HTML or an object)', () => {
    expect(parseAlerts({ status: 'success' })).toEqual({ error: expect.stringContaining('not an Alertmanager v2 alert list') });
    expect(parseAlerts([{ annotations: {} }])).toEqual({ error: expect.stringContaining('an alert without labels') });
    expect(alertsReading('<html>', probe([]), undefined, NOW, 'GET x')).toMatchObject({ value: null, error: 'GET x: not an Alertmanager v2 alert list (check url and base_path)' });
  });
});

describe('silences: warn', () => {
  const filter = ['severity="page"', 'service="checkout"'];
  const list = [
    silence('s-expired', 'expired', [eq('service', 'checkout')]),
    silence('s-other', 'active', [eq('service', 'search')]),
    silence('s-hit', 'active', [eq('service', 'checkout'), eq('severity', 'page')]),
  ];
  it('only active silences are kept', () => {
    expect((parseSilences(list) as { id: string }[]).map((s) => s.id)).toEqual(['s-other', 's-hit']);
  });
  it('an active matching silence holds the reading, naming id, author and comment', () => {
    const r = alertsReading([], probe(filter, 'warn'), parseSilences(list) as never, NOW);
    expect(r.value).toBe(0);
    expect(r.hold).toBe('1 active silence matches the filter: s-hit by bob "db maintenance" until 2026-11-23T16:00:00.000Z');
  });
  it('no hold when nothing matches, or with silences: ignore', () => {
    expect(alertsReading([], probe(filter, 'warn'), parseSilences([list[1]]) as never, NOW).hold).toBeUndefined();
    expect(alertsReading([], probe(filter, 'ignore'), parseSilences(list) as never, NOW).hold).toBeUndefined();
  });
  it('an alert muted by a silence outside the filter (status.silencedBy) is not counted and holds the gate', () => {
    const muted = { labels: { alertname: 'CheckoutDown' }, status: { state: 'suppressed', silencedBy: ['s-other'] } };
    const firing = { labels: { alertname: 'CheckoutSlow' }, status: { state: 'active', silencedBy: [] } };
    const r = alertsReading([muted, firing], probe(filter, 'warn'), parseSilences(list) as never, NOW);
    expect(r.value).toBe(1);
    expect(r.hold).toBe('1 firing alert silenced: CheckoutDown; 1 active silence mutes them: s-other by bob "db maintenance" until 2026-11-23T16:00:00.000Z');
    // A silence that ended between the two reads is still named, by id.
    const gone = alertsReading([{ ...muted, status: { silencedBy: ['s-gone'] } }], probe(filter, 'warn'), [], NOW);
    expect(gone.hold).toBe('1 firing alert silenced: CheckoutDown; 1 active silence mutes them: s-gone');
  });
  it('silences that cannot be read make the gate unknown (it cannot show none are muting it)', () => {
    expect(alertsReading([], probe(filter, 'warn'), { error: 'HTTP 500' }, NOW).error).toBe('cannot check silences: HTTP 500');
    expect(parseSilences({})).toEqual({ error: 'not an Alertmanager v2 silence list' });
    expect(parseSilences([silence('s-bad', 'active', [{ name: 'a' }])])).toEqual({ error: expect.stringContaining('s-bad has matchers in an unknown shape') });
  });
  it('silence text from the server is sanitized and bounded', () => {
    const s = parseSilences([silence('\u001b[31mid', 'active', [eq('a', 'b')], { comment: 'c'.repeat(500) + '\u0007', createdBy: 'm\u202eallory' })]) as never;
    const text = describeSilences(s);
    expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
    expect(text).toContain('id by mallory "');
    expect(text.length).toBeLessThan(300);
  });
});

describe('engine: a held pass is WARN; the note and hold ride on every status', () => {
  const pages = gate({ id: 'pages', source: 'am', go: '== 0' });
  const at = (value: number, extra: object) => evaluateGate(pages, { now: NOW, reading: { value, observedAt: NOW, ...extra } }).result;
  it('held pass → WARN with the silence in the reason', () => {
    expect(at(0, { hold: '1 active silence matches the filter: s1' })).toMatchObject({ status: 'WARN', reason: '0 == 0; 1 active silence matches the filter: s1' });
    expect(at(0, {})).toMatchObject({ status: 'PASS', reason: '0 == 0' });
  });
  it('a firing alert stays FAIL, with the alerts and the silence named', () => {
    expect(at(1, { note: 'firing: Down', hold: 'silence s1' })).toMatchObject({ status: 'FAIL', reason: '1 fails == 0; firing: Down; silence s1' });
  });
  it('a source verdict of fail is FAIL whatever the value, and outranks an error', () => {
    const v = gate({ id: 'v', source: 'validation', go: '== PASS' });
    expect(evaluateGate(v, { now: NOW, reading: { value: 'PASS', observedAt: NOW, fail: 'b is "FAIL"' } }).result).toMatchObject({ status: 'FAIL', reason: 'b is "FAIL"' });
    expect(evaluateGate(v, { now: NOW, reading: { value: null, observedAt: NOW, error: 'not JSON: c', fail: 'b is "FAIL"' } }).result.status).toBe('FAIL');
  });
});
