/** Editing of a prompt's text line: pure, so every key is accounted for. */
import { isPromptKey } from '../input/promptKeys.js';
import { stripControl } from '../util/sanitize.js';
import { MAX_DRAFT, type Key } from './types.js';

/**
 * The draft after `key`, or undefined when the key is not an edit (Enter, Esc, arrows,
 * other control chords). Pasted text arrives as one multi-character input: its control
 * characters and escape sequences are dropped, line breaks fold to spaces.
 */
export function editDraft(draft: string, key: Key): string | undefined {
  if (isPromptKey('erase', key)) return Array.from(draft).slice(0, -1).join('');
  if (isPromptKey('clearLine', key)) return '';
  if (key.ctrl || isPromptKey('cancel', key) || isPromptKey('submit', key) || key.input === '') return undefined;
  const printable = stripControl(key.input, { keepNewlines: false });
  if (printable === '') return undefined;
  return Array.from(draft + printable).slice(0, MAX_DRAFT).join('');
}
