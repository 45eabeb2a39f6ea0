/** Editing of a prompt's text line: pure, so every key is accounted for. */
import { stripControl } from '../util/sanitize.js';
import { MAX_DRAFT, type Key } from './types.js';

/**
 * The draft after `key`, or undefined when the key is not an edit (Enter, Esc, arrows,
 * other control chords). Pasted text arrives as one multi-character input: its control
 * characters and escape sequences are dropped, line breaks fold to spaces.
 */
export function editDraft(draft: string, key: Key): string | undefined {
  if (key.backspace || key.delete) return Array.from(draft).slice(0, -1).join('');
  if (key.ctrl) return key.input === 'u' ? '' : undefined; // Ctrl+U clears, as in a shell
  if (key.escape || key.return || key.input === '') return undefined;
  const printable = stripControl(key.input, { keepNewlines: false });
  if (printable === '') return undefined;
  return Array.from(draft + printable).slice(0, MAX_DRAFT).join('');
}
