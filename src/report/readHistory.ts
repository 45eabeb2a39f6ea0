/**
 * The gate history of an audit dir for the report: one console's view of the window, drawn as
 * it saw it. `history.jsonl` (the console that held the ledger's lock) when present, else the
 * fullest `history-<actor>.jsonl`; others are named in the notes, not mixed in (two consoles'
 * points interleaved would read as flapping). Missing history is not an error: the report then
 * draws what the ledger alone says.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HISTORY_NAME, parseHistory, type HistoryLine } from '../history/format.js';

export interface HistoryRead {
  lines: HistoryLine[];
  files: string[];
  notes: string[];
}

export async function readHistory(dir: string): Promise<HistoryRead> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => HISTORY_NAME.test(n)).sort();
  } catch {
    return { lines: [], files: [], notes: [] };
  }
  const notes: string[] = [];
  const read: { name: string; lines: HistoryLine[] }[] = [];
  for (const name of names.includes('history.jsonl') ? ['history.jsonl', ...names.filter((n) => n !== 'history.jsonl')] : names) {
    try {
      const r = parseHistory(await readFile(join(dir, name), 'utf8'));
      read.push({ name, lines: r.lines });
      if (r.skipped) notes.push(`${name}: ${r.skipped} unreadable line(s) skipped`);
    } catch (e) {
      notes.push(`${name}: cannot read (${(e as Error).message})`);
    }
  }
  const primary = read.find((r) => r.name === 'history.jsonl');
  const chosen = primary ?? read.reduce<(typeof read)[number] | undefined>((a, r) => (!a || r.lines.length > a.lines.length ? r : a), undefined);
  if (!chosen) return { lines: [], files: [], notes };
  for (const r of read) if (r !== chosen) notes.push(`${r.name}: another console's history, not drawn`);
  // File order is the console's order (starts, points, stops): kept as it is, not re-sorted.
  return { lines: chosen.lines, files: [chosen.name], notes };
}
