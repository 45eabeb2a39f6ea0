/**
 * Fast paths for Ink 6's frame rasteriser (ink/build/output.js), patched in at bundle time by
 * scripts/bundle.mjs. Ink rebuilds every frame cell by cell: each line goes through
 * Intl.Segmenter (`tokenize`), and every cell of every row through `diffAnsiCodes` (three Sets
 * per cell), which made the rasteriser ~40 % of the console's CPU while polling (BENCHMARKS.md).
 * Each function here gives exactly the library's result for the inputs it accepts and hands
 * everything else back to the library; test/unit/ink-fast-paths.test.ts holds them to that.
 */

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

// One shared array for every unstyled cell: Ink and the library only ever read `styles`.
const NO_STYLES: AnsiCode[] = [];

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
    out[i] = { type: 'char', value: line[i]!, fullWidth: false, styles: NO_STYLES };
  }
  return out;
}

export type AnsiToken = AnsiCode;
export interface CharToken {
  type: 'char';
  value: string;
  fullWidth: boolean;
}
type Tokenize = (s: string) => Array<AnsiToken | CharToken>;
type Reduce = (codes: AnsiCode[], add: AnsiCode[]) => AnsiCode[];

// An SGR sequence exactly as the tokenizer reads one: ESC [ digits and semicolons, then m.
const SGR = /\x1b\[[0-9;]*m/y;
const sgrTokens = new Map<string, AnsiToken[]>();

/**
 * The cells of a line of narrow characters coloured with SGR sequences (what chalk writes for
 * a light). The segmenter runs only on the sequences themselves (escape characters are always
 * grapheme boundaries, so tokenizing piecewise gives the whole line's tokens), and the cells
 * between two sequences share one styles array where the library copies it per cell.
 * Undefined when the line holds anything else.
 */
export function sgrStyledChars(line: string, tokenize: Tokenize, reduceAnsiCodesIncremental: Reduce): StyledChar[] | undefined {
  const out: StyledChar[] = [];
  let codes: AnsiCode[] = NO_STYLES;
  let styles: AnsiCode[] | undefined;
  for (let i = 0; i < line.length; ) {
    const c = line.charCodeAt(i);
    if (c === 0x1b) {
      SGR.lastIndex = i;
      const m = SGR.exec(line);
      if (!m) return undefined;
      let seq = sgrTokens.get(m[0]);
      if (!seq) {
        seq = tokenize(m[0]) as AnsiToken[];
        if (seq.some((t) => t.type !== 'ansi')) return undefined;
        if (sgrTokens.size < 512) sgrTokens.set(m[0], seq);
      }
      for (const t of seq) codes = reduceAnsiCodesIncremental(codes, [t]);
      styles = undefined;
      i += m[0].length;
      continue;
    }
    if ((c < 0x20 || c > 0x7e) && !isNarrowSymbol(c)) return undefined;
    styles ??= codes.length ? [...codes] : NO_STYLES;
    out.push({ type: 'char', value: line[i]!, fullWidth: false, styles });
    i++;
  }
  return out;
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
      SGR.lastIndex = i;
      const m = SGR.exec(input);
      if (!m) return undefined;
      i += m[0].length;
      continue;
    }
    if ((c < 0x20 || c > 0x7e) && !isNarrowSymbol(c)) return undefined;
    width++;
    i++;
  }
  return width;
}

/** The blank cell a frame starts from (shared: cells are replaced, never changed). */
export const BLANK_CELL: StyledChar = { type: 'char', value: ' ', fullWidth: false, styles: NO_STYLES };

function sameCodes(a: readonly AnsiCode[], b: readonly AnsiCode[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.code !== b[i]!.code) return false;
  return true;
}

/**
 * `styledCharsToString` of the library, without diffing between neighbours of the same style
 * (the diff of equal style lists is always empty).
 */
export function rowToString(
  chars: readonly StyledChar[],
  diffAnsiCodes: (from: AnsiCode[], to: AnsiCode[]) => AnsiCode[],
  ansiCodesToString: (codes: AnsiCode[]) => string,
): string {
  let out = '';
  let prev: AnsiCode[] = NO_STYLES;
  for (const ch of chars) {
    if (!sameCodes(prev, ch.styles)) out += ansiCodesToString(diffAnsiCodes(prev, ch.styles));
    out += ch.value;
    prev = ch.styles;
  }
  if (prev.length) out += ansiCodesToString(diffAnsiCodes(prev, []));
  return out;
}
