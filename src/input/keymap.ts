/**
 * Every key of the console in one table (SPEC §4): dispatch, replay's allowed keys, the footer
 * at each width and the `?` help are all read from it, so a key is added in one place. Modelled
 * on lazygit's per-controller binding lists (Key, Handler, Description, DisplayOnScreen).
 *
 * Inside an open prompt the flows reducer (src/flows/reducer.ts) reads the keys itself: typed
 * text must never reach this table, except Ctrl+K, which the reducer handles as well. The
 * `prompt` entry is here so the help names the keys that leave a prompt.
 */
import { isCtrlK } from './promptKeys.js';
import type { InkKey } from './keySplit.js';

/** What a key does; the controller and replay each say how (src/input/controller.ts, replayKeys.ts). */
export type FlowAction = 'kill' | 'influence' | 'advance' | 'decision' | 'signoff' | 'waive' | 'approve' | 'quit';
export type NavigationAction = 'up' | 'down' | 'pageUp' | 'pageDown' | 'detail' | 'filter' | 'help';
export type ScreenAction = FlowAction | NavigationAction | 'acknowledge' | 'refresh' | 'dismiss' | 'palette' | 'remedy';
export type Action = ScreenAction | 'cancelPrompt';

/**
 * `anywhere`: also over the help and while typing a filter (the kill-switch must never wait for
 * the room to close an overlay); `main`: the main screen; `prompt`: read by the flows reducer.
 */
export type When = 'anywhere' | 'main' | 'prompt';

/**
 * A key as the table names it: the character typed (`K`, `/`), `ctrl+<letter>`, or a named
 * key: `up`, `down`, `pageup`, `pagedown`, `enter`, `esc`.
 */
export type Chord = string;

export interface FooterHint {
  /** The hint at full width (`K kill`). */
  wide: string;
  /** The hint at 79 columns or fewer, where the whole list must still fit; `wide` when absent. */
  narrow?: string;
  /** The hint below 80x24, where only the keys the room needs there are named. */
  small?: string;
  /** Only where the action keys are absent (read-only) is there room for it. */
  readOnlyOnly?: boolean;
  /** Only in the full-width footer: at 80 columns the list is full (the `?` help still names it). */
  wideOnly?: boolean;
}

export interface Binding {
  /** Each key of the entry and what it does (one help line can cover several keys and actions). */
  keys: Readonly<Partial<Record<Chord, Action>>>;
  when: When;
  /**
   * The key changes the deployment or the record (sends, signs, acknowledges): replay refuses it,
   * the read-only footer leaves it out. Read-only consoles are refused by the flows themselves.
   */
  acts: boolean;
  /** The key column of the help. */
  label: string;
  description: string;
  footer?: FooterHint;
}

export const KEYMAP: readonly Binding[] = [
  {
    keys: { K: 'kill', 'ctrl+k': 'kill' },
    when: 'anywhere',
    acts: true,
    label: 'K, Ctrl+K',
    description: 'kill-switch: influence to 0% (confirm y/Enter; Ctrl+K works while typing)',
    footer: { wide: 'K kill', small: 'K kill-switch' },
  },
  { keys: { i: 'influence' }, when: 'main', acts: true, label: 'i', description: 'set influence: type pct, Enter; reason if above max_step or not GO; confirm y', footer: { wide: 'i set%' } },
  { keys: { n: 'advance' }, when: 'main', acts: true, label: 'n', description: 'advance to the next ramp stage (as i, pct proposed)', footer: { wide: 'n next' } },
  { keys: { d: 'decision' }, when: 'main', acts: true, label: 'd', description: 'record a decision: g GO / n NO-GO / h HOLD, justification, next review, y', footer: { wide: 'd decide' } },
  { keys: { s: 'signoff' }, when: 'main', acts: true, label: 's', description: 'sign off as your role: selected manual gate, else the one waiting', footer: { wide: 's sign' } },
  { keys: { w: 'waive' }, when: 'main', acts: true, label: 'w', description: 'waive the selected gate: reason, expiry (2h or a time), y', footer: { wide: 'w waive' } },
  // No footer hint: the request banner names the key while a request is open.
  { keys: { o: 'approve' }, when: 'main', acts: true, label: 'o', description: 'approve the open override / waiver request, confirm y' },
  { keys: { a: 'acknowledge' }, when: 'main', acts: true, label: 'a', description: 'acknowledge the due checkpoint, or cancel an armed auto-rollback', footer: { wide: 'a ack' } },
  {
    keys: { ':': 'palette' },
    when: 'main',
    acts: false,
    label: ':',
    description: 'command palette: every action and runbook (type to filter, ↑/↓, Enter; Esc cancels)',
    footer: { wide: ': cmds', wideOnly: true },
  },
  { keys: { x: 'remedy' }, when: 'main', acts: true, label: 'x', description: "run the remedy runbook of the banner's gate, else of the selected gate", footer: { wide: 'x remedy', wideOnly: true } },
  {
    keys: { k: 'up', up: 'up', j: 'down', down: 'down', pageup: 'pageUp', pagedown: 'pageDown' },
    when: 'main',
    acts: false,
    label: 'j/k, arrows',
    description: 'move the selection (PgUp/PgDn by 10)',
    footer: { wide: 'j/k move', readOnlyOnly: true },
  },
  { keys: { enter: 'detail' }, when: 'main', acts: false, label: 'Enter', description: 'open/close the selected gate detail', footer: { wide: 'Enter detail', readOnlyOnly: true } },
  { keys: { esc: 'dismiss' }, when: 'main', acts: false, label: 'Esc', description: 'close the detail, clear the notice and failed actions' },
  { keys: { r: 'refresh' }, when: 'main', acts: false, label: 'r', description: 'refresh all sources now', footer: { wide: 'r refresh' } },
  { keys: { '/': 'filter' }, when: 'main', acts: false, label: '/', description: 'filter gates (Enter keeps, Esc clears)', footer: { wide: '/ filter', narrow: '/find' } },
  { keys: { '?': 'help' }, when: 'main', acts: false, label: '?', description: 'this help (any key closes)', footer: { wide: '? help', narrow: '?help' } },
  {
    keys: { q: 'quit', 'ctrl+c': 'quit' },
    when: 'main',
    acts: false,
    label: 'q',
    description: 'quit (asks when an action is in flight)',
    footer: { wide: 'q quit', small: 'q quit' },
  },
  { keys: { esc: 'cancelPrompt', n: 'cancelPrompt', 'ctrl+c': 'cancelPrompt' }, when: 'prompt', acts: false, label: 'Esc, n', description: 'cancel any prompt: nothing is sent' },
];

const NAMED: [keyof InkKey, Chord][] = [
  ['upArrow', 'up'],
  ['downArrow', 'down'],
  ['pageUp', 'pageup'],
  ['pageDown', 'pagedown'],
  ['return', 'enter'],
  ['escape', 'esc'],
];

/**
 * The chords one key can mean, the most specific first. An unbound Ctrl+letter falls back to
 * the letter: Ink reports Ctrl+letter as the letter with `ctrl` set, and the console has always
 * acted on it as the letter.
 */
export function chordsOf(input: string, key: InkKey): Chord[] {
  if (isCtrlK({ ...key, input })) return ['ctrl+k'];
  if (key.ctrl && input) return [`ctrl+${input}`, input];
  for (const [flag, chord] of NAMED) if (key[flag]) return [chord];
  return input ? [input] : [];
}

export interface Hit {
  binding: Binding;
  action: Action;
}

/** The entry a key reaches among those active `when`, or undefined when it is not bound there. */
export function bindingFor(input: string, key: InkKey, when: readonly When[]): Hit | undefined {
  for (const chord of chordsOf(input, key)) {
    for (const binding of KEYMAP) {
      const action = binding.keys[chord];
      if (action && when.includes(binding.when)) return { binding, action };
    }
  }
  return undefined;
}
