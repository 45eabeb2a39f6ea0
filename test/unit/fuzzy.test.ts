/** The palette's fuzzy matcher: subsequence matches, ranked by prefix, word starts and contiguity. */
import { describe, expect, it } from 'vitest';
import { fuzzyMatch, fuzzyRank } from '../../src/flows/fuzzy.js';

const titles = (items: string[], q: string) => fuzzyRank(items, q, (s) => s).map((r) => r.item);

describe('fuzzyMatch', () => {
  it('matches a case-insensitive subsequence, ignoring spaces in the query, and nothing else', () => {
    expect(fuzzyMatch('dwnbal', 'Downshift to balanced')?.positions).toEqual([0, 2, 3, 13, 14, 15]);
    expect(fuzzyMatch('DOWN bal', 'downshift to balanced')).toBeDefined();
    expect(fuzzyMatch('balx', 'Downshift to balanced')).toBeUndefined();
    // Order matters: the letters must appear in the query's order.
    expect(fuzzyMatch('ab', 'ba')).toBeUndefined();
    expect(fuzzyMatch('', 'anything')).toEqual({ score: 0, positions: [] });
  });

  it('finds the best alignment, not the first: a contiguous later run beats scattered early letters', () => {
    // Greedy from the first "s" would take "s" of "Sets" and scatter the rest.
    const m = fuzzyMatch('shift', 'Sets hint: downshift');
    expect(m?.positions).toEqual([15, 16, 17, 18, 19]);
  });

  it('scores a prefix above a word start above mid-word, and a run above a gap', () => {
    const prefix = fuzzyMatch('kil', 'kill-switch')!.score;
    const word = fuzzyMatch('kil', 'the kill-switch')!.score;
    const mid = fuzzyMatch('kil', 'skill')!.score;
    expect(prefix).toBeGreaterThan(word);
    expect(word).toBeGreaterThan(mid);
    expect(fuzzyMatch('ref', 'refresh')!.score).toBeGreaterThan(fuzzyMatch('ref', 'rollback effort')!.score);
  });
});

describe('fuzzyRank', () => {
  const items = ['Kill-switch: influence to 0%', 'Set influence', 'Advance to the next ramp stage', 'Refresh all sources', 'Downshift to balanced', 'Restart the fleet'];

  it('keeps the given order for an empty query', () => {
    expect(titles(items, '')).toEqual(items);
    expect(titles(items, '  ')).toEqual(items);
  });

  it('drops non-matches and ranks the best first', () => {
    expect(titles(items, 'dwn')).toEqual(['Downshift to balanced']);
    expect(titles(items, 'infl')).toEqual(['Set influence', 'Kill-switch: influence to 0%']);
    // Both are prefix runs: the shorter wins the tie.
    expect(titles(items, 're').slice(0, 2)).toEqual(['Restart the fleet', 'Refresh all sources']);
    expect(titles(items, 'ref')[0]).toBe('Refresh all sources');
    // A prefix run beats two word starts: "Refresh all sources" has no t after its s at all.
    expect(titles(items, 'rst')).toEqual(['Restart the fleet', 'Advance to the next ramp stage']);
  });

  it('breaks ties by the shorter text, then the given order', () => {
    expect(titles(['abc long tail', 'abc'], 'abc')).toEqual(['abc', 'abc long tail']);
    expect(titles(['x abc', 'y abc'], 'abc')).toEqual(['x abc', 'y abc']);
  });
});
