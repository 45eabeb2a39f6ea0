/**
 * `warroom_action_total`: how many action ledger lines of each phase this console wrote. Pure.
 * Counted from the ledger (not the bounded action list in the store), so a long window never
 * undercounts, and only from the lines appended after the console opened it: a counter of
 * this process, not of every console that ever wrote the audit dir.
 */
import type { ActionKind, ActionPhase, LedgerLine } from '../audit/types.js';

export const ACTION_KINDS: readonly ActionKind[] = ['kill_switch', 'set_influence'];
export const ACTION_PHASES: readonly ActionPhase[] = ['requested', 'sent', 'acknowledged', 'verified', 'failed', 'cancelled', 'abandoned'];

export type ActionCounts = Map<string, number>;

export const countKey = (action: string, outcome: string): string => `${action}\u0000${outcome}`;

/** Adds the action lines of `lines[from..]` to `counts`; returns the next index to read. */
export function countActionLines(counts: ActionCounts, lines: readonly LedgerLine[], from: number): number {
  for (let i = from; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.type !== 'action') continue;
    const k = countKey(l.action, l.phase);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return lines.length;
}
