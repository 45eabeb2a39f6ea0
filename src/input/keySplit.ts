/**
 * One terminal read → the keys in it. Pure. A read can hold several keys (type-ahead, a
 * paste, tmux send-keys, two presses coalesced while the event loop was busy); each must
 * count on its own, so every read is split, whatever it holds. Escape sequences and control
 * bytes are one key each, with the flags Ink's `useInput` would give them.
 */

/** The key flags the console reads (a subset of Ink's `Key`). */
export interface InkKey {
  ctrl?: boolean;
  meta?: boolean;
  shift?: boolean;
  escape?: boolean;
  return?: boolean;
  backspace?: boolean;
  delete?: boolean;
  tab?: boolean;
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
}

export interface SplitKey {
  input: string;
  key: InkKey;
}

const ESC = '\u001b';

type Named = keyof Omit<InkKey, 'ctrl' | 'meta' | 'shift'>;

const CSI_LETTER: Record<string, Named> = { A: 'upArrow', B: 'downArrow', C: 'rightArrow', D: 'leftArrow', H: 'home', F: 'end' };
const CSI_TILDE: Record<string, Named> = { '1': 'home', '7': 'home', '3': 'delete', '4': 'end', '8': 'end', '5': 'pageUp', '6': 'pageDown' };
/** Bracketed-paste brackets: markers, not keys (the text between them is still split and guarded). */
const PASTE_MARKERS = new Set(['200', '201']);

/** xterm modifier parameter (1 + shift·1 + alt·2 + ctrl·4) → flags. */
function modifiers(param: string | undefined): InkKey {
  const m = Math.max(0, Number(param ?? '1') - 1) || 0;
  const out: InkKey = {};
  if (m & 1) out.shift = true;
  if (m & 2) out.meta = true;
  if (m & 4) out.ctrl = true;
  return out;
}

/**
 * A CSI sequence (`ESC [` params final) or a legacy `ESC [ [ A`, starting at `i` (the ESC).
 * An unknown or unfinished sequence is still consumed whole, as a key that means nothing, so
 * its bytes never reach a prompt's draft as text.
 */
function csi(s: string, i: number): { end: number; key: SplitKey | undefined } {
  let j = i + 2;
  if (s[j] === '[') j++; // Linux console / PuTTY F-keys: ESC [ [ A
  const paramsAt = j;
  while (j < s.length && s.charCodeAt(j) >= 0x20 && s.charCodeAt(j) <= 0x3f) j++;
  if (j >= s.length || s.charCodeAt(j) < 0x40 || s.charCodeAt(j) > 0x7e) return { end: j, key: undefined };
  const params = s.slice(paramsAt, j).split(';');
  const final = s[j]!;
  const end = j + 1;
  if (final === '~') {
    if (PASTE_MARKERS.has(params[0] ?? '')) return { end, key: undefined };
    const name = CSI_TILDE[params[0] ?? ''];
    return { end, key: name ? { input: '', key: { ...modifiers(params[1]), [name]: true } } : { input: '', key: {} } };
  }
  if (final === 'Z') return { end, key: { input: '', key: { tab: true, shift: true } } };
  const name = CSI_LETTER[final];
  return { end, key: name ? { input: '', key: { ...modifiers(params[1]), [name]: true } } : { input: '', key: {} } };
}

/** SS3 (`ESC O x`): what many terminals send for arrows in application-cursor mode. */
function ss3(s: string, i: number): { end: number; key: SplitKey } {
  const final = s[i + 2];
  const name = final === undefined ? undefined : CSI_LETTER[final];
  return { end: Math.min(s.length, i + 3), key: { input: '', key: name ? { [name]: true } : {} } };
}

/** A C0 control byte (not ESC) as the key that sends it. */
function control(ch: string): InkKey | undefined {
  const c = ch.charCodeAt(0);
  if (c >= 0x20 && c !== 0x7f) return undefined;
  if (ch === '\r' || ch === '\n') return { return: true };
  if (ch === '\t') return { tab: true };
  // DEL is what the Backspace key sends on nearly every terminal; BS is Ctrl+H / old ones.
  if (ch === '\x7f' || ch === '\b') return { backspace: true };
  return { ctrl: true };
}

export function splitKeys(s: string): SplitKey[] {
  const out: SplitKey[] = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === ESC) {
      const next = s[i + 1];
      if (next === '[') {
        const r = csi(s, i);
        if (r.key) out.push(r.key);
        i = r.end;
      } else if (next === 'O' && i + 2 < s.length) {
        const r = ss3(s, i);
        out.push(r.key);
        i = r.end;
      } else {
        // ESC before any other byte is Esc pressed and then that key: nothing here binds Alt,
        // and tmux (escape-time) merges Esc followed quickly by a key into one such pair.
        out.push({ input: '', key: { escape: true } });
        i += 1;
      }
      continue;
    }
    const ctl = control(ch);
    if (ctl) {
      const c = ch.charCodeAt(0);
      // Ctrl+letter arrives as 0x01–0x1a; Ink reports it as ctrl with the letter as input.
      const input = ctl.ctrl && c >= 1 && c <= 26 ? String.fromCharCode(c + 96) : '';
      out.push({ input, key: ctl });
      // CRLF (a pasted Windows line end) is one Enter, not two.
      i += ch === '\r' && s[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    const cp = s.codePointAt(i)!;
    const char = String.fromCodePoint(cp);
    out.push({ input: char, key: /^[A-Z]$/.test(char) ? { shift: true } : {} });
    i += char.length;
  }
  return out;
}
