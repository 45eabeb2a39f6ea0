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

export function interpolateString(s: string, env: Env): StringResult {
  if (!s.includes('$')) return { value: s, secrets: [], errors: [] };
  let out = '';
  const secrets: string[] = [];
  const errors: string[] = [];
  let i = 0;
  while (i < s.length) {
    if (s.startsWith('$${', i)) {
      out += '${';
      i += 3;
      continue;
    }
    if (s.startsWith('${', i)) {
      const end = s.indexOf('}', i + 2);
      if (end < 0) {
        errors.push('unclosed "${" (write $${ for a literal ${)');
        out += s.slice(i);
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
          secrets.push(v);
        }
      }
      i = end + 1;
      continue;
    }
    out += s[i];
    i += 1;
  }
  // On error the original text stays, so later checks do not pile up follow-on problems.
  return errors.length ? { value: s, secrets, errors } : { value: out, secrets, errors };
}

export interface TreeResult {
  value: unknown;
  secrets: string[];
  problems: PathProblem[];
  /** Paths whose string value took something from the environment. */
  substituted: Path[];
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
  const ancestors = new Set<object>();

  const walk = (v: unknown, path: Path): unknown => {
    if (typeof v === 'string') {
      const r = interpolateString(v, env);
      for (const e of r.errors) problems.push({ path, message: e });
      if (r.secrets.length) {
        secrets.push(...r.secrets);
        substituted.push(path);
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
  return { value, secrets, problems, substituted };
}
