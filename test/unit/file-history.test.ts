import { describe, expect, it } from 'vitest';
import { fieldAt, historyRange, isPass, judgeHistory, MAX_HISTORY_FILES, type JudgedFile } from '../../src/sources/fileHistory.js';
import { fieldFromDoc } from '../../src/sources/files.js';

const NOW = Date.parse('2026-11-23T14:00:00Z');
const H = 3600_000;
/** Newest first: [name, hours ago, status or {error}] */
const files = (...spec: [string, number, string | boolean | { error: string }][]): JudgedFile[] =>
  spec.map(([name, h, st]) => ({ name, mtimeMs: NOW - h * H, size: 10, ...(typeof st === 'object' ? { error: st.error } : { status: st }) }));

describe('isPass', () => {
  it('PASS in any case, or true; nothing else', () => {
    expect([isPass('PASS'), isPass(' pass '), isPass(true)]).toEqual([true, true, true]);
    expect([isPass('FAIL'), isPass('PASSED'), isPass(false), isPass(1), isPass(undefined)]).toEqual([false, false, false, false, false]);
  });
});

describe('consecutive: N', () => {
  it('passes when the newest N are PASS, whatever is older', () => {
    expect(judgeHistory(files(['c', 1, 'PASS'], ['b', 2, 'PASS'], ['a', 3, 'FAIL']), 3, { consecutive: 2 }, NOW)).toEqual({});
  });
  it('fails naming the first non-PASS among the newest N', () => {
    const v = judgeHistory(files(['c', 1, 'PASS'], ['b', 2, 'FAIL']), 2, { consecutive: 2 }, NOW);
    expect(v.fail).toBe('b is "FAIL": the newest 2 must all be PASS');
  });
  it('fewer files than N is a FAIL (no evidence), not missing data', () => {
    expect(judgeHistory(files(['c', 1, 'PASS']), 1, { consecutive: 2 }, NOW).fail).toBe('only 1 file: consecutive: 2 needs the newest 2 to be PASS');
    expect(judgeHistory([], 0, { consecutive: 1 }, NOW).fail).toMatch(/^only 0 files/);
  });
  it('an unreadable file among the newest N is unknown, unless another one is a definite FAIL', () => {
    expect(judgeHistory(files(['c', 1, 'PASS'], ['b', 2, { error: 'not JSON: b' }]), 2, { consecutive: 2 }, NOW)).toEqual({ error: 'consecutive: 2: not JSON: b' });
    expect(judgeHistory(files(['c', 1, { error: 'not JSON: c' }], ['b', 2, 'FAIL']), 2, { consecutive: 2 }, NOW).fail).toMatch(/^b is "FAIL"/);
  });
});

describe('no_failures_within', () => {
  it('judges only files modified inside the window', () => {
    const f = files(['c', 1, 'PASS'], ['b', 71, 'PASS'], ['a', 73, 'FAIL']);
    expect(judgeHistory(f, 3, { noFailuresWithin: 72 * H }, NOW)).toEqual({});
    expect(judgeHistory(f, 3, { noFailuresWithin: 74 * H }, NOW).fail).toBe('a is "FAIL", modified 73h ago: no failures allowed within 74h');
  });
  it('any status but PASS is a failure; the count of the others is given', () => {
    const v = judgeHistory(files(['c', 1, 'ERROR'], ['b', 2, false], ['a', 3, 'FAIL']), 3, { noFailuresWithin: 72 * H }, NOW);
    expect(v.fail).toBe('c is "ERROR", modified 1h ago: no failures allowed within 72h (and 2 more)');
  });
  it('an unreadable file in the window makes the verdict unknown', () => {
    expect(judgeHistory(files(['c', 1, 'PASS'], ['b', 2, { error: 'not JSON: b' }]), 2, { noFailuresWithin: 72 * H }, NOW).error).toBe('no_failures_within: 72h: not JSON: b');
  });
  it('an empty window has no failures', () => {
    expect(judgeHistory([], 0, { noFailuresWithin: H }, NOW)).toEqual({});
  });
  it('both rules report together', () => {
    const v = judgeHistory(files(['b', 1, 'FAIL'], ['a', 2, 'PASS']), 2, { consecutive: 2, noFailuresWithin: 72 * H }, NOW);
    expect(v.fail).toContain('the newest 2 must all be PASS; b is "FAIL", modified 1h ago');
  });
});

describe('historyRange', () => {
  const list = (n: number, stepH = 1) => Array.from({ length: n }, (_, i) => ({ name: `f${i}`, mtimeMs: NOW - i * stepH * H, size: 1 }));
  it('takes the newest N and everything inside the window', () => {
    expect(historyRange(list(10), { consecutive: 3 }, NOW)).toEqual({ take: 3 });
    expect(historyRange(list(10), { consecutive: 30 }, NOW)).toEqual({ take: 10 });
    expect(historyRange(list(10), { noFailuresWithin: 4.5 * H }, NOW)).toEqual({ take: 5 });
    expect(historyRange(list(10), { consecutive: 7, noFailuresWithin: 2 * H }, NOW)).toEqual({ take: 7 });
  });
  it('refuses a window with more files than it may read, rather than judging part of it', () => {
    const r = historyRange(list(MAX_HISTORY_FILES + 1, 0.01), { noFailuresWithin: 72 * H }, NOW);
    expect(r).toEqual({ error: expect.stringMatching(/^more than 1000 files modified within 72h/) });
  });
});

describe('field', () => {
  it('follows own properties and list indexes only', () => {
    expect(fieldAt({ summary: { passed: true } }, 'summary.passed')).toEqual({ found: true, value: true });
    expect(fieldAt({ checks: [{ ok: 1 }] }, 'checks.0.ok')).toEqual({ found: true, value: 1 });
    expect(fieldAt({ checks: [] }, 'checks.0')).toEqual({ found: false, missing: 'checks.0' });
    expect(fieldAt({}, '__proto__.polluted')).toEqual({ found: false, missing: '__proto__' });
    expect(fieldAt({ a: {} }, 'a.constructor')).toEqual({ found: false, missing: 'a.constructor' });
    expect(fieldAt({ a: 'x' }, 'a.length')).toEqual({ found: false, missing: 'a.length' });
  });
  it('values are numbers, booleans or (sanitized) words; anything else is an error', () => {
    expect(fieldFromDoc({ s: { p: 0.97 } }, 's.p', 'f')).toEqual({ value: 0.97 });
    expect(fieldFromDoc({ s: 'GO\u001b[2J' }, 's', 'f')).toEqual({ value: 'GO' });
    expect(fieldFromDoc({ s: null }, 's', 'f').error).toBe('"s" in f is null, not a number, boolean or string');
    expect(fieldFromDoc({ s: [1] }, 's', 'f').error).toBe('"s" in f is a list, not a number, boolean or string');
    expect(fieldFromDoc({ s: {} }, 's.p.q', 'f').error).toBe('no "s.p" field in f');
  });
});
