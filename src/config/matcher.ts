/**
 * The Alertmanager label-matcher grammar (`name="value"`, `!=`, `=~`, `!~`), pure: the config
 * checks a gate's `filter` with it, and the alertmanager source (sources/alertMatch.ts) matches
 * silences with what it parses.
 */

export interface Matcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

const NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const SHAPE = /^\s*([^=!~"\s]+)\s*(=~|!~|!=|=)\s*(.*?)\s*$/s;

/**
 * `name="value"`, `name!="value"`, `name=~"regex"`, `name!~"regex"`, as Alertmanager's API
 * parses a `filter` entry (the value may also be bare; `\"`, `\\` and `\n` are escapes).
 * Throws with a message fit for a config problem.
 */
export function parseMatcher(text: string): Matcher {
  const m = SHAPE.exec(text);
  if (!m) throw new Error(`"${text}" is not a label matcher: write name="value" (or != =~ !~)`);
  const [, name, op, rawValue] = m as unknown as [string, string, string, string];
  if (!NAME.test(name)) throw new Error(`"${name}" is not a valid label name`);
  let raw = rawValue;
  const quoted = raw.startsWith('"');
  if (quoted) {
    if (raw.length < 2 || !raw.endsWith('"')) throw new Error(`the value of "${text}" has no closing quote`);
    raw = raw.slice(1, -1);
  }
  let value = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\') {
      const next = raw[i + 1];
      if (next === '\\' || next === '"') value += next;
      else if (next === 'n') value += '\n';
      else throw new Error(`"${text}": unknown escape \\${next ?? ''} (use \\\\, \\" or \\n)`);
      i++;
    } else if (c === '"') {
      throw new Error(`"${text}": unescaped " inside the value`);
    } else {
      value += c;
    }
  }
  const isRegex = op === '=~' || op === '!~';
  if (isRegex && compileAnchored(value) === undefined) throw new Error(`"${text}": ${JSON.stringify(value)} is not a valid regular expression`);
  return { name, value, isRegex, isEqual: op === '=' || op === '=~' };
}

const regexCache = new Map<string, RegExp | null>();
/** An Alertmanager-anchored regex, or undefined when JavaScript cannot compile it. */
export function compileAnchored(re: string): RegExp | undefined {
  let r = regexCache.get(re);
  if (r === undefined) {
    try {
      r = new RegExp(`^(?:${re})$`, 's');
    } catch {
      r = null;
    }
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(re, r);
  }
  return r ?? undefined;
}

