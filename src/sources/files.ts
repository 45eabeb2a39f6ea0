/**
 * `files` source: the newest regular file in a folder (validation reports, eval results).
 * Its mtime is what `max_age` judges; its JSON `status` field is the value. Dotfiles and
 * `*.tmp` are skipped so a report being written is never read half-done.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FilesSource } from '../config/types.js';
import type { Reading } from '../core/types.js';
import { oneLine } from '../util/sanitize.js';
import { DEFAULT_MAX_CLOCK_SKEW_MS, sampleTime } from './sampleTime.js';
import type { Probe, ReadContext, SourceAdapter, SourceResult } from './types.js';

/** Reports larger than this are not parsed (a status file is small). */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

export interface NewestFile {
  name: string;
  mtimeMs: number;
  size: number;
}

export function createFilesSource(cfg: FilesSource): SourceAdapter {
  return {
    id: cfg.id,
    type: 'files',
    async read(probes: Probe[], ctx: ReadContext): Promise<SourceResult> {
      let reading: Reading;
      try {
        reading = await readNewest(cfg.path, ctx, cfg.maxClockSkew ?? DEFAULT_MAX_CLOCK_SKEW_MS);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOTDIR' ? 'not a folder' : errText(err);
        return { ok: false, error: oneLine(`${cfg.path}: ${why}`), readings: {} };
      }
      const readings: Record<string, Reading> = {};
      for (const p of probes) readings[p.id] = { ...reading };
      return { ok: true, readings };
    },
  };
}

async function readNewest(dir: string, ctx: ReadContext, maxSkewMs: number): Promise<Reading> {
  const newest = await findNewest(dir);
  const readAt = ctx.clock.now();
  if (!newest) return { value: null, observedAt: readAt, error: oneLine(`no files in ${dir}`) };
  // An mtime in the future would make the newest report look fresh for ever (max_age never fails).
  const mtime = sampleTime(Math.round(newest.mtimeMs), readAt, maxSkewMs);
  const base: Reading = { value: null, observedAt: readAt, asOf: mtime.observedAt, detail: oneLine(newest.name, 300) };
  if (mtime.warning) base.warnings = [mtime.warning.replace('source clock', 'file modification time')];
  const fileLabel = oneLine(newest.name, 200);
  if (newest.size > MAX_FILE_BYTES) return { ...base, error: `${fileLabel} is too large to read (${newest.size} bytes)` };
  let text: string;
  try {
    text = await readCapped(join(dir, newest.name), MAX_FILE_BYTES);
  } catch (err) {
    // Rotated away between listing and reading: report it, the next read picks the new one.
    return { ...base, error: oneLine(`cannot read ${fileLabel}: ${errText(err)}`) };
  }
  return { ...base, ...statusOf(text, fileLabel) };
}

/** Pure: the `status` field of a JSON report. */
export function statusOf(text: string, fileLabel: string): Pick<Reading, 'value' | 'error'> {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return { value: null, error: `not JSON: ${fileLabel}` };
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc) || !Object.prototype.hasOwnProperty.call(doc, 'status')) {
    return { value: null, error: `no "status" field in ${fileLabel}` };
  }
  const status = (doc as { status: unknown }).status;
  if (typeof status === 'string') return { value: oneLine(status, 200) };
  if (typeof status === 'boolean') return { value: status };
  return { value: null, error: `"status" in ${fileLabel} is not a string or boolean` };
}

/** Newest by mtime; ties go to the greatest name so the choice is stable. */
export async function findNewest(dir: string): Promise<NewestFile | undefined> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let best: NewestFile | undefined;
  for (const name of names) {
    if (name.startsWith('.') || name.endsWith('.tmp')) continue;
    let st;
    try {
      st = await stat(join(dir, name)); // follows symlinks: `latest.json -> run-42.json` works
    } catch {
      continue; // vanished or dangling link
    }
    if (!st.isFile()) continue;
    if (!best || st.mtimeMs > best.mtimeMs || (st.mtimeMs === best.mtimeMs && name > best.name)) {
      best = { name, mtimeMs: st.mtimeMs, size: st.size };
    }
  }
  return best;
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
