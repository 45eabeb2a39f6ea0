import { describe, expect, it } from 'vitest';
import { compare, parseThreshold } from '../../src/config/threshold.js';
import { formatClock, formatDuration, parseDuration, parseWhen } from '../../src/config/duration.js';

describe('threshold grammar', () => {
  it.each([
    ['== 0', '==', { kind: 'number', n: 0 }],
    ['>=0.9', '>=', { kind: 'number', n: 0.9 }],
    ['<= 2x', '<=', { kind: 'ratio', n: 2 }],
    ['< 1.5X', '<', { kind: 'ratio', n: 1.5 }],
    ['== true', '==', { kind: 'bool', b: true }],
    ['!= false', '!=', { kind: 'bool', b: false }],
    ['== PASS', '==', { kind: 'word', s: 'PASS' }],
    ['> -3e2', '>', { kind: 'number', n: -300 }],
  ])('parses %s', (text, op, operand) => {
    const t = parseThreshold(text);
    expect(t.op).toBe(op);
    expect(t.operand).toEqual(operand);
  });

  it.each(['=> 3', '>= ', '0.9', '~= 1', '< PASS', '>= true', '== "quoted word"', ''])('rejects %j', (text) => {
    expect(() => parseThreshold(text)).toThrow(/threshold|needs a number|not a number/);
  });

  it('compares numbers, ratios, booleans and words', () => {
    expect(compare(parseThreshold('>= 0.9'), 0.93)).toEqual({ ok: true, holds: true });
    expect(compare(parseThreshold('>= 0.9'), 0.89)).toEqual({ ok: true, holds: false });
    expect(compare(parseThreshold('<= 2x'), 2.8, 1.4)).toEqual({ ok: true, holds: true });
    expect(compare(parseThreshold('<= 2x'), 2.81, 1.4)).toEqual({ ok: true, holds: false });
    expect(compare(parseThreshold('== true'), 'true')).toEqual({ ok: true, holds: true });
    expect(compare(parseThreshold('== true'), false)).toEqual({ ok: true, holds: false });
    expect(compare(parseThreshold('== PASS'), 'PASS')).toEqual({ ok: true, holds: true });
    expect(compare(parseThreshold('== PASS'), 'FAIL')).toEqual({ ok: true, holds: false });
    expect(compare(parseThreshold('== 10'), '10')).toEqual({ ok: true, holds: true });
  });

  it('never holds for NaN or infinities, and needs a baseline for Nx', () => {
    for (const v of [NaN, Infinity, -Infinity]) {
      expect(compare(parseThreshold('!= 0'), v).ok).toBe(false);
      expect(compare(parseThreshold('< 1'), v).ok).toBe(false);
    }
    expect(compare(parseThreshold('<= 2x'), 1)).toEqual({ ok: false, error: 'no baseline for an Nx threshold' });
    expect(compare(parseThreshold('>= 1'), 'abc').ok).toBe(false);
    expect(compare(parseThreshold('== true'), 'maybe').ok).toBe(false);
  });
});

describe('durations', () => {
  it.each([
    ['500ms', 500], ['30s', 30_000], ['5m', 300_000], ['2h', 7_200_000], ['1h30m', 5_400_000], ['0', 0], ['1.5s', 1500],
  ])('parses %s', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['', '30', '5 minutes', 'h', '1h 30m', '-5s'])('rejects %j', (t) => expect(() => parseDuration(t)).toThrow());
  it('formats', () => {
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatClock(31 * 60_000 + 5_000)).toBe('00:31:05');
    expect(formatClock(26 * 3_600_000)).toBe('26:00:00');
  });
  it('parses a point in time from a duration, hh:mm or ISO', () => {
    const now = Date.parse('2026-11-23T14:00:00Z');
    expect(parseWhen('4h', now)).toBe(now + 4 * 3_600_000);
    expect(parseWhen('16:30', now)).toBe(Date.parse('2026-11-23T16:30:00Z'));
    expect(parseWhen('09:00', now)).toBe(Date.parse('2026-11-24T09:00:00Z'));
    expect(parseWhen('2026-11-24T10:00:00Z', now)).toBe(Date.parse('2026-11-24T10:00:00Z'));
    expect(() => parseWhen('soon', now)).toThrow(/neither a duration/);
  });
});
