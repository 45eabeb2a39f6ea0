/** Keys → actions. Routing order: help overlay, filter line, then the key map. */
import { useApp, useInput } from 'ink';
import { filterKey, moveSelection, startFilter, toggleDetail, toggleHelp } from '../src/console/navigation.js';
import { updateUi } from '../src/store/store.js';
import { useWarroomStore } from './context.js';

export interface ConsoleCommands {
  refresh(): void;
  quit(): void;
}

export function useConsoleKeys(commands: ConsoleCommands): void {
  const store = useWarroomStore();
  const { exit } = useApp();
  useInput((input, key) => {
    const ui = store.getState().ui;
    if (ui.help) return toggleHelp(store, false);
    if (ui.filtering) return filterKey(store, input, key);
    if (key.upArrow || input === 'k') return moveSelection(store, -1);
    if (key.downArrow || input === 'j') return moveSelection(store, 1);
    if (key.pageUp) return moveSelection(store, -10);
    if (key.pageDown) return moveSelection(store, 10);
    if (key.return) return toggleDetail(store);
    if (key.escape) return updateUi(store, { detail: false });
    if (input === '/') return startFilter(store);
    if (input === '?') return toggleHelp(store, true);
    if (input === 'r') return commands.refresh();
    if (input === 'q') {
      commands.quit();
      exit();
    }
  });
}
