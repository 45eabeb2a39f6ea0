/**
 * Which grid rows fit, and what the hidden ones hold. When the gates do not fit, the last line
 * says so ("+1 more below") and counts and names the hidden NO-GO gates first: a failing gate
 * scrolled out of an 80x24 window must never look like a clean screen. Pure.
 */
import type { CriterionStatus } from '../src/viewmodel/types.js';
import { scrollWindow } from '../src/viewmodel/selectors.js';

export interface HiddenGate {
  title: string;
  status: CriterionStatus;
}

export interface GridWindow {
  start: number;
  end: number;
  /** The "+N more" line, when gates are out of view. */
  more?: { text: string; nogo: boolean };
}

/** `+3 more (1 above, 2 below) · 1 NO-GO: No firing page alerts · 1 ?`. */
export function moreText(above: readonly HiddenGate[], below: readonly HiddenGate[]): string {
  const n = above.length + below.length;
  const where = above.length && below.length ? `(${above.length} above, ${below.length} below)` : above.length ? 'above' : 'below';
  const hidden = [...above, ...below];
  const parts = [`+${n} more ${where}`];
  const nogo = hidden.filter((g) => g.status === 'FAIL');
  if (nogo.length) parts.push(`${nogo.length} NO-GO: ${nogo.map((g) => g.title).join(', ')}`);
  const unknown = hidden.filter((g) => g.status === 'UNKNOWN').length;
  if (unknown) parts.push(`${unknown} ?`);
  const warn = hidden.filter((g) => g.status === 'WARN').length;
  if (warn) parts.push(`${warn} WARN`);
  return parts.join(' · ');
}

/**
 * The rows to show in `height` lines with row `selected` in view. `gateOf(i)` is the gate on
 * row i (undefined for a group heading). With gates out of view, one line goes to "+N more".
 */
export function gridWindow(total: number, height: number, selected: number, gateOf: (row: number) => HiddenGate | undefined): GridWindow {
  if (total <= height) return { start: 0, end: total };
  // One line cannot hold a row and the summary: the selected row wins.
  if (height < 2) return scrollWindow(total, Math.max(0, height), selected);
  const win = scrollWindow(total, height - 1, selected);
  const gates = (from: number, to: number) => {
    const out: HiddenGate[] = [];
    for (let i = from; i < to; i++) {
      const g = gateOf(i);
      if (g) out.push(g);
    }
    return out;
  };
  const above = gates(0, win.start);
  const below = gates(win.end, total);
  // Only headings are out of view: use the whole height, nothing is hidden that matters.
  if (above.length + below.length === 0) return scrollWindow(total, height, selected);
  return { ...win, more: { text: moreText(above, below), nogo: [...above, ...below].some((g) => g.status === 'FAIL') } };
}
