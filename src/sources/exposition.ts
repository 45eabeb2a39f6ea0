/**
 * Prometheus text exposition format 0.0.4, parsed by a hand-written scanner: npm parsers
 * either merge labelled histogram/summary series or choke on NaN (see STACK-NOTES). The
 * scanner touches each character a bounded number of times, so hostile input (random bytes,
 * a 10 MB line) costs linear time and ends in an ExpositionError, never a hang.
 */

export interface ExpoSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestampMs?: number;
}

export interface Exposition {
  samples: ExpoSample[];
  /** Metric family name → counter | gauge | histogram | summary | untyped. */
  types: Record<string, string>;
}

export class ExpositionError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'ExpositionError';
  }
}

const METRIC_TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

const isNameStart = (c: number) =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95; /* A-Z a-z _ */
const isNameChar = (c: number) => isNameStart(c) || (c >= 48 && c <= 57);
const isBlank = (c: number) => c === 32 || c === 9;

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/**
 * Go's ParseFloat as the exposition format uses it: decimal numbers with optional exponent,
 * and NaN/Inf spelled in any case with an optional sign. Returns undefined when not a number.
 */
export function parseFloatToken(tok: string): number | undefined {
  if (tok.length === 0 || tok.length > 400) return undefined;
  if (DECIMAL.test(tok)) return Number(tok);
  const lower = tok.toLowerCase();
  const sign = lower[0] === '-' ? -1 : 1;
  const body = lower[0] === '-' || lower[0] === '+' ? lower.slice(1) : lower;
  if (body === 'nan') return NaN;
  if (body === 'inf' || body === 'infinity') return sign * Infinity;
  return undefined;
}
// No nested quantifiers: cannot backtrack catastrophically (and tokens are length-capped).
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

export function parseExposition(text: string): Exposition {
  const samples: ExpoSample[] = [];
  const types: Record<string, string> = {};
  const len = text.length;
  let pos = 0;
  let lineNo = 0;
  while (pos <= len) {
    lineNo++;
    let end = text.indexOf('\n', pos);
    if (end === -1) end = len;
    let lineEnd = end;
    if (lineEnd > pos && text.charCodeAt(lineEnd - 1) === 13) lineEnd--; // tolerate CRLF
    parseLine(text, pos, lineEnd, lineNo, samples, types);
    pos = end + 1;
  }
  return { samples, types };
}

type Fail = (reason: string) => never;

function parseLine(
  s: string,
  start: number,
  end: number,
  lineNo: number,
  samples: ExpoSample[],
  types: Record<string, string>,
): void {
  let i = start;
  while (i < end && isBlank(s.charCodeAt(i))) i++;
  if (i === end) return;
  const fail = (reason: string): never => {
    throw new ExpositionError(lineNo, reason);
  };

  if (s.charCodeAt(i) === 35 /* # */) return parseComment(s, i, end, types, fail);

  // Metric name.
  const nameStart = i;
  const c0 = s.charCodeAt(i);
  if (!(isNameStart(c0) || c0 === 58)) fail(`expected a metric name, found ${describeChar(s, i)}`);
  i++;
  while (i < end && (isNameChar(s.charCodeAt(i)) || s.charCodeAt(i) === 58)) i++;
  const name = s.slice(nameStart, i);
  const labels: Record<string, string> = Object.create(null) as Record<string, string>;
  if (i < end && !isBlank(s.charCodeAt(i)) && s.charCodeAt(i) !== 123) {
    fail(`unexpected ${describeChar(s, i)} after metric name ${name}`);
  }

  while (i < end && isBlank(s.charCodeAt(i))) i++;
  if (i < end && s.charCodeAt(i) === 123 /* { */) i = parseLabels(s, i, end, name, labels, fail);

  // Value.
  while (i < end && isBlank(s.charCodeAt(i))) i++;
  if (i >= end) fail(`missing value for ${name}`);
  const vStart = i;
  while (i < end && !isBlank(s.charCodeAt(i))) i++;
  const vTok = s.slice(vStart, Math.min(i, vStart + 401));
  const value = parseFloatToken(vTok);
  if (value === undefined) fail(`invalid value ${quote(vTok)} for ${name}`);

  // Optional timestamp (integer milliseconds).
  while (i < end && isBlank(s.charCodeAt(i))) i++;
  let timestampMs: number | undefined;
  if (i < end) {
    const tStart = i;
    while (i < end && !isBlank(s.charCodeAt(i))) i++;
    const tTok = s.slice(tStart, Math.min(i, tStart + 41));
    if (tTok.length > 40 || !INTEGER.test(tTok)) fail(`invalid timestamp ${quote(tTok)} for ${name}`);
    timestampMs = Number(tTok);
    if (!Number.isSafeInteger(timestampMs)) fail(`timestamp out of range for ${name}`);
    while (i < end && isBlank(s.charCodeAt(i))) i++;
    if (i < end) fail(`unexpected text after timestamp for ${name}: ${describeChar(s, i)}`);
  }

  const sample: ExpoSample = { name, labels: { ...labels }, value: value as number };
  if (timestampMs !== undefined) sample.timestampMs = timestampMs;
  samples.push(sample);
}

/** `# HELP name …` and `# TYPE name type`; anything else after `#` is a comment. */
function parseComment(s: string, i: number, end: number, types: Record<string, string>, fail: Fail): void {
  // Only `# HELP name …` and `# TYPE name type` carry meaning; anything else is a comment.
  i++;
  while (i < end && isBlank(s.charCodeAt(i))) i++;
  const kwStart = i;
  while (i < end && !isBlank(s.charCodeAt(i))) i++;
  const kw = s.slice(kwStart, Math.min(i, kwStart + 5));
  if (i - kwStart !== 4 || (kw !== 'HELP' && kw !== 'TYPE')) return;
  while (i < end && isBlank(s.charCodeAt(i))) i++;
  const nameStart = i;
  while (i < end && !isBlank(s.charCodeAt(i))) i++;
  const name = s.slice(nameStart, i);
  if (name === '') fail(`${kw} line without a metric name`);
  if (!METRIC_NAME.test(name)) fail(`invalid metric name ${quote(name)} in ${kw} line`);
  if (kw === 'TYPE') {
    while (i < end && isBlank(s.charCodeAt(i))) i++;
    const tStart = i;
    while (i < end && !isBlank(s.charCodeAt(i))) i++;
    const type = s.slice(tStart, i);
    while (i < end && isBlank(s.charCodeAt(i))) i++;
    if (i !== end || !METRIC_TYPES.has(type)) {
      fail(`invalid TYPE ${quote(s.slice(tStart, Math.min(end, tStart + 40)))} for ${name}`);
    }
    if (Object.prototype.hasOwnProperty.call(types, name)) fail(`second TYPE line for ${name}`);
    types[name] = type;
  }
}

/** The label set from its `{` into `labels`; returns the index after its `}`. */
function parseLabels(s: string, i: number, end: number, name: string, labels: Record<string, string>, fail: Fail): number {
  i++;
  for (;;) {
    while (i < end && isBlank(s.charCodeAt(i))) i++;
    if (i >= end) fail(`unterminated label set for ${name}`);
    if (s.charCodeAt(i) === 125 /* } */) {
      i++;
      break;
    }
    const lStart = i;
    if (!isNameStart(s.charCodeAt(i))) fail(`invalid label name at ${describeChar(s, i)} in ${name}`);
    while (i < end && isNameChar(s.charCodeAt(i))) i++;
    const lname = s.slice(lStart, i);
    while (i < end && isBlank(s.charCodeAt(i))) i++;
    if (i >= end || s.charCodeAt(i) !== 61 /* = */) fail(`expected "=" after label ${lname} in ${name}`);
    i++;
    while (i < end && isBlank(s.charCodeAt(i))) i++;
    if (i >= end || s.charCodeAt(i) !== 34 /* " */) fail(`expected a quoted value for label ${lname} in ${name}`);
    i++;
    // Label value: copy runs between escapes, so the cost stays linear.
    let value = '';
    let runStart = i;
    let closed = false;
    while (i < end) {
      const c = s.charCodeAt(i);
      if (c === 34) {
        value += s.slice(runStart, i);
        i++;
        closed = true;
        break;
      }
      if (c === 92 /* \ */) {
        value += s.slice(runStart, i);
        if (i + 1 >= end) fail(`unterminated label value for ${lname} in ${name}`);
        const e = s.charCodeAt(i + 1);
        if (e === 92) value += '\\';
        else if (e === 34) value += '"';
        else if (e === 110) value += '\n';
        else fail(`invalid escape sequence "\\${s[i + 1]}" in label ${lname} of ${name}`);
        i += 2;
        runStart = i;
        continue;
      }
      i++;
    }
    if (!closed) fail(`unterminated label value for ${lname} in ${name}`);
    if (lname in labels) fail(`duplicate label ${lname} in ${name}`);
    labels[lname] = value;
    while (i < end && isBlank(s.charCodeAt(i))) i++;
    if (i >= end) fail(`unterminated label set for ${name}`);
    const sep = s.charCodeAt(i);
    if (sep === 44 /* , */) {
      i++;
      continue; // a trailing comma before } is allowed
    }
    if (sep === 125) {
      i++;
      break;
    }
    fail(`expected "," or "}" after label ${lname} in ${name}, found ${describeChar(s, i)}`);
  }
  return i;
}

function quote(t: string): string {
  return JSON.stringify(t.length > 40 ? t.slice(0, 40) + '…' : t);
}

function describeChar(s: string, i: number): string {
  return JSON.stringify(s.slice(i, i + 12) + (s.length > i + 12 ? '…' : ''));
}
