/**
 * The palette's filter: a query matches when its letters appear in order in the text
 * (a subsequence, case-insensitive, spaces in the query ignored). Matches are ranked the way
 * fzf and VS Code's quick-open do: a match at the very start beats one at a word start, which
 * beats one mid-word, and letters matched in one run beat the same letters scattered. Pure.
 */

export interface FuzzyMatch {
  score: number;
  /** Indexes into the text of the matched characters (for highlighting). */
  positions: number[];
}

const PREFIX_BONUS = 8;
const WORD_START_BONUS = 4;
const RUN_BONUS = 5;
const GAP_PENALTY = 1;

function isWordStart(text: string, i: number): boolean {
  if (i === 0) return true;
  const prev = text[i - 1]!;
  const cur = text[i]!;
  return /[\s_.:\-/()[\]]/.test(prev) || (prev === prev.toLowerCase() && cur !== cur.toLowerCase());
}

/** Greedy match of `q` in `t` starting at `from`, scored; undefined when `q` does not fit. */
function matchFrom(q: string, t: string, raw: string, from: number): FuzzyMatch | undefined {
  const positions: number[] = [];
  let score = 0;
  let ti = from;
  for (const ch of q) {
    const found = t.indexOf(ch, ti);
    if (found < 0) return undefined;
    const last = positions[positions.length - 1];
    score += 1;
    if (found === 0) score += PREFIX_BONUS;
    else if (isWordStart(raw, found)) score += WORD_START_BONUS;
    if (last !== undefined) {
      if (found === last + 1) score += RUN_BONUS;
      else score -= Math.min(5, (found - last - 1) * GAP_PENALTY);
    }
    positions.push(found);
    ti = found + 1;
  }
  return { score, positions };
}

/** How well `query` matches `text`, or undefined when it does not. An empty query matches everything with score 0. */
export function fuzzyMatch(query: string, text: string): FuzzyMatch | undefined {
  const q = query.toLowerCase().replace(/\s+/g, '');
  if (q === '') return { score: 0, positions: [] };
  const t = text.toLowerCase();
  let best: FuzzyMatch | undefined;
  // Each place the first letter occurs is a candidate start: greedy from the first one alone
  // would rank "dn" in "Downshift to balanced" by its scattered match, not the better one.
  for (let start = t.indexOf(q[0]!); start >= 0; start = t.indexOf(q[0]!, start + 1)) {
    const m = matchFrom(q, t, text, start);
    if (!m) break; // a later start has fewer letters left to match in
    if (!best || m.score > best.score) best = m;
  }
  return best;
}

/**
 * The items that match, best first; ties keep the items' own order (the palette lists
 * built-ins before runbooks), and shorter texts win among equal scores.
 */
export function fuzzyRank<T>(items: readonly T[], query: string, textOf: (item: T) => string): { item: T; match: FuzzyMatch }[] {
  const scored: { item: T; match: FuzzyMatch; i: number; len: number }[] = [];
  items.forEach((item, i) => {
    const text = textOf(item);
    const match = fuzzyMatch(query, text);
    if (match) scored.push({ item, match, i, len: text.length });
  });
  if (query.trim() === '') return scored.map(({ item, match }) => ({ item, match }));
  scored.sort((a, b) => b.match.score - a.match.score || a.len - b.len || a.i - b.i);
  return scored.map(({ item, match }) => ({ item, match }));
}
