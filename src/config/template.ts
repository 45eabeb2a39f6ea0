/**
 * Placeholders in action configs: `{{actor}}`, `{{reason}}`, `{{pct}}`, and a runbook's own
 * params (`{{mode}}`, SPEC §9.5). Pure; no I/O.
 * Every value is substituted into one string at a time and never joined into a command
 * line, so a reason like `a; rm -rf /` stays one literal argument.
 */
import { parseThreshold, type Threshold } from './threshold.js';

export interface TemplateParams {
  actor: string;
  reason?: string;
  pct?: number;
  /** A runbook's params, already validated (src/actions/runbookParams.ts). */
  vars?: Readonly<Record<string, string | number>>;
}

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const EXACT = /^\{\{\s*([^{}]*?)\s*\}\}$/;
const KNOWN = ['actor', 'reason', 'pct'] as const;

function lookup(name: string, params: TemplateParams): string {
  if (params.vars && Object.hasOwn(params.vars, name)) return String(params.vars[name]);
  switch (name) {
    case 'actor':
      return params.actor;
    case 'reason':
      // An action without a reason (kill-switch from a key press) is normal: empty text.
      return params.reason ?? '';
    case 'pct':
      if (params.pct === undefined || !Number.isFinite(params.pct)) {
        throw new Error('{{pct}} is used but this action was given no percentage');
      }
      return String(params.pct);
    default:
      throw new Error(`unknown placeholder {{${name}}}: only ${KNOWN.map((k) => `{{${k}}}`).join(' ')} are allowed`);
  }
}

/** Substitutes every placeholder in one string; throws on an unknown one. */
export function renderString(text: string, params: TemplateParams): string {
  return text.replace(PLACEHOLDER, (_m, name: string) => lookup(name, params));
}

/**
 * Walks a JSON value and substitutes placeholders in its string leaves (not in keys). A
 * string that is exactly `{{pct}}` becomes the number, so bodies can carry `"pct": "{{pct}}"`
 * and send a JSON number.
 */
export function renderTemplate(value: unknown, params: TemplateParams): unknown {
  if (typeof value === 'string') {
    const exact = EXACT.exec(value)?.[1];
    // A runbook's pct param is a number too: "{{p}}" alone sends a JSON number.
    if (exact !== undefined && params.vars && Object.hasOwn(params.vars, exact)) return params.vars[exact];
    if (exact === 'pct') {
      lookup('pct', params); // same error as everywhere else when pct is missing
      return params.pct;
    }
    return renderString(value, params);
  }
  if (Array.isArray(value)) return value.map((v) => renderTemplate(v, params));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = renderTemplate(v, params);
    return out;
  }
  return value;
}

/** Each argv element rendered on its own; the result goes to spawn without a shell. */
export function renderArgv(argv: readonly string[], params: TemplateParams): string[] {
  return argv.map((a) => renderString(String(a), params));
}

/** The verify expectation (`== {{pct}}`) after substitution, parsed. */
export function renderExpect(expect: string, params: TemplateParams): Threshold {
  return parseThreshold(renderString(expect, params));
}

/** Every placeholder name in a string, a JSON value's string leaves or an argv, for config checks. */
export function placeholdersIn(value: unknown): string[] {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') for (const m of v.matchAll(PLACEHOLDER)) out.add(m[1]!);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v as Record<string, unknown>).forEach(walk);
  };
  walk(value);
  return [...out];
}
