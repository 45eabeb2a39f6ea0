/**
 * Pure: where the history knows nothing. A console that quit (`stop`) or died (a new `meta` line
 * with no `stop` before it) saw nothing until the next start, so from then every gate is UNKNOWN
 * and the influence unknown, rather than the last value stretched over the gap. The last stop of
 * the file ends the window and makes no gap.
 */
import type { HistoryLine } from '../history/format.js';

export function withBreaks(lines: readonly HistoryLine[]): { lines: HistoryLine[]; gaps: number[] } {
  const out: HistoryLine[] = [];
  const gaps: number[] = [];
  const gates = new Set<string>();
  let lastT: number | undefined;
  let stoppedAt: number | undefined;
  let running = false;
  for (const l of lines) {
    if ('k' in l && l.k === 'stop') {
      stoppedAt = l.t;
      running = false;
      continue;
    }
    if ('k' in l && l.k === 'meta') {
      // After a crash, the last thing heard from the old run is where the gap begins.
      const from = stoppedAt ?? (running && lastT !== undefined ? lastT + 1 : undefined);
      if (from !== undefined && gates.size > 0) {
        for (const g of gates) out.push({ t: from, g, s: 'UNKNOWN', v: null });
        out.push({ t: from, i: null });
        gaps.push(from);
      }
      stoppedAt = undefined;
      running = false;
    } else if (!('k' in l)) running = true;
    if ('g' in l) gates.add(l.g);
    lastT = l.t;
    out.push(l);
  }
  return { lines: out, gaps };
}
