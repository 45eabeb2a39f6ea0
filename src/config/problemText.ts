/** Config problems in words for someone editing YAML: zod issues reworded, "did you mean" for unknown keys. */
import type { z } from 'zod';
import type { Path } from './interpolate.js';
import { KNOWN_KEYS, kindOf, NOTIFY_SINK_TYPES, SOURCE_TYPES } from './schema.js';

export interface BuildProblem {
  path: Path;
  message: string;
  /** Point at the key itself (unknown keys), not at its value. */
  atKey?: boolean;
}

export function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function at(root: unknown, rel: readonly PropertyKey[]): unknown {
  let v = root;
  for (const seg of rel) {
    if (v === null || typeof v !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(v, seg)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length]!;
}

export function suggestKey(key: string, known: readonly string[] = KNOWN_KEYS): string {
  if (key.length > 40) return '';
  const k = key.toLowerCase().replace(/-/g, '_');
  let best = '';
  let bestD = Infinity;
  for (const cand of new Set(known)) {
    const dd = distance(k, cand);
    if (dd < bestD) {
      bestD = dd;
      best = cand;
    }
  }
  return bestD > 0 && bestD <= Math.max(1, Math.floor(best.length / 4)) ? ` (did you mean "${best}"?)` : '';
}

const NOUN: Record<string, string> = { int: 'a whole number', object: 'a mapping', array: 'a list', string: 'text', number: 'a number', boolean: 'true or false' };

/** zod issues, reworded for someone editing YAML, with absolute paths. */
export function translate(issue: z.core.$ZodIssue, value: unknown, base: Path, known: readonly string[]): BuildProblem[] {
  const rel = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
  const path = [...base, ...rel];
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => ({ path: [...path, k], message: `unknown key "${k}"${suggestKey(k, known)}`, atKey: true }));
    case 'invalid_type': {
      const got = at(value, rel);
      if (got === undefined) return [{ path, message: 'required key is missing' }];
      return [{ path, message: `expected ${NOUN[issue.expected] ?? issue.expected}, got ${kindOf(got)}` }];
    }
    case 'invalid_union': {
      if ('discriminator' in issue && issue.discriminator) {
        const got = at(value, rel);
        const sink = base[0] === 'notify';
        const list = sink ? NOTIFY_SINK_TYPES.join(', ') : SOURCE_TYPES.join(', ');
        if (got === undefined) return [{ path, message: `required key is missing: one of ${list}` }];
        return [{ path, message: `unknown ${sink ? 'sink' : 'source'} type ${typeof got === 'string' ? `"${got}"` : kindOf(got)}: expected one of ${list}` }];
      }
      return [{ path, message: issue.message }];
    }
    case 'invalid_value': {
      const vals = issue.values.map((v) => String(v));
      return [{ path, message: vals.length === 1 ? `must be ${vals[0]}` : `must be one of ${vals.join(', ')}` }];
    }
    default:
      return [{ path, message: issue.message }];
  }
}
