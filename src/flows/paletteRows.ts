/**
 * The palette as rows of text for a given height: which entries are in view (the highlighted
 * one always is), and how each reads. Pure, so the view only lays the rows out.
 */
import { oneLine } from '../util/sanitize.js';
import type { PaletteEntry } from './palette.js';
import { paletteView } from './runbookFlow.js';
import type { Flow, FlowContext } from './types.js';

export interface PaletteRow {
  text: string;
  selected: boolean;
  refused: boolean;
}

const KEY_COL = 8;

function rowText(e: PaletteEntry): string {
  const isRunbook = 'runbook' in e.target;
  const key = (isRunbook ? 'runbook' : e.hint).padEnd(KEY_COL);
  const title = oneLine(e.title, 80) + (isRunbook ? ` (${oneLine(e.hint, 40)})` : '');
  return `${key}${title}${e.refusal ? ` - ${oneLine(e.refusal, 120)}` : ''}`;
}

/** At most `visible` rows, scrolled so the highlighted entry shows; `more` counts the entries out of view. */
export function paletteRows(flow: Flow, ctx: FlowContext, visible: number): { rows: PaletteRow[]; total: number; more: number } {
  const entries = paletteView(flow, ctx);
  const n = Math.max(0, visible);
  const cursor = Math.min(flow.data.cursor ?? 0, Math.max(0, entries.length - 1));
  const start = Math.max(0, Math.min(cursor - n + 1, entries.length - n));
  const shown = entries.slice(Math.max(0, start), Math.max(0, start) + n);
  return {
    rows: shown.map((e, i) => ({ text: rowText(e), selected: Math.max(0, start) + i === cursor, refused: e.refusal !== undefined })),
    total: entries.length,
    more: entries.length - shown.length,
  };
}
