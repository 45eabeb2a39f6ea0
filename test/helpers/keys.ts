/** What a terminal sends for a keymap chord, so tests press table entries as a user would. */
import type { Chord } from '../../src/input/keymap.js';

const NAMED: Record<string, string> = { up: '\u001b[A', down: '\u001b[B', pageup: '\u001b[5~', pagedown: '\u001b[6~', enter: '\r', esc: '\u001b' };

export function chordBytes(chord: Chord): string {
  const named = NAMED[chord];
  if (named) return named;
  const ctrl = /^ctrl\+([a-z])$/.exec(chord);
  if (ctrl) return String.fromCharCode(ctrl[1]!.charCodeAt(0) - 96);
  if ([...chord].length !== 1) throw new Error(`no bytes for chord ${chord}`);
  return chord;
}
