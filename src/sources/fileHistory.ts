/**
 * Artifact history for `files` gates, pure: which files the rules need, and the verdict.
 *
 * - `consecutive: N`: the newest N files all have status PASS. Fewer than N files is a FAIL
 *   (there is no evidence of N passes), not missing data.
 * - `no_failures_within: D`: every file modified in the last D (a future mtime counts as
 *   inside) has status PASS. Any other status (FAIL, ERROR, ABORTED, a word we do not know)
 *   counts as a failure: a run that did not pass is not a clean run. A window with no files
 *   has no failures; freshness is `max_age`'s job.
 * PASS is the string PASS in any case, or `true`. A definite failure is reported even when
 * some other file of the range cannot be read; otherwise an unreadable file in the range
 * makes the verdict unknown (it could be the FAIL).
 */
import { formatDuration } from '../config/duration.js';
import type { Value } from '../core/types.js';
import type { FileRules } from './types.js';

/** Files a history rule may read at once; a window holding more is refused, not cut short. */
export const MAX_HISTORY_FILES = 1000;

export interface ListedFile {
  name: string;
  mtimeMs: number;
  size: number;
}

export interface JudgedFile extends ListedFile {
  /** The file's status, when it could be read. */
  status?: Value;
  /** Why its status could not be read. */
  error?: string;
}

export interface HistoryVerdict {
  fail?: string;
  error?: string;
}

export function isPass(v: Value | undefined): boolean {
  return v === true || (typeof v === 'string' && v.trim().toUpperCase() === 'PASS');
}

/**
 * The files (newest first) whose status the rules need, or why the rules cannot be judged.
 * `files` must be sorted newest first.
 */
export function historyRange(files: readonly ListedFile[], rules: FileRules, now: number): { take: number } | { error: string } {
  let take = 0;
  if (rules.consecutive !== undefined) take = Math.min(rules.consecutive, files.length);
  if (rules.noFailuresWithin !== undefined) {
    const from = now - rules.noFailuresWithin;
    let inWindow = 0;
    while (inWindow < files.length && files[inWindow]!.mtimeMs >= from) inWindow++;
    if (inWindow > MAX_HISTORY_FILES) {
      return { error: `more than ${MAX_HISTORY_FILES} files modified within ${formatDuration(rules.noFailuresWithin)}: too many to check (move old reports away or shorten no_failures_within)` };
    }
    take = Math.max(take, inWindow);
  }
  return { take };
}

/** `judged` is the newest-first prefix that `historyRange` asked for. */
export function judgeHistory(judged: readonly JudgedFile[], totalFiles: number, rules: FileRules, now: number, label = (f: ListedFile) => f.name): HistoryVerdict {
  const fails: string[] = [];
  const errors: string[] = [];
  const n = rules.consecutive;
  if (n !== undefined) {
    if (totalFiles < n) {
      fails.push(`only ${totalFiles} file${totalFiles === 1 ? '' : 's'}: consecutive: ${n} needs the newest ${n} to be PASS`);
    } else {
      const bad = judged.slice(0, n).find((f) => f.error === undefined && !isPass(f.status));
      const unread = judged.slice(0, n).find((f) => f.error !== undefined);
      if (bad) fails.push(`${label(bad)} is ${statusWord(bad.status)}: the newest ${n} must all be PASS`);
      else if (unread) errors.push(`consecutive: ${n}: ${unread.error}`);
    }
  }
  const w = rules.noFailuresWithin;
  if (w !== undefined) {
    const inWindow = judged.filter((f) => f.mtimeMs >= now - w);
    const bad = inWindow.filter((f) => f.error === undefined && !isPass(f.status));
    const unread = inWindow.find((f) => f.error !== undefined);
    if (bad.length > 0) {
      const f = bad[0]!;
      const more = bad.length > 1 ? ` (and ${bad.length - 1} more)` : '';
      fails.push(`${label(f)} is ${statusWord(f.status)}, modified ${formatDuration(Math.max(0, now - f.mtimeMs))} ago: no failures allowed within ${formatDuration(w)}${more}`);
    } else if (unread) errors.push(`no_failures_within: ${formatDuration(w)}: ${unread.error}`);
  }
  const out: HistoryVerdict = {};
  if (fails.length) out.fail = fails.join('; ');
  else if (errors.length) out.error = errors.join('; ');
  return out;
}

function statusWord(v: Value | undefined): string {
  if (v === undefined) return 'unknown';
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/**
 * The value at a dotted path (`summary.passed`, `checks.0.ok`) of a parsed JSON document.
 * Only own properties are followed, so `__proto__` or `constructor` never reach the prototype.
 */
export function fieldAt(doc: unknown, path: string): { found: true; value: unknown } | { found: false; missing: string } {
  let v = doc;
  const parts = path.split('.');
  for (let i = 0; i < parts.length; i++) {
    const key = parts[i]!;
    const ok = v !== null && typeof v === 'object' && (Array.isArray(v) ? /^(0|[1-9]\d*)$/.test(key) && Number(key) < v.length : Object.prototype.hasOwnProperty.call(v, key));
    if (!ok) return { found: false, missing: parts.slice(0, i + 1).join('.') };
    v = (v as Record<string, unknown>)[key];
  }
  return { found: true, value: v };
}
