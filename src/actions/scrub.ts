import { formatDuration } from '../config/duration.js';
import type { ActionConfig } from '../config/types.js';
import { redact } from '../util/redact.js';
import { oneLine, stripControl } from '../util/sanitize.js';
import type { Scrub } from './attempt.js';

/**
 * Header values are credentials more often than not (`Authorization: Bearer …`), so they
 * are treated like secrets, and so is the token part of `Scheme token`. Very short values
 * are skipped: redacting "1" everywhere would garble every message while hiding nothing.
 */
export function secretsFor(config: ActionConfig, extra: readonly string[] = []): string[] {
  const out = new Set<string>();
  for (const s of extra) if (typeof s === 'string' && s.length > 0) out.add(s);
  if (config.kind === 'http') {
    for (const v of Object.values(config.headers ?? {})) {
      const value = String(v);
      if (value.length >= 4) out.add(value);
      const token = value.split(/\s+/).slice(1).join(' ');
      if (token.length >= 4) out.add(token);
    }
  }
  // Longest first, so a secret that contains another is redacted whole.
  return [...out].sort((a, b) => b.length - a.length);
}

export function makeScrub(secrets: readonly string[]): Scrub {
  // Strip before redacting: control bytes inside a secret must not smuggle it past redact().
  return (text, max = 500) => oneLine(redact(stripControl(String(text)), secrets), max);
}

/** A URL for messages: the one display rule (util/url.ts). */
export { displayUrl } from '../util/url.js';

/** argv for messages: elements with spaces or quotes shown quoted, so the boundaries are visible. */
export function displayArgv(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

/** Durations in messages: exact below a minute (formatDuration rounds 800ms to "1s"). */
export function showDuration(ms: number): string {
  if (Number.isFinite(ms) && ms >= 0 && ms < 60_000 && ms % 1000 !== 0) {
    return ms < 1000 ? `${Math.round(ms)}ms` : `${+(ms / 1000).toFixed(3)}s`;
  }
  return formatDuration(ms);
}
