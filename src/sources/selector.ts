/**
 * Series selectors as PromQL writes them — `name{a="v", b!="x", c=~"re", d!~"re"}` — for
 * picking samples out of a scraped exposition. Regexes are fully anchored, as in PromQL, and
 * a missing label counts as the empty string (so `a=""` matches series without `a`).
 */
import type { ExpoSample } from './exposition.js';

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  label: string;
  op: MatchOp;
  value: string;
  /** Compiled, anchored; only for =~ and !~. */
  re?: RegExp;
}

export interface Selector {
  /** Metric name, or undefined when only label matchers are given. */
  name?: string;
  matchers: Matcher[];
  /** The selector as written (trimmed), for messages. */
  text: string;
}

export class SelectorError extends Error {
  override name = 'SelectorError';
}

const NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const LABEL = /[a-zA-Z_][a-zA-Z0-9_]*/y;

export function parseSelector(input: string): Selector {
  const text = String(input).trim();
  const bad = (why: string): never => {
    throw new SelectorError(`invalid selector ${JSON.stringify(text)}: ${why}`);
  };
  if (text === '') bad('empty');
  let i = 0;
  const skip = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  };
  let name: string | undefined;
  NAME.lastIndex = 0;
  const m = NAME.exec(text);
  if (m) {
    name = m[0];
    i = NAME.lastIndex;
  }
  const matchers: Matcher[] = [];
  skip();
  if (i < text.length) {
    if (text[i] !== '{') bad(`unexpected ${JSON.stringify(text[i])} at position ${i + 1}`);
    i++;
    for (;;) {
      skip();
      if (i >= text.length) bad('missing "}"');
      if (text[i] === '}') {
        i++;
        break;
      }
      LABEL.lastIndex = i;
      const lm = LABEL.exec(text);
      if (!lm) bad(`expected a label name at position ${i + 1}`);
      const label = lm![0];
      i = LABEL.lastIndex;
      skip();
      let op: MatchOp;
      if (text.startsWith('=~', i)) op = '=~';
      else if (text.startsWith('!~', i)) op = '!~';
      else if (text.startsWith('!=', i)) op = '!=';
      else if (text[i] === '=') op = '=';
      else return bad(`expected =, !=, =~ or !~ after ${label}`);
      i += op.length;
      skip();
      const q = text[i];
      if (q !== '"' && q !== "'" && q !== '`') bad(`expected a quoted value for ${label}`);
      i++;
      let value = '';
      let closed = false;
      while (i < text.length) {
        const c = text[i]!;
        if (c === q) {
          closed = true;
          i++;
          break;
        }
        if (c === '\\' && q !== '`' && i + 1 < text.length) {
          const e = text[i + 1]!;
          // Go string escapes PromQL accepts; anything else is kept as written, which is
          // what a regex author means by `\.` or `\d`.
          const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'" };
          value += map[e] ?? '\\' + e;
          i += 2;
          continue;
        }
        value += c;
        i++;
      }
      if (!closed) bad(`unterminated value for ${label}`);
      const matcher: Matcher = { label, op, value };
      if (op === '=~' || op === '!~') {
        try {
          matcher.re = new RegExp(`^(?:${value})$`, 's');
        } catch (err) {
          bad(`bad regex for ${label}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      matchers.push(matcher);
      skip();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        break;
      }
      bad(`expected "," or "}" after the value of ${label}`);
    }
    skip();
    if (i < text.length) bad(`unexpected text after "}": ${JSON.stringify(text.slice(i, i + 20))}`);
  }
  if (name === undefined && matchers.length === 0) bad('needs a metric name or a label matcher');
  if (name === undefined && matchers.every((mt) => matchesEmpty(mt))) {
    bad('a selector without a metric name needs a matcher that does not match empty labels');
  }
  return name === undefined ? { matchers, text } : { name, matchers, text };
}

function matchesEmpty(m: Matcher): boolean {
  switch (m.op) {
    case '=': return m.value === '';
    case '!=': return m.value !== '';
    case '=~': return m.re!.test('');
    case '!~': return !m.re!.test('');
  }
}

export function matchesSelector(sample: ExpoSample, sel: Selector): boolean {
  if (sel.name !== undefined && sample.name !== sel.name) return false;
  for (const m of sel.matchers) {
    const v = m.label === '__name__' ? sample.name : (Object.prototype.hasOwnProperty.call(sample.labels, m.label) ? sample.labels[m.label]! : '');
    switch (m.op) {
      case '=': if (v !== m.value) return false; break;
      case '!=': if (v === m.value) return false; break;
      case '=~': if (!m.re!.test(v)) return false; break;
      case '!~': if (m.re!.test(v)) return false; break;
    }
  }
  return true;
}

export function selectSamples(samples: readonly ExpoSample[], sel: Selector): ExpoSample[] {
  return samples.filter((s) => matchesSelector(s, sel));
}

/**
 * One exposition's samples grouped by metric name, built once per scrape: each probe then
 * scans only its own metric's series, not the whole exposition (a node_exporter page has
 * thousands of lines, and a console may read dozens of probes from it every second).
 */
export class SampleIndex {
  private readonly byName = new Map<string, ExpoSample[]>();

  constructor(private readonly all: readonly ExpoSample[]) {
    for (const s of all) {
      const list = this.byName.get(s.name);
      if (list) list.push(s);
      else this.byName.set(s.name, [s]);
    }
  }

  /** Exactly selectSamples(all, sel). */
  select(sel: Selector): ExpoSample[] {
    return selectSamples(sel.name === undefined ? this.all : (this.byName.get(sel.name) ?? []), sel);
  }
}

/** `{job="a", le="0.5"}` — a label set for messages (values escaped, so it stays one line). */
export function formatLabels(labels: Record<string, string>, skipName = true): string {
  const parts = Object.keys(labels)
    .filter((k) => !(skipName && k === '__name__'))
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `{${parts.join(', ')}}`;
}
