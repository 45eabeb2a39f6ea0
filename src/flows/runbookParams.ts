/**
 * A runbook's typed params (SPEC §9.5): what a person may type or pick for each, checked when
 * typed and again at the act, so a value the prompt would refuse is never sent. Pure.
 */
import type { RunbookParam } from '../config/types.js';
import { stripControl } from '../util/sanitize.js';
import { parsePct, type Parsed } from './validate.js';
import { DEFAULT_TEXT_MAX, type ParamValues } from '../config/runbookParams.js';

// The limits and sample values config checks runbooks with; named here for the prompt's callers.
export { DEFAULT_TEXT_MAX, sampleValues, TEXT_MAX_LIMIT, type ParamValues } from '../config/runbookParams.js';

/**
 * What a typed value may not start with once it is put into a command's arguments: getopt
 * reads a leading `-` as an option, and curl (`-d @file`, `-F name=@file`, `-F name=<file`),
 * response files (`@args`) and many more read `@` or `<` as "read this file". Refused even
 * inside an element (`-F note={{note}}` makes `note=@/etc/hostname`): the runbook's
 * tool decides what its arguments mean, not warroom.
 */
const ARGV_LEAD = /^[-@<]/;
const ARGV_LEAD_WHY = 'a command reads - as an option, @ and < as files';

/** Why `value`, typed for `label`, may not go into an argv, or undefined. */
export function argvTextRefusal(label: string, value: string): string | undefined {
  return ARGV_LEAD.test(value) ? `${label} may not start with "${value[0]}": ${ARGV_LEAD_WHY}` : undefined;
}

export function paramLabel(p: RunbookParam): string {
  return p.label ?? p.name;
}

/** The value typed (pct, text) or picked (choice, by its text) for `p`. */
export function parseParam(p: RunbookParam, raw: string): Parsed<string | number> {
  switch (p.kind) {
    case 'pct': {
      const r = parsePct(raw);
      return r.ok ? r : { ok: false, error: `${paramLabel(p)}: ${r.error.replace(/^type the new influence: /, '')}` };
    }
    case 'choice': {
      const choices = p.choices ?? [];
      return choices.includes(raw) ? { ok: true, value: raw } : { ok: false, error: `${paramLabel(p)} must be one of ${choices.join(', ')}` };
    }
    case 'text': {
      // One line: terminal controls and line breaks never reach a request body or an argv.
      const s = stripControl(raw, { keepNewlines: false }).replace(/\s+/g, ' ').trim();
      const max = p.maxLength ?? DEFAULT_TEXT_MAX;
      if (s === '') return { ok: false, error: `${paramLabel(p)} is required` };
      if (Array.from(s).length > max) return { ok: false, error: `${paramLabel(p)} must be at most ${max} characters` };
      const lead = p.inArgv ? argvTextRefusal(paramLabel(p), s) : undefined;
      if (lead) return { ok: false, error: lead };
      return { ok: true, value: s };
    }
  }
}

/** Why `values` may not be sent for these params (missing, extra or not valid), or undefined. */
export function paramsRefusal(params: readonly RunbookParam[], values: Readonly<Record<string, unknown>>): string | undefined {
  for (const k of Object.keys(values)) if (!params.some((p) => p.name === k)) return `unknown param "${k}"`;
  for (const p of params) {
    const v = values[p.name];
    if (v === undefined) return `param ${p.name} is missing`;
    if (p.kind === 'pct' ? typeof v !== 'number' : typeof v !== 'string') return `param ${p.name} has the wrong type`;
    const r = parseParam(p, String(v));
    if (!r.ok) return r.error;
    if (r.value !== v) return `param ${p.name} is not in its checked form`;
  }
  return undefined;
}

/** `mode=balanced, pct=10`: the params as the screen, the ledger's reason and the feed show them. */
export function paramsText(values: Readonly<Record<string, string | number>>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
}

