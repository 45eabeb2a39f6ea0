/**
 * What each KEYMAP action does on the live console, and when it is disabled (the reason is said
 * instead of acting), as lazygit's bindings carry Handler and DisabledReason. Typed over every
 * Action: a key added to the table without a handler does not compile. Replay has its own,
 * smaller answer (replayKeys.ts).
 */
import type { FlowKind } from '../flows/types.js';
import type { WarroomState, WarroomStore } from '../store/store.js';
import type { Action, NavigationAction } from './keymap.js';
import { navigation } from './navigation.js';

/** What the handlers act on: the controller implements it. */
export interface KeyTarget {
  readonly store: WarroomStore;
  /** Opens a flow (or refuses it); true when the console should quit. */
  open(kind: FlowKind): boolean;
  openRemedy(): boolean;
  acknowledge(): void;
  refresh(): void;
  dismiss(): void;
  /** Says why a key did nothing. */
  refuse(why: string): void;
}

export interface KeyHandler {
  /** True when the console should quit. */
  run(t: KeyTarget): boolean;
  /** Why the key does nothing in this state, or undefined. */
  disabled?(s: WarroomState): string | undefined;
}

export const READ_ONLY_NOTICE = 'READ-ONLY: actions are disabled';

const flow = (kind: FlowKind): KeyHandler => ({ run: (t) => t.open(kind) });
const nav = (action: NavigationAction): KeyHandler => ({ run: (t) => (navigation[action](t.store), false) });
const act = (run: (t: KeyTarget) => void, disabled?: KeyHandler['disabled']): KeyHandler => ({ run: (t) => (run(t), false), ...(disabled ? { disabled } : {}) });

export const KEY_HANDLERS: { readonly [A in Action]: KeyHandler } = {
  // The flows refuse for themselves (role, read-only) and say why on their own prompt line.
  kill: flow('kill'),
  influence: flow('influence'),
  advance: flow('advance'),
  decision: flow('decision'),
  signoff: flow('signoff'),
  waive: flow('waive'),
  approve: flow('approve'),
  quit: flow('quit'),
  palette: flow('palette'),
  remedy: { run: (t) => t.openRemedy() },
  acknowledge: act((t) => t.acknowledge(), (s) => (s.readOnly ? READ_ONLY_NOTICE : undefined)),
  refresh: act((t) => t.refresh()),
  dismiss: act((t) => t.dismiss()),
  // Prompt keys never get here: an open prompt reads its own keys (promptKeys.ts).
  cancelPrompt: act(() => {}),
  up: nav('up'),
  down: nav('down'),
  pageUp: nav('pageUp'),
  pageDown: nav('pageDown'),
  detail: nav('detail'),
  filter: nav('filter'),
  help: nav('help'),
};

/** One keymap action: its disabled reason said, or its handler run. True when the console should quit. */
export function dispatch(action: Action, t: KeyTarget): boolean {
  const handler = KEY_HANDLERS[action];
  const why = handler.disabled?.(t.store.getState());
  if (why) {
    t.refuse(why);
    return false;
  }
  return handler.run(t);
}
