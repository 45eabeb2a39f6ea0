/**
 * The building blocks of the config schemas (durations, thresholds, ids, URLs, headers): a leaf
 * the section schemas (schema.ts) and the source-type modules (sources/*.ts) both build on.
 */
import * as z from './z.js';
import { parseDuration } from './duration.js';
import { parseThreshold, type Threshold } from './threshold.js';
import { stripControl } from '../util/sanitize.js';

// A config is validated once per run: zod's default of generating and compiling a fast
// parser per object schema on first use costs more than it saves (~12 ms of startup, measured).
z.config({ jitless: true });

export const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** A duration: `500ms 30s 5m 2h 1h30m`; a bare 0 is allowed. */
export function duration(opts: { min?: number; minText?: string } = {}) {
  return z.unknown().transform((v, ctx): number => {
    let ms: number;
    if (typeof v === 'number') {
      if (v !== 0) {
        ctx.addIssue({ code: 'custom', message: `duration ${v} needs a unit (ms, s, m, h), e.g. "${v}s"` });
        return z.NEVER;
      }
      ms = 0;
    } else if (typeof v === 'string') {
      try {
        ms = parseDuration(v);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: errText(e) });
        return z.NEVER;
      }
      if (!Number.isSafeInteger(ms)) {
        ctx.addIssue({ code: 'custom', message: `duration "${v}" is too long` });
        return z.NEVER;
      }
    } else {
      ctx.addIssue({ code: 'custom', message: `expected a duration like 30s, 5m or 1h30m, got ${kindOf(v)}` });
      return z.NEVER;
    }
    if (opts.min !== undefined && ms < opts.min) {
      ctx.addIssue({ code: 'custom', message: `must be at least ${opts.minText ?? `${opts.min}ms`}` });
      return z.NEVER;
    }
    return ms;
  });
}

/** A threshold `OP VALUE`. `template` values are checked with `{{pct}}` replaced by 0. */
export function threshold() {
  return z.unknown().transform((v, ctx): Threshold => {
    if (typeof v === 'string') {
      try {
        return parseThreshold(v);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: errText(e) });
        return z.NEVER;
      }
    }
    const hint = typeof v === 'number' || typeof v === 'boolean' ? ` (write "== ${String(v)}")` : '';
    ctx.addIssue({ code: 'custom', message: `expected a threshold like ">= 0.9" or "== 0", got ${kindOf(v)}${hint}` });
    return z.NEVER;
  });
}

/** `expect:` of a verify step: a threshold once `{{pct}}` is filled in; kept as text. */
export function expectTemplate() {
  return z.unknown().transform((v, ctx): string => {
    if (typeof v !== 'string') {
      const hint = typeof v === 'number' || typeof v === 'boolean' ? ` (write "== ${String(v)}")` : '';
      ctx.addIssue({ code: 'custom', message: `expected a threshold like "== {{pct}}", got ${kindOf(v)}${hint}` });
      return z.NEVER;
    }
    const leftover = /\{\{(?!pct\}\})[^}]*\}\}/.exec(v);
    if (leftover) {
      ctx.addIssue({ code: 'custom', message: `${leftover[0]} is not available here: expect may only use {{pct}}` });
      return z.NEVER;
    }
    try {
      parseThreshold(v.split('{{pct}}').join('0'));
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: errText(e) });
      return z.NEVER;
    }
    return v;
  });
}

/**
 * A percentage written with its sign, "90%", within [min, max] (a bare number is ambiguous: 0.9
 * or 90?); gives the number of percent. `what` and `example` name it in the message.
 */
export function percentIn(min: number, max: number, what: string, example: string) {
  return z.unknown().transform((v, ctx): number => {
    const m = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(v) : null;
    const n = m ? Number(m[1]) : NaN;
    if (!m || !(n >= min && n <= max)) {
      ctx.addIssue({ code: 'custom', message: `expected ${what} from ${min}% to ${max}% like "${example}", got ${typeof v === 'string' ? `"${v}"` : kindOf(v)}` });
      return z.NEVER;
    }
    return n;
  });
}

export function kindOf(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return 'text';
  return `${typeof v} ${String(v)}`;
}

/** Display text (titles, labels, names): non-empty, and no terminal control characters. */
export const text = z
  .string()
  .min(1, 'must not be empty')
  .refine((s) => stripControl(s, { keepNewlines: false }) === s, 'must not contain control characters or newlines');

export const ID = /^[a-z0-9][a-z0-9_.-]*$/i;
export const idString = (what: string) =>
  z.string().regex(ID, `${what} must start with a letter or digit and use only letters, digits, _ . -`);

export const ACTOR = /^[\w.@+-]{1,64}$/;

function urlString(protocols: string[]) {
  return z.string().superRefine((s, ctx) => {
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${s}" is not a URL` });
      return;
    }
    if (!protocols.includes(u.protocol)) {
      ctx.addIssue({ code: 'custom', message: `URL must start with ${protocols.map((p) => `${p}//`).join(' or ')}` });
    }
  });
}
export const httpUrl = urlString(['http:', 'https:']);
export const wsUrl = urlString(['ws:', 'wss:']);

export const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
export const headers = z.record(z.string(), z.string()).superRefine((h, ctx) => {
  for (const [k, v] of Object.entries(h)) {
    if (!TOKEN.test(k)) ctx.addIssue({ code: 'custom', path: [k], message: `"${k}" is not a valid HTTP header name` });
    // Checked without quoting the value: it may hold a secret.
    if (/[\r\n\0]/.test(v)) ctx.addIssue({ code: 'custom', path: [k], message: 'header value must not contain line breaks or NUL' });
  }
});

export const nonEmpty = z.string().min(1, 'must not be empty');
export const argv = z.array(nonEmpty).min(1, 'must list at least the program to run');
