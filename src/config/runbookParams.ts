/** What config knows of runbook params before any prompt: the text limits and sample values to test templates with. */
import type { RunbookParam } from './types.js';

/** Longest text param unless the config says otherwise, and the most it may say. */
export const DEFAULT_TEXT_MAX = 80;
export const TEXT_MAX_LIMIT = 200;

export type ParamValues = Record<string, string | number>;

/** A sample value per param, so a config's `expect: "== {{p}}"` can be checked before anything runs. */
export function sampleValues(params: readonly RunbookParam[]): ParamValues {
  const out: ParamValues = {};
  for (const p of params) out[p.name] = p.kind === 'pct' ? 0 : p.kind === 'choice' ? (p.choices?.[0] ?? 'x') : 'x';
  return out;
}
