/** The console root: providers + keys + screen. */
import { App } from './App.js';
import { StoreContext, ThemeContext } from '../hooks/context.js';
import { useConsoleKeys, type InputHandler } from '../hooks/useConsoleKeys.js';
import type { WarroomStore } from '../src/store/store.js';
import type { Theme } from './theme.js';

function Keys({ onInput }: { onInput: InputHandler }) {
  useConsoleKeys(onInput);
  return null;
}

export function Console({ store, theme, onInput }: { store: WarroomStore; theme: Theme; onInput: InputHandler }) {
  return (
    <StoreContext.Provider value={store}>
      <ThemeContext.Provider value={theme}>
        <Keys onInput={onInput} />
        <App />
      </ThemeContext.Provider>
    </StoreContext.Provider>
  );
}
