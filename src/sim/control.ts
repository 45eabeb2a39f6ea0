/** Validation of control API bodies (pure): a clear 400 message instead of a guess. */
import type { ControlRequest } from './model.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const MAX_TEXT = 500;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optionalText(body: Record<string, unknown>, field: string): Parsed<string | undefined> {
  const v = body[field];
  if (v === undefined || v === null) return { ok: true, value: undefined };
  if (typeof v !== 'string') return { ok: false, message: `"${field}" must be a string` };
  if (v.length > MAX_TEXT) return { ok: false, message: `"${field}" is longer than ${MAX_TEXT} characters` };
  return { ok: true, value: v };
}

function describe(v: unknown): string {
  if (typeof v === 'string') return `"${v.slice(0, 40)}" (a string)`;
  if (v === undefined) return 'nothing';
  return JSON.stringify(v)?.slice(0, 40) ?? String(v);
}

/** `POST /admin/kill-switch {enabled, reason, actor}`; `enabled` defaults to true. */
export function parseKillSwitch(body: unknown, idempotencyKey?: string): Parsed<ControlRequest> {
  if (!isObject(body)) return { ok: false, message: 'body must be a JSON object like {"enabled": true, "reason": "…", "actor": "…"}' };
  const enabled = body.enabled ?? true;
  if (typeof enabled !== 'boolean') return { ok: false, message: `"enabled" must be true or false, got ${describe(body.enabled)}` };
  const who = attribution(body, idempotencyKey);
  return who.ok ? { ok: true, value: { kind: 'kill', enabled, ...who.value } } : who;
}

/** `POST /admin/influence {"pct": N}` with N an integer 0..100 (a JSON number, not a string). */
export function parseInfluence(body: unknown, idempotencyKey?: string): Parsed<ControlRequest> {
  if (!isObject(body)) return { ok: false, message: 'body must be a JSON object like {"pct": 25}' };
  const pct = body.pct;
  if (typeof pct !== 'number' || !Number.isInteger(pct) || pct < 0 || pct > 100) {
    return { ok: false, message: `"pct" must be an integer from 0 to 100, got ${describe(pct)}` };
  }
  const who = attribution(body, idempotencyKey);
  return who.ok ? { ok: true, value: { kind: 'set', pct, ...who.value } } : who;
}

/** Who asked and why, common to every control request. */
function attribution(
  body: Record<string, unknown>,
  idempotencyKey: string | undefined,
): Parsed<{ actor?: string; reason?: string; idempotencyKey?: string }> {
  const reason = optionalText(body, 'reason');
  if (!reason.ok) return reason;
  const actor = optionalText(body, 'actor');
  if (!actor.ok) return actor;
  return {
    ok: true,
    value: {
      ...(actor.value !== undefined ? { actor: actor.value } : {}),
      ...(reason.value !== undefined ? { reason: reason.value } : {}),
      ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
    },
  };
}
