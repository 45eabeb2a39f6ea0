/** Validation of what a person types at a prompt step. Pure; errors are prompt text. */
import { parseWhen } from '../config/duration.js';
import { MAX_WAIVER_MS, type FlowContext } from './types.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export function parsePct(text: string): Parsed<number> {
  const s = text.trim();
  if (s === '') return { ok: false, error: 'type the new influence: a whole number 0-100' };
  const m = /^(\d{1,3})\s*%?$/.exec(s);
  const n = m ? Number(m[1]) : NaN;
  const shown = s.length > 12 ? `${s.slice(0, 12)}…` : s;
  if (!m || n > 100) return { ok: false, error: `pct must be a whole number 0-100 (got "${shown}")` };
  return { ok: true, value: n };
}

export function pctText(p: number | undefined): string {
  return p === undefined ? '?%' : `${p}%`;
}

/**
 * Why a reason line is asked before changing influence, or undefined when it is not:
 * an increase above max_step (unknown current influence counts as 0%), or a light that is not GO.
 */
export function reasonRequired(from: number | undefined, to: number, ctx: FlowContext): string | undefined {
  const why: string[] = [];
  if (to - (from ?? 0) > ctx.maxStep) {
    const unknown = from === undefined ? ' (current influence unknown, counted as 0%)' : '';
    why.push(`step ${pctText(from)} → ${to}% is above max_step ${ctx.maxStep}${unknown}`);
  }
  if (ctx.overall !== 'GO') why.push(`light is ${ctx.overall}`);
  return why.length ? why.join('; ') : undefined;
}

export function parseText(text: string, what: string): Parsed<string> {
  const s = text.trim();
  return s === '' ? { ok: false, error: `${what} is required` } : { ok: true, value: s };
}

function parseFuture(text: string, now: number, what: string): Parsed<number> {
  if (text.trim() === '') return { ok: false, error: `type the ${what}: 4h, 14:30 (UTC) or an ISO time` };
  let t: number;
  try {
    t = parseWhen(text, now);
  } catch (e) {
    return { ok: false, error: `${what}: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!Number.isFinite(t)) return { ok: false, error: `${what}: "${text.trim()}" is not a time` };
  if (t <= now) return { ok: false, error: `${what} must be in the future` };
  return { ok: true, value: t };
}

export function parseReview(text: string, ctx: FlowContext): Parsed<number> {
  return parseFuture(text, ctx.now, 'next review');
}

export function parseExpiry(text: string, ctx: FlowContext): Parsed<number> {
  const r = parseFuture(text, ctx.now, 'expiry');
  if (r.ok && r.value - ctx.now > MAX_WAIVER_MS) return { ok: false, error: 'expiry must be at most 7 days away' };
  return r;
}
