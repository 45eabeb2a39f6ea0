/**
 * `${NAME}` substitution from the environment, applied to every string value of the parsed
 * YAML tree (never to keys). `$${` is a literal `${`. Substituted values are collected so
 * the rest of the program can keep them out of every output; problem messages here name
 * the variable, never its value.
 */
export type Path = (string | number)[];
export interface PathProblem {
  path: Path;
  message: string;
}

export type Env = Record<string, string | undefined>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface StringResult {
  value: string;
  /** Values taken from the environment (may repeat). */
  secrets: string[];
  errors: string[];
}

/** What stands in for an environment value wherever it must not be shown. */
export const MASK = '[redacted]';

interface Substitution extends StringResult {
  /** The value with every environment value replaced by MASK: what may be shown instead. */
  masked: string;
  /** Variable names used, with their values (may repeat). */
  used: { name: string; value: string }[];
}

export function interpolateString(s: string, env: Env): StringResult {
  const { value, secrets, errors } = substitute(s, env);
  return { value, secrets, errors };
}

function substitute(s: string, env: Env): Substitution {
  if (!s.includes('$')) return { value: s, masked: s, secrets: [], errors: [], used: [] };
  let out = '';
  let masked = '';
  const secrets: string[] = [];
  const errors: string[] = [];
  const used: { name: string; value: string }[] = [];
  let i = 0;
  while (i < s.length) {
    if (s.startsWith('$${', i)) {
      out += '${';
      masked += '${';
      i += 3;
      continue;
    }
    if (s.startsWith('${', i)) {
      const end = s.indexOf('}', i + 2);
      if (end < 0) {
        errors.push('unclosed "${" (write $${ for a literal ${)');
        out += s.slice(i);
        masked += s.slice(i);
        break;
      }
      const name = s.slice(i + 2, end);
      if (!NAME.test(name)) {
        errors.push(`"\${${name.slice(0, 40)}}" is not a variable reference: names are letters, digits and _ (write $\${ for a literal \${)`);
      } else {
        const v = env[name];
        if (v === undefined) errors.push(`environment variable ${name} is not set`);
        else {
          out += v;
          masked += v === '' ? '' : MASK;
          secrets.push(v);
          used.push({ name, value: v });
        }
      }
      i = end + 1;
      continue;
    }
    out += s[i];
    masked += s[i];
    i += 1;
  }
  // On error the original text stays, so later checks do not pile up follow-on problems.
  return errors.length ? { value: s, masked: s, secrets, errors, used } : { value: out, masked, secrets, errors, used };
}

export interface TreeResult {
  value: unknown;
  secrets: string[];
  problems: PathProblem[];
  /** Paths whose string value took something from the environment. */
  substituted: Path[];
  /** Each substituted string as used and as it may be shown (MASK for every environment value). */
  masks: { value: string; masked: string }[];
  /** Variables substituted, with the length of their value, for the short-value warning. */
  used: { name: string; length: number }[];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Copies the tree with every string interpolated. Cycles (recursive YAML aliases) are problems. */
export function interpolateTree(root: unknown, env: Env): TreeResult {
  const secrets: string[] = [];
  const problems: PathProblem[] = [];
  const substituted: Path[] = [];
  const masks: { value: string; masked: string }[] = [];
  const used = new Map<string, number>();
  const ancestors = new Set<object>();

  const walk = (v: unknown, path: Path): unknown => {
    if (typeof v === 'string') {
      const r = substitute(v, env);
      for (const e of r.errors) problems.push({ path, message: e });
      if (r.secrets.length) {
        secrets.push(...r.secrets);
        substituted.push(path);
        if (r.value !== r.masked) masks.push({ value: r.value, masked: r.masked });
        for (const u of r.used) used.set(u.name, u.value.length);
      }
      return r.value;
    }
    if (Array.isArray(v) || isPlainObject(v)) {
      if (ancestors.has(v)) {
        problems.push({ path, message: 'recursive alias: a value contains itself' });
        return null;
      }
      ancestors.add(v);
      try {
        if (Array.isArray(v)) return v.map((item, i) => walk(item, [...path, i]));
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(v)) {
          // defineProperty: a YAML key "__proto__" must stay an ordinary (unknown) key.
          Object.defineProperty(out, k, { value: walk(v[k], [...path, k]), enumerable: true, writable: true, configurable: true });
        }
        return out;
      } finally {
        ancestors.delete(v);
      }
    }
    return v;
  };

  const value = walk(root, []);
  return { value, secrets, problems, substituted, masks, used: [...used].map(([name, length]) => ({ name, length })) };
}
