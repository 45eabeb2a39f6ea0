/**
 * Fast paths for Ink 6's frame rasteriser (ink/build/output.js), patched in at bundle time by
 * scripts/bundle.mjs. Ink rebuilds every frame cell by cell: each line goes through
 * Intl.Segmenter (`tokenize`), and every cell of every row through `diffAnsiCodes` (three Sets
 * per cell), which made the rasteriser ~40 % of the console's CPU while polling (BENCHMARKS.md).
 * Each function here gives exactly the library's result for the inputs it accepts and hands
 * everything else back to the library; test/unit/ink-fast-paths.test.ts holds them to that.
 */

import { BoundedCache } from './boundedCache.js';

/** The shape of @alcalzone/ansi-tokenize's styled character (kept structural: no import). */
export interface AnsiCode {
  type: 'ansi';
  code: string;
  endCode: string;
}
export interface StyledChar {
  type: 'char';
  value: string;
  fullWidth: boolean;
  styles: AnsiCode[];
}

/**
 * One shared array for every unstyled cell (Ink and the library only ever read `styles`).
 * Built non-empty, then emptied, so its elements kind is that of every other styles array
 * (an empty literal would be a Smi array): the optimised rasteriser then sees one array shape
 * and one cell shape, instead of deoptimising and recompiling as new shapes turn up (rowToString
 * alone was compiled four times in a console's first 17 s, ~200 ms of V8 compiler time;
 * BENCHMARKS.md change 12).
 */
const NO_STYLES: AnsiCode[] = [{} as AnsiCode];
NO_STYLES.pop();

/** Every cell is made here, so all cells share one hidden class. */
function cell(value: string, fullWidth: boolean, styles: AnsiCode[]): StyledChar {
  return { type: 'char', value, fullWidth, styles };
}

/** The library's cells (made by object spread, another hidden class) remade by `cell`. */
export function uniformCells(chars: readonly StyledChar[]): StyledChar[] {
  const out: StyledChar[] = new Array(chars.length);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    out[i] = cell(c.value, c.fullWidth, c.styles.length ? c.styles : NO_STYLES);
  }
  return out;
}

/**
 * Characters outside printable ASCII that the console draws and that are each one grapheme of
 * one column on their own (no combining marks, no emoji presentation): with only these and
 * ASCII in a line, segmenting it is splitting it.
 */
const NARROW_SYMBOLS = new Set<number>([
  0xa7, 0xb7, 0xd7, 0x2013, 0x2014, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2026, 0x203a,
  0x2190, 0x2191, 0x2192, 0x2193, 0x2264, 0x2265, 0x25b6, 0x25ba, 0x25cb, 0x25cf, 0x2713, 0x2714, 0x27f6,
]);
// Box drawing and block elements (─ │ ┌ ━ ░ ▒ ▓ █ ▁…▇).
const isBoxOrBlock = (c: number) => c >= 0x2500 && c <= 0x259f;

export function isNarrowSymbol(c: number): boolean {
  return NARROW_SYMBOLS.has(c) || isBoxOrBlock(c);
}

/** A line without escape sequences made only of narrow characters, as styled cells; else undefined. */
export function plainStyledChars(line: string): StyledChar[] | undefined {
  const out: StyledChar[] = new Array(line.length);
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if ((c < 0x20 || c > 0x7e) && !isNarrowSymbol(c)) return undefined;
    out[i] = cell(line[i]!, false, NO_STYLES);
  }
  return out;
}

export type AnsiToken = AnsiCode;
type EndCode = (code: string) => string;
type Reduce = (codes: AnsiCode[], add: AnsiCode[]) => AnsiCode[];

/**
 * One array per distinct style for every cell of every frame, so rows compare styles by
 * identity and their transitions can be cached by identity (rowToString). A screen uses a
 * handful of styles; the bound only guards against a source that paints with thousands.
 */
const internedStyles = new BoundedCache<string, AnsiCode[]>(256);
function internStyles(codes: AnsiCode[]): AnsiCode[] {
  let key = '';
  for (const c of codes) key += c.code;
  let same = internedStyles.get(key);
  if (!same) {
    same = [...codes];
    internedStyles.set(key, same);
  }
  return same;
}

// An SGR sequence exactly as the tokenizer reads one: ESC [ digits and semicolons, then m.
const SGR = /\x1b\[[0-9;]*m/y;

/** The length of the SGR sequence that starts at `i`, or 0 when none does. */
function sgrLengthAt(text: string, i: number): number {
  SGR.lastIndex = i;
  return SGR.exec(text)?.[0].length ?? 0;
}

/**
 * The cells of a line of narrow characters coloured with SGR sequences (what chalk writes for
 * a light). Each sequence is tokenized on its own, without a grapheme segmenter (escape
 * characters are always grapheme boundaries, so tokenizing piecewise gives the whole line's
 * tokens), and the cells between two sequences share one styles array where the library
 * copies it per cell.
 * Undefined when the line holds anything else.
 */
export function sgrStyledChars(line: string, getEndCode: EndCode, reduceAnsiCodesIncremental: Reduce): StyledChar[] | undefined {
  const out: StyledChar[] = [];
  let codes: AnsiCode[] = NO_STYLES;
  for (let i = 0; i < line.length; ) {
    const c = line.charCodeAt(i);
    if (c === 0x1b) {
      const n = sgrLengthAt(line, i);
      if (!n) return undefined;
      codes = afterSgr(codes, line.slice(i, i + n), getEndCode, reduceAnsiCodesIncremental);
      i += n;
      continue;
    }
    if ((c < 0x20 || c > 0x7e) && !isNarrowSymbol(c)) return undefined;
    out.push(cell(line[i]!, false, codes));
    i++;
  }
  return out;
}

// The styles after an SGR sequence, by the identity of the interned styles before it: a frame
// meets the same few (styles, sequence) pairs on every row, so the library's reducer runs once
// per pair, not once per sequence per row per frame.
const stylesAfter = new WeakMap<AnsiCode[], Map<string, AnsiCode[]>>();
function afterSgr(codes: AnsiCode[], sequence: string, getEndCode: EndCode, reduceAnsiCodesIncremental: Reduce): AnsiCode[] {
  let known = stylesAfter.get(codes);
  if (!known) stylesAfter.set(codes, (known = new Map()));
  let next = known.get(sequence);
  if (next === undefined) {
    let acc = codes;
    for (const t of sgrTokens(sequence, getEndCode)) acc = reduceAnsiCodesIncremental(acc, [t]);
    next = acc.length ? internStyles(acc) : NO_STYLES;
    if (known.size < 64) known.set(sequence, next);
  }
  return next;
}

/**
 * The library's tokens for one whole SGR sequence (`ESC [ digits;… m`), without its grapheme
 * segmenter: the first Intl.Segmenter of a process loads ICU's break data (~18 ms), and this is
 * the only segmenting the first frame would do. A compound sequence is split as the library
 * splits it (8- and 24-bit colours kept whole); each code's end code is the library's own.
 */
export function sgrTokens(sequence: string, getEndCode: EndCode): AnsiToken[] {
  const parts = sequence.includes(';') ? splitCompound(sequence.slice(2, -1).split(';')) : [sequence];
  return parts.map((code) => ({ type: 'ansi', code, endCode: getEndCode(code) }));
}

function splitCompound(parts: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if ((p === '38' || p === '48') && i + 2 < parts.length && parts[i + 1] === '5') {
      out.push(parts.slice(i, i + 3).join(';'));
      i += 2;
    } else if ((p === '38' || p === '48') && i + 4 < parts.length && parts[i + 1] === '2') {
      out.push(parts.slice(i, i + 5).join(';'));
      i += 4;
    } else {
      out.push(p);
    }
  }
  return out.map((part) => `\x1b[${part}m`);
}

/** An Intl.Segmenter made on first use (patched in for the libraries' module-level ones). */
export function lazySegmenter(locales?: string | string[], options?: Intl.SegmenterOptions): Pick<Intl.Segmenter, 'segment'> {
  let real: Intl.Segmenter | undefined;
  return { segment: (input: string) => (real ??= new Intl.Segmenter(locales, options)).segment(input) };
}

/**
 * True when `text` is only printable text and SGR sequences (no C1 controls, no other
 * escapes): Ink's sanitizeAnsi keeps exactly those, so it returns such a text unchanged, and
 * it is asked about every coloured text node twice a frame (measuring, then drawing).
 */
export function onlyTextAndSgr(text: string): boolean {
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (c === 0x1b) {
      const n = sgrLengthAt(text, i);
      if (!n) return false;
      i += n;
      continue;
    }
    if (c >= 0x80 && c <= 0x9f) return false;
    i++;
  }
  return true;
}

/**
 * string-width's answer for a line of printable ASCII and narrow symbols, coloured or not: the
 * count of its characters outside SGR sequences (string-width strips every escape sequence
 * first, and an SGR sequence is one whole CSI to it). This skips the grapheme segmenter and the
 * emoji regexes (whose first use alone costs ~30 ms at startup). Undefined for anything else,
 * or for options that could change the answer.
 */
export function plainWidth(input: unknown, options?: { ambiguousIsNarrow?: boolean; countAnsiEscapeCodes?: boolean }): number | undefined {
  if (typeof input !== 'string' || options?.ambiguousIsNarrow === false || options?.countAnsiEscapeCodes) return undefined;
  let width = 0;
  for (let i = 0; i < input.length; ) {
    const c = input.charCodeAt(i);
    if (c === 0x1b) {
      const n = sgrLengthAt(input, i);
      if (!n) return undefined;
      i += n;
      continue;
    }
    if ((c < 0x20 || c > 0x7e) && !isNarrowSymbol(c)) return undefined;
    width++;
    i++;
  }
  return width;
}

/** The blank cell a frame starts from (shared: cells are replaced, never changed). */
export const BLANK_CELL: StyledChar = cell(' ', false, NO_STYLES);

function sameCodes(a: readonly AnsiCode[], b: readonly AnsiCode[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.code !== b[i]!.code) return false;
  return true;
}

type Diff = (from: AnsiCode[], to: AnsiCode[]) => AnsiCode[];
type CodesToString = (codes: AnsiCode[]) => string;

// What to print between two styles, by the identity of their (never mutated) arrays. Weak:
// the library's own cells bring arrays of their own that must not be kept alive here.
const transitions = new WeakMap<AnsiCode[], WeakMap<AnsiCode[], string>>();
function transition(from: AnsiCode[], to: AnsiCode[], diffAnsiCodes: Diff, ansiCodesToString: CodesToString): string {
  let row = transitions.get(from);
  if (!row) transitions.set(from, (row = new WeakMap()));
  let s = row.get(to);
  if (s === undefined) {
    s = ansiCodesToString(diffAnsiCodes(from, to));
    row.set(to, s);
  }
  return s;
}

/**
 * `styledCharsToString` of the library, without diffing between neighbours of the same style
 * (the diff of equal style lists is always empty) and with each transition computed once.
 * An indexed loop over one cell shape: this runs for every row of every frame, so it is
 * optimised early, and each deoptimisation costs a recompilation of Ink's Output.get with it.
 */
export function rowToString(chars: readonly StyledChar[], diffAnsiCodes: Diff, ansiCodesToString: CodesToString): string {
  let out = '';
  let prev: AnsiCode[] = NO_STYLES;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const styles = ch.styles;
    if (styles !== prev) {
      if (!sameCodes(prev, styles)) out += transition(prev, styles, diffAnsiCodes, ansiCodesToString);
      prev = styles;
    }
    out += ch.value;
  }
  if (prev.length !== 0) out += transition(prev, NO_STYLES, diffAnsiCodes, ansiCodesToString);
  return out;
}
