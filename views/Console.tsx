/** The console root: providers + keys + screen. */
import { App } from './App.js';
import { StoreContext, ThemeContext } from '../hooks/context.js';
import { useConsoleKeys, type KeyHandler } from '../hooks/useConsoleKeys.js';
import type { WarroomStore } from '../src/store/store.js';
import type { Theme } from './theme.js';

function Keys({ onKey }: { onKey: KeyHandler }) {
  useConsoleKeys(onKey);
  return null;
}

export function Console({ store, theme, onKey }: { store: WarroomStore; theme: Theme; onKey: KeyHandler }) {
  return (
    <StoreContext.Provider value={store}>
      <ThemeContext.Provider value={theme}>
        <Keys onKey={onKey} />
        <App />
      </ThemeContext.Provider>
    </StoreContext.Provider>
  );
}
