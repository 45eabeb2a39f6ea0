/**
 * One redactor per configuration, for every way text leaves the program (screen, check
 * output, --record). Environment values of at least MIN_SECRET_LENGTH characters are replaced
 * wherever they appear. Shorter ones cannot be: replacing every "ab" in a report destroys it.
 * They are masked where they were substituted instead: each config string that took an
 * environment value (`http://host/${T}/metrics`, `Bearer ${T}`) is replaced, as a whole, by
 * its masked form, which is how such a value reaches a message (URLs in errors, header values).
 */
import { MIN_SECRET_LENGTH, redact } from './redact.js';

export interface SecretSpec {
  secrets: readonly string[];
  /** Substituted config strings as used and as shown. */
  secretMasks?: readonly { value: string; masked: string }[];
}

export interface Redactor {
  (text: string): string;
  /** False when there is nothing to hide: callers may skip the work. */
  readonly active: boolean;
  /** A config value: also masked when it is exactly a substituted string, however short. */
  value(text: string): string;
}

export function makeRedactor(spec: SecretSpec): Redactor {
  const secrets = [...new Set(spec.secrets.filter((s) => s.length >= MIN_SECRET_LENGTH))];
  const exact = new Map<string, string>();
  const pairs = new Map<string, string>();
  for (const m of spec.secretMasks ?? []) {
    exact.set(m.value, m.masked);
    if (m.value.length >= MIN_SECRET_LENGTH) pairs.set(m.value, m.masked);
    // Messages show URLs without their query or fragment (displayUrl).
    const cut = m.value.search(/[?#]/);
    if (cut >= MIN_SECRET_LENGTH) {
      const shortMasked = m.masked.slice(0, m.masked.search(/[?#]/) >= 0 ? m.masked.search(/[?#]/) : undefined);
      if (m.value.slice(0, cut) !== shortMasked) pairs.set(m.value.slice(0, cut), shortMasked);
    }
  }
  // Longest first, so a string containing another is masked whole.
  const ordered = [...pairs].sort((a, b) => b[0].length - a[0].length);
  const active = secrets.length > 0 || exact.size > 0;
  const text = (t: string): string => {
    if (!active) return t;
    let out = String(t);
    for (const [real, masked] of ordered) if (out.includes(real)) out = out.split(real).join(masked);
    return redact(out, secrets);
  };
  return Object.assign(text, {
    active,
    value: (t: string) => exact.get(t) ?? text(t),
  });
}

function isPlain(v: object): boolean {
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null || Array.isArray(v);
}

/**
 * Every string (keys too) of a JSON-like value redacted. Unchanged branches keep their
 * identity, so a store subscriber sees no change where there is none.
 */
export function redactDeep<T>(value: T, r: (s: string) => string, skipKeys: readonly string[] = []): T {
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return r(v);
    if (v === null || typeof v !== 'object' || depth > 64 || !isPlain(v)) return v;
    if (Array.isArray(v)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const x = walk(v[i], depth + 1);
        if (x !== v[i]) (out ??= v.slice())[i] = x;
      }
      return out ?? v;
    }
    let changed = false;
    const next: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const skip = depth === 0 && skipKeys.includes(k);
      const nk = skip ? k : r(k);
      const nx = skip ? x : walk(x, depth + 1);
      if (nk !== k || nx !== x) changed = true;
      Object.defineProperty(next, nk, { value: nx, enumerable: true, writable: true, configurable: true });
    }
    return changed ? next : v;
  };
  return walk(value, 0) as T;
}

/** The startup warning for values too short to redact everywhere: names only, never values. */
export function shortSecretWarning(names: readonly string[]): string | undefined {
  if (names.length === 0) return undefined;
  return `environment value${names.length > 1 ? 's' : ''} shorter than ${MIN_SECRET_LENGTH} characters (${names.join(', ')}): masked where substituted, but not redacted from other text (command output, remote messages); use longer secrets`;
}
