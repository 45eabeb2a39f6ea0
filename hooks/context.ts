/** The store and display theme, handed to every view through context. */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { WarroomState, WarroomStore } from '../src/store/store.js';
import type { Theme } from '../views/theme.js';

export const StoreContext = createContext<WarroomStore | null>(null);
export const ThemeContext = createContext<Theme>({ ascii: false, color: true });

export function useWarroomStore(): WarroomStore {
  const s = useContext(StoreContext);
  if (!s) throw new Error('StoreContext missing');
  return s;
}

/** Select one slice; selectors must return stable references (see STACK-NOTES on zustand). */
export function useWarroom<T>(selector: (s: WarroomState) => T): T {
  return useStore(useWarroomStore(), selector);
}

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
