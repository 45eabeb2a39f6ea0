/**
 * JSONPath for http gates (jsonpath-plus with its safe evaluator). A gate shows one value, so
 * a path must match exactly one scalar: none or several is an error, never a silent pick of
 * the first, and an object or array is not a value a threshold can compare.
 */
import { JSONPath } from 'jsonpath-plus';
import type { Value } from '../core/types.js';
import { oneLine } from '../util/sanitize.js';

// The syntax check runs at config time; named here too for the path's other callers.
export { checkJsonPathSyntax } from '../config/jsonPathSyntax.js';

export type JsonPathOutcome = { ok: true; value: Value } | { ok: false; error: string };

/** The one scalar `path` selects in `doc` (already parsed JSON). */
export function extractJsonPath(doc: unknown, path: string): JsonPathOutcome {
  let found: unknown[];
  try {
    found = JSONPath({ path, json: doc as object, wrap: true, eval: 'safe' }) as unknown[];
  } catch (e) {
    return { ok: false, error: oneLine(`json_path ${path}: ${e instanceof Error ? e.message : String(e)}`, 200) };
  }
  if (!Array.isArray(found) || found.length === 0) return { ok: false, error: `json_path ${path} matches nothing in the answer` };
  if (found.length > 1) {
    const shown = found.slice(0, 3).map((v) => preview(v));
    return { ok: false, error: `json_path ${path} matches ${found.length} values (${shown.join(', ')}${found.length > 3 ? ', …' : ''}); narrow it to one` };
  }
  const v = found[0];
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return { ok: true, value: v };
  if (v === null) return { ok: false, error: `json_path ${path} is null` };
  return { ok: false, error: `json_path ${path} is ${Array.isArray(v) ? 'a list' : 'an object'} (${preview(v)}), not a value; select a field inside it` };
}

function preview(v: unknown): string {
  return oneLine(JSON.stringify(v) ?? String(v), 40);
}
