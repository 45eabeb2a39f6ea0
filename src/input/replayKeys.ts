/** Replay's keys, read from the keymap: navigation, help and quit work; an acting key only says replay is read-only. */
import { setNotice, type WarroomStore } from '../store/store.js';
import { bindingFor } from './keymap.js';
import type { InkKey } from './keySplit.js';
import { filterKey, isNavigation, navigation, toggleHelp } from './navigation.js';

export const REPLAY_REFUSAL = 'REPLAY is read-only: actions are disabled';

/** One key of a replay; true when replay should end. */
export function replayKey(store: WarroomStore, input: string, key: InkKey): boolean {
  const ui = store.getState().ui;
  if (ui.help) return (toggleHelp(store, false), false);
  if (ui.filtering) return (filterKey(store, input, key), false);
  const hit = bindingFor(input, key, ['anywhere', 'main']);
  if (!hit) return false;
  if (hit.binding.acts) return (setNotice(store, REPLAY_REFUSAL, 'warn'), false);
  if (hit.action === 'quit') return true;
  // A recording has no sources to refresh, and its notices and failed actions are the record's:
  // of the rest, only navigation does anything here.
  if (isNavigation(hit.action)) navigation[hit.action](store);
  return false;
}
