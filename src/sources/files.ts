/**
 * `files` source: the newest regular file in a folder (validation reports, eval results).
 * Its mtime is what `max_age` judges; its JSON `status` field (or the gate's `field`) is the
 * value; older files are read only for the history rules (fileHistory.ts). Dotfiles and
 * `*.tmp` are skipped so a report being written is never read half-done.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FilesSource } from '../config/types.js';
import type { Reading } from '../core/types.js';
import { formatDuration } from '../config/duration.js';
import { oneLine } from '../util/sanitize.js';
import { DEFAULT_MAX_CLOCK_SKEW_MS, sampleTime } from './sampleTime.js';
import { fieldAt, historyRange, judgeHistory, type JudgedFile, type ListedFile } from './fileHistory.js';
import type { FileRules, Probe, ReadContext, SourceAdapter, SourceResult } from './types.js';

/** Reports larger than this are not parsed (a status file is small). */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

export function createFilesSource(cfg: FilesSource): SourceAdapter {
  return {
    id: cfg.id,
    type: 'files',
    async read(probes: Probe[], ctx: ReadContext): Promise<SourceResult> {
      let files: ListedFile[];
      try {
        files = await listFiles(cfg.path);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOTDIR' ? 'not a folder' : errText(err);
        return { ok: false, error: oneLine(`${cfg.path}: ${why}`), readings: {} };
      }
      const readAt = ctx.clock.now();
      // One read of each file per poll, however many gates look at it.
      const docs = new Map<string, Promise<Doc>>();
      const doc = (f: ListedFile) => {
        let d = docs.get(f.name);
        if (!d) docs.set(f.name, (d = loadDoc(cfg.path, f)));
        return d;
      };
      const readings: Record<string, Reading> = {};
      for (const p of probes) {
        readings[p.id] = await probeReading(cfg, files, p.files ?? {}, doc, readAt);
      }
      return { ok: true, readings };
    },
  };
}

type Doc = { doc: unknown } | { error: string };

async function probeReading(cfg: FilesSource, files: ListedFile[], rules: FileRules, doc: (f: ListedFile) => Promise<Doc>, readAt: number): Promise<Reading> {
  const newest = files[0];
  let reading: Reading;
  if (!newest) reading = { value: null, observedAt: readAt, error: oneLine(`no files in ${cfg.path}`) };
  else {
    // An mtime in the future would make the newest report look fresh for ever (max_age never fails).
    const mtime = sampleTime(Math.round(newest.mtimeMs), readAt, cfg.maxClockSkew ?? DEFAULT_MAX_CLOCK_SKEW_MS);
    reading = { value: null, observedAt: readAt, asOf: mtime.observedAt, detail: oneLine(newest.name, 300) };
    if (mtime.warning) reading.warnings = [mtime.warning.replace('source clock', 'file modification time')];
    const d = await doc(newest);
    Object.assign(reading, 'error' in d ? { error: d.error } : rules.field === undefined ? statusFromDoc(d.doc, label(newest)) : fieldFromDoc(d.doc, rules.field, label(newest)));
  }
  if (rules.consecutive === undefined && rules.noFailuresWithin === undefined) return reading;

  const range = historyRange(files, rules, readAt);
  if ('error' in range) return { ...reading, value: null, error: range.error };
  const judged: JudgedFile[] = [];
  // One file at a time: a long history must not open a thousand descriptors at once.
  for (const f of files.slice(0, range.take)) {
    const d = await doc(f);
    const st: Pick<Reading, 'value' | 'error'> = 'error' in d ? { value: null, error: d.error } : statusFromDoc(d.doc, label(f));
    judged.push(st.error !== undefined ? { ...f, error: st.error } : { ...f, status: st.value ?? undefined });
  }
  const verdict = judgeHistory(judged, files.length, rules, readAt, label);
  if (verdict.fail) reading.fail = verdict.fail;
  else if (verdict.error) reading.error = reading.error ? `${reading.error}; ${verdict.error}` : verdict.error;
  else reading.note = historyNote(judged, rules, readAt);
  return reading;
}

function historyNote(judged: JudgedFile[], rules: FileRules, now: number): string {
  const parts: string[] = [];
  if (rules.consecutive !== undefined) parts.push(`newest ${rules.consecutive} PASS`);
  if (rules.noFailuresWithin !== undefined) {
    const n = judged.filter((f) => f.mtimeMs >= now - rules.noFailuresWithin!).length;
    parts.push(`${n} file${n === 1 ? '' : 's'} within ${formatDuration(rules.noFailuresWithin)}, none failed`);
  }
  return `history: ${parts.join('; ')}`;
}

const label = (f: ListedFile) => oneLine(f.name, 200);

async function loadDoc(dir: string, f: ListedFile): Promise<Doc> {
  if (f.size > MAX_FILE_BYTES) return { error: `${label(f)} is too large to read (${f.size} bytes)` };
  let text: string;
  try {
    text = await readCapped(join(dir, f.name), MAX_FILE_BYTES);
  } catch (err) {
    // Rotated away between listing and reading: report it, the next read picks the new one.
    return { error: oneLine(`cannot read ${label(f)}: ${errText(err)}`) };
  }
  try {
    return { doc: JSON.parse(text.replace(/^\uFEFF/, '')) as unknown };
  } catch {
    return { error: `not JSON: ${label(f)}` };
  }
}

/** Pure: the `status` field of a JSON report. */
export function statusOf(text: string, fileLabel: string): Pick<Reading, 'value' | 'error'> {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return { value: null, error: `not JSON: ${fileLabel}` };
  }
  return statusFromDoc(doc, fileLabel);
}

export function statusFromDoc(doc: unknown, fileLabel: string): Pick<Reading, 'value' | 'error'> {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc) || !Object.prototype.hasOwnProperty.call(doc, 'status')) {
    return { value: null, error: `no "status" field in ${fileLabel}` };
  }
  const status = (doc as { status: unknown }).status;
  if (typeof status === 'string') return { value: oneLine(status, 200) };
  if (typeof status === 'boolean') return { value: status };
  return { value: null, error: `"status" in ${fileLabel} is not a string or boolean` };
}

/** Pure: the value at `field` (a.b.c) of a JSON report: a number, a boolean or a word. */
export function fieldFromDoc(doc: unknown, field: string, fileLabel: string): Pick<Reading, 'value' | 'error'> {
  const f = fieldAt(doc, field);
  const name = oneLine(field, 100);
  if (!f.found) return { value: null, error: `no "${oneLine(f.missing, 100)}" field in ${fileLabel}` };
  const v = f.value;
  if (typeof v === 'string') return { value: oneLine(v, 200) };
  if (typeof v === 'boolean') return { value: v };
  if (typeof v === 'number' && Number.isFinite(v)) return { value: v };
  return { value: null, error: `"${name}" in ${fileLabel} is ${v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : typeof v}, not a number, boolean or string` };
}

/** Regular files, newest first by mtime; ties go to the greatest name so the order is stable. */
export async function listFiles(dir: string): Promise<ListedFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: ListedFile[] = [];
  for (const name of names) {
    if (name.startsWith('.') || name.endsWith('.tmp')) continue;
    let st;
    try {
      st = await stat(join(dir, name)); // follows symlinks: `latest.json -> run-42.json` works
    } catch {
      continue; // vanished or dangling link
    }
    if (!st.isFile()) continue;
    out.push({ name, mtimeMs: st.mtimeMs, size: st.size });
  }
  return out.sort((a, b) => b.mtimeMs - a.mtimeMs || (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
}

async function readCapped(path: string, max: number): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(max + 1);
    let len = 0;
    while (len < buf.length) {
      const { bytesRead } = await fh.read(buf, len, buf.length - len, len);
      if (bytesRead === 0) break;
      len += bytesRead;
    }
    if (len > max) throw new Error(`larger than ${max} bytes`);
    return buf.subarray(0, len).toString('utf8');
  } finally {
    await fh.close();
  }
}

function errText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return 'no such file';
  return err instanceof Error ? err.message : String(err);
}
