/** The console root: providers + keys + screen. */
import { App } from './App.js';
import { StoreContext, ThemeContext } from '../hooks/context.js';
import { useConsoleKeys, type ConsoleCommands } from '../hooks/useConsoleKeys.js';
import type { WarroomStore } from '../src/store/store.js';
import type { Theme } from './theme.js';

function Keys({ commands }: { commands: ConsoleCommands }) {
  useConsoleKeys(commands);
  return null;
}

export function Console({ store, theme, commands }: { store: WarroomStore; theme: Theme; commands: ConsoleCommands }) {
  return (
    <StoreContext.Provider value={store}>
      <ThemeContext.Provider value={theme}>
        <Keys commands={commands} />
        <App />
      </ThemeContext.Provider>
    </StoreContext.Provider>
  );
}
