/**
 * Canonical JSON: the one byte-exact form a hash is taken over, so that a line re-read from
 * disk (key order as written, any whitespace) hashes exactly as it did when it was chained.
 */
import { crypto } from '../util/nodeBuiltins.js';

/**
 * Keys sorted recursively (by UTF-16 code unit, as Array.prototype.sort does), no
 * whitespace, numbers as JS prints them, undefined object members dropped (in arrays they
 * become null, as JSON.stringify does). Non-finite numbers throw: callers must write them as
 * null first, because JSON has no spelling for them and a silent change would break hashes.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, '$');
}

function encode(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`canonicalJson: non-finite number at ${path}`);
      return JSON.stringify(value);
    case 'bigint':
      throw new Error(`canonicalJson: bigint at ${path}`);
    case 'object':
      break;
    default:
      // undefined, functions and symbols have no JSON form; members holding them are dropped.
      return 'null';
  }
  const obj = value as { toJSON?: () => unknown };
  if (typeof obj.toJSON === 'function') return encode(obj.toJSON(), path);
  if (Array.isArray(value)) {
    return '[' + value.map((v, i) => encode(v, `${path}[${i}]`)).join(',') + ']';
  }
  const rec = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(rec).sort()) {
    const v = rec[key];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    parts.push(JSON.stringify(key) + ':' + encode(v, `${path}.${key}`));
  }
  return '{' + parts.join(',') + '}';
}

export type TaggedHash = `sha256:${string}`;

export function sha256Tagged(text: string): TaggedHash {
  return `sha256:${crypto().createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

/**
 * A deep copy fit for canonicalJson: non-finite numbers become null and undefined members
 * are dropped, so recording a NaN reading (which must be auditable) never throws.
 */
export function jsonSafe<T>(value: T): T {
  return safe(value) as T;
}

function safe(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : safe(v)));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    out[k] = safe(v);
  }
  return out;
}
