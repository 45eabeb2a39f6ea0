/**
 * The gate history of an audit dir for the report: `history.jsonl` (the console that held the
 * ledger's lock) when present, else every `history-<actor>.jsonl` merged. Missing history is
 * not an error: the report then draws what the ledger alone says.
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
  const chosen = names.includes('history.jsonl') ? ['history.jsonl'] : names;
  const lines: HistoryLine[] = [];
  const notes: string[] = [];
  for (const name of chosen) {
    try {
      const r = parseHistory(await readFile(join(dir, name), 'utf8'));
      for (const l of r.lines) lines.push(l); // a 16 MB history is too many to spread as arguments
      if (r.skipped) notes.push(`${name}: ${r.skipped} unreadable line(s) skipped`);
    } catch (e) {
      notes.push(`${name}: cannot read (${(e as Error).message})`);
    }
  }
  lines.sort((a, b) => a.t - b.t);
  return { lines, files: chosen, notes };
}
