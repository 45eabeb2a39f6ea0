/**
 * The keys of an open prompt in one table, beside KEYMAP (keymap.ts), which holds the keys of the
 * main screen. The flows reducer (src/flows/), the gate filter line and the controller all ask
 * this table what a key means inside a prompt, so a prompt key is changed in one place. A leaf:
 * pure, and importing nothing, so the flows may read it without reaching up into input.
 */

/** What a terminal key is, as far as a prompt cares (Ink's key flags plus the typed text). */
export interface PromptKeyEvent {
  input: string;
  ctrl?: boolean;
  escape?: boolean;
  return?: boolean;
  backspace?: boolean;
  delete?: boolean;
  upArrow?: boolean;
  downArrow?: boolean;
}

/** Where the key arrives: `typing` is a step whose keys are text (there a bare K is a letter). */
export interface PromptAt {
  typing?: boolean;
  /** The flow kind: Enter confirms only the kill. */
  kind?: string;
}

export interface PromptBinding {
  /** How the help names it. */
  label: string;
  description: string;
  matches(key: PromptKeyEvent, at: PromptAt): boolean;
}

export type PromptKeyName = 'kill' | 'cancel' | 'interrupt' | 'reject' | 'confirm' | 'submit' | 'up' | 'down' | 'erase' | 'clearLine';

/** Ctrl+K however the terminal reports it (a raw 0x0b, or k with ctrl). */
export function isCtrlK(key: PromptKeyEvent): boolean {
  return key.input === '\u000b' || (key.ctrl === true && key.input.toLowerCase() === 'k');
}

const bare = (key: PromptKeyEvent, ...chars: string[]) => !key.ctrl && chars.includes(key.input);

export const PROMPT_KEYS: Readonly<Record<PromptKeyName, PromptBinding>> = {
  kill: { label: 'Ctrl+K, K', description: 'the kill confirm, the open prompt kept (K only where nothing is typed)', matches: (k, at) => isCtrlK(k) || (!at.typing && bare(k, 'K')) },
  cancel: { label: 'Esc', description: 'cancel the prompt: nothing is sent', matches: (k) => k.escape === true || k.input === '\u001b' },
  interrupt: { label: 'Ctrl+C', description: 'cancel the prompt like Esc', matches: (k) => k.ctrl === true && k.input === 'c' },
  reject: { label: 'n', description: 'at a y/n screen: cancel', matches: (k) => bare(k, 'n', 'N') },
  confirm: { label: 'y', description: 'at a y/n screen: confirm (Enter too at the kill confirm)', matches: (k, at) => bare(k, 'y') || (at.kind === 'kill' && k.return === true) },
  submit: { label: 'Enter', description: 'take the typed text or the highlighted entry', matches: (k) => k.return === true },
  up: { label: '↑', description: 'the entry above', matches: (k) => k.upArrow === true },
  down: { label: '↓', description: 'the entry below', matches: (k) => k.downArrow === true },
  erase: { label: 'Backspace', description: 'erase the last character', matches: (k) => k.backspace === true || k.delete === true },
  clearLine: { label: 'Ctrl+U', description: 'clear the line, as in a shell', matches: (k) => k.ctrl === true && k.input === 'u' },
};

export function isPromptKey(name: PromptKeyName, key: PromptKeyEvent, at: PromptAt = {}): boolean {
  return PROMPT_KEYS[name].matches(key, at);
}

/** The decision prompt's choice keys. */
export const DECISION_KEYS: Readonly<Record<string, 'GO' | 'NO-GO' | 'HOLD'>> = { g: 'GO', n: 'NO-GO', h: 'HOLD' };

export function decisionKey(key: PromptKeyEvent): 'GO' | 'NO-GO' | 'HOLD' | undefined {
  return key.ctrl ? undefined : DECISION_KEYS[key.input.toLowerCase()];
}

/** ↑/↓ in a list of `length`: the new highlight, or undefined for any other key. */
export function moveKey(key: PromptKeyEvent, cursor: number, length: number): number | undefined {
  if (!isPromptKey('up', key) && !isPromptKey('down', key)) return undefined;
  return Math.max(0, Math.min(length - 1, cursor + (isPromptKey('up', key) ? -1 : 1)));
}

/**
 * A key in a list prompt (palette entries, invalidation targets, a runbook's choices): ↑/↓ move
 * the highlight, a digit 1-9 picks that entry, Enter picks the highlighted one.
 */
export function listKey(key: PromptKeyEvent, cursor: number, length: number): { cursor: number } | { pick: number } | undefined {
  const moved = moveKey(key, cursor, length);
  if (moved !== undefined) return { cursor: moved };
  if (isPromptKey('submit', key)) return { pick: cursor };
  if (!key.ctrl && /^[1-9]$/.test(key.input)) return { pick: Number(key.input) - 1 };
  return undefined;
}
