/**
 * The screen shows only what is in the store, so the store is where environment values are
 * taken out of everything shown: source errors, gate reasons, command output, feed text, action
 * outcomes. `config` is left as it is: the engine evaluates it and the actions send it.
 */
import type { StoreApi } from 'zustand/vanilla';
import { redactDeep, type Redactor } from '../util/redactor.js';

const KEEP = ['config'] as const;

export function redactWrites<T extends object>(store: StoreApi<T>, r: Redactor): StoreApi<T> {
  if (!r.active) return store;
  const raw = store.setState.bind(store);
  const clean = (p: T | Partial<T>) => redactDeep(p, r, KEEP);
  store.setState = ((partial: T | Partial<T> | ((s: T) => T | Partial<T>), replace?: boolean) => {
    const next = typeof partial === 'function' ? (s: T) => clean(partial(s)) : clean(partial);
    (raw as (p: unknown, r?: boolean) => void)(next, replace);
  }) as StoreApi<T>['setState'];
  // The initial state (pending sources, config-derived text) passes the same way.
  raw(clean(store.getState()) as T, true as never);
  return store;
}
