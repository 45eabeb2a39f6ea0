/** Keys → store for navigation: selection, detail, filter, help. No I/O. */
import { filterGates } from '../viewmodel/selectors.js';
import { updateUi, type WarroomStore } from '../store/store.js';
import type { NavigationAction } from './keymap.js';
import { isPromptKey } from './promptKeys.js';

export function moveSelection(store: WarroomStore, delta: number): void {
  const s = store.getState();
  const n = filterGates(s.config.gates, s.ui.filter).length;
  if (n === 0) return;
  updateUi(store, { selected: Math.max(0, Math.min(n - 1, s.ui.selected + delta)) });
}

export function toggleDetail(store: WarroomStore): void {
  updateUi(store, { detail: !store.getState().ui.detail, help: false });
}

export function toggleHelp(store: WarroomStore, open?: boolean): void {
  updateUi(store, { help: open ?? !store.getState().ui.help });
}

export function startFilter(store: WarroomStore): void {
  updateUi(store, { filtering: true, detail: false });
}

/** Typing into the filter line; Enter keeps the filter, Esc clears it. */
export function filterKey(store: WarroomStore, input: string, key: { return?: boolean; escape?: boolean; backspace?: boolean; delete?: boolean }): void {
  const ui = store.getState().ui;
  if (isPromptKey('cancel', { input, ...key })) return updateUi(store, { filtering: false, filter: '', selected: 0 });
  if (isPromptKey('submit', { input, ...key })) return updateUi(store, { filtering: false });
  if (isPromptKey('erase', { input, ...key })) return updateUi(store, { filter: ui.filter.slice(0, -1), selected: 0 });
  const printable = input.replace(/[^\x20-\x7e]/g, '');
  if (printable) updateUi(store, { filter: (ui.filter + printable).slice(0, 60), selected: 0 });
}

/** The keymap's navigation actions, shared by the live console and replay. */
export const navigation: Record<NavigationAction, (store: WarroomStore) => void> = {
  up: (store) => moveSelection(store, -1),
  down: (store) => moveSelection(store, 1),
  pageUp: (store) => moveSelection(store, -10),
  pageDown: (store) => moveSelection(store, 10),
  detail: toggleDetail,
  filter: startFilter,
  help: (store) => toggleHelp(store, true),
};

export function isNavigation(action: string): action is NavigationAction {
  return Object.hasOwn(navigation, action);
}
