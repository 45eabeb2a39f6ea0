import stringWidth from 'string-width';
import type { CriterionStatus, Overall } from '../src/viewmodel/types.js';
export { LIGHT_WORD } from '../src/viewmodel/format.js';
/**
 * Glyphs and colours in one place so `--ascii` and `NO_COLOR` are honoured everywhere.
 * Colour is never the only signal: every light carries its word.
 */

export interface Theme {
  ascii: boolean;
  color: boolean;
}


const STATUS_COLOR: Record<CriterionStatus | Overall, string> = {
  PASS: 'green',
  GO: 'green',
  WARN: 'yellow',
  FAIL: 'red',
  'NO-GO': 'red',
  UNKNOWN: 'magenta',
  WAIVED: 'cyan',
};

export function statusColor(theme: Theme, s: CriterionStatus | Overall): string | undefined {
  return theme.color ? STATUS_COLOR[s] : undefined;
}

export function tone(theme: Theme, level: 'info' | 'ok' | 'warn' | 'error' | 'dim'): { color?: string; dimColor?: boolean } {
  if (level === 'dim') return { dimColor: true };
  if (!theme.color) return {};
  return { ok: { color: 'green' }, warn: { color: 'yellow' }, error: { color: 'red' }, info: {} }[level];
}

export function glyphs(theme: Theme) {
  return theme.ascii
    ? { dot: '*', cursor: '>', sep: '|', arrow: '->', check: 'v', bar: '-', stageDone: '#', stageNow: '>', stageTodo: '.', spark: ' .:-=+*#%@', ellipsis: '...' }
    : { dot: '●', cursor: '›', sep: '·', arrow: '→', check: '✓', bar: '─', stageDone: '█', stageNow: '▶', stageTodo: '░', spark: '▁▂▃▄▅▆▇█', ellipsis: '…' };
}

export function sparkline(values: readonly number[], theme: Theme, width = 20): string {
  const chars = glyphs(theme).spark;
  const vs = values.slice(-width);
  if (vs.length === 0) return '';
  const min = Math.min(...vs);
  const max = Math.max(...vs);
  const span = max - min;
  return vs.map((v) => chars[span === 0 ? Math.floor((chars.length - 1) / 2) : Math.round(((v - min) / span) * (chars.length - 1))]).join('');
}

/** Cuts or pads to exactly `n` columns (our glyphs are all one column wide). */
export function fit(s: string, n: number, ellipsis = '…'): string {
  if (n <= 0) return '';
  if (s.length > n) return n > ellipsis.length ? s.slice(0, n - ellipsis.length) + ellipsis : s.slice(0, n);
  return s + ' '.repeat(n - s.length);
}

/** Characters one column wide each: ASCII, Latin, and the glyphs this theme draws. */
const NARROW = /^[\x20-\x7e\u00a0-\u02ff\u2010-\u2027\u2190-\u21ff\u2500-\u25ff\u2713]*$/;

/**
 * At most `n` terminal columns. `fit` counts characters, right for our own glyphs; text from a
 * source may hold wide characters (CJK, emoji), which only string-width measures.
 */
export function fitColumns(s: string, n: number): string {
  if (NARROW.test(s)) return s.length <= n ? s : s.slice(0, n);
  let out = s;
  while (out.length > 0 && stringWidth(out) > n) out = Array.from(out).slice(0, -1).join('');
  return out;
}

/** `s` cut at `n` columns: the left part padded to exactly `n`, and the rest. */
export function splitColumns(s: string, n: number): { left: string; right: string } {
  if (NARROW.test(s)) return { left: s.slice(0, n).padEnd(n), right: s.slice(n) };
  let left = '';
  let i = 0;
  const chars = Array.from(s);
  while (i < chars.length && stringWidth(left + chars[i]!) <= n) left += chars[i++]!;
  return { left: left + ' '.repeat(Math.max(0, n - stringWidth(left))), right: chars.slice(i).join('') };
}

const TRANSLIT: [RegExp, string][] = [
  [/[→⟶]/g, '->'],
  [/[←]/g, '<-'],
  [/…/g, '...'],
  [/·/g, '|'],
  [/[•●]/g, '*'],
  [/[✓✔]/g, 'v'],
  [/[─━—–]/g, '-'],
  [/[▶►]/g, '>'],
  [/[█▓▒░]/g, '#'],
  [/[“”]/g, '"'],
  [/[‘’]/g, "'"],
  [/×/g, 'x'],
];

/** --ascii: our own glyphs become their ASCII spelling; anything else non-ASCII (from sources) becomes `?`. */
export function asciiOnly(s: string): string {
  let out = s;
  for (const [re, to] of TRANSLIT) out = out.replace(re, to);
  return out.replace(/[^\x20-\x7e\n]/g, '?');
}

/** Text as the theme wants it shown. */
export function plain(theme: Theme, s: string): string {
  return theme.ascii ? asciiOnly(s) : s;
}
