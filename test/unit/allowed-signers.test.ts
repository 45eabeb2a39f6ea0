/** OpenSSH's allowed_signers semantics as pure logic (the real ssh-keygen comparison is in test/integration/trust-judge.test.ts). */
import { describe, expect, it } from 'vitest';
import { matchPatternList, parseAbsoluteTime } from '../../src/audit/allowedSigners.js';

describe('matchPatternList (OpenSSH match_pattern_list)', () => {
  it('a negated match refuses whatever the order; a negation alone never admits', () => {
    expect(matchPatternList('bob', ['*', '!mallory'])).toBe(1);
    expect(matchPatternList('mallory', ['*', '!mallory'])).toBe(-1);
    expect(matchPatternList('mallory', ['!mallory', '*'])).toBe(-1);
    expect(matchPatternList('bob', ['!mallory'])).toBe(0);
    expect(matchPatternList('bob', ['b?b'])).toBe(1);
    expect(matchPatternList('bob', ['bo'])).toBe(0);
    expect(matchPatternList('a.b', ['a?b'])).toBe(1);
    expect(matchPatternList('axb', ['a.b'])).toBe(0);
  });
});

describe('parseAbsoluteTime (OpenSSH parse_absolute_time)', () => {
  it('YYYYMMDD[HHMM[SS]] with Z or UTC for UTC; anything else refused', () => {
    expect(parseAbsoluteTime('20200101Z')).toBe(Date.UTC(2020, 0, 1) / 1000);
    expect(parseAbsoluteTime('202001021304Z')).toBe(Date.UTC(2020, 0, 2, 13, 4) / 1000);
    expect(parseAbsoluteTime('20200102130405UTC')).toBe(Date.UTC(2020, 0, 2, 13, 4, 5) / 1000);
    expect(parseAbsoluteTime('20200101')).toBe(new Date(2020, 0, 1).getTime() / 1000);
    for (const bad of ['2020', '2020010', '20201301', '2020-01-01', '20200101x', '', 'Z']) expect(parseAbsoluteTime(bad)).toBeUndefined();
  });
});
