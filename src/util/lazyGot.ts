/**
 * got, loaded on first use. It and its dependencies cost ~100–200 ms to load, which the
 * console's first frame does not need; the first scrape (or the action runner) starts the load
 * right after startup, and actions then call it synchronously.
 */
import type { Got } from 'got';

let loaded: Got | undefined;
let loading: Promise<Got> | undefined;

export function loadGot(): Promise<Got> {
  loading ??= import('got').then((m) => (loaded = m.default));
  return loading;
}

/** got if already loaded, so a caller can send without awaiting anything first. */
export function gotIfLoaded(): Got | undefined {
  return loaded;
}
