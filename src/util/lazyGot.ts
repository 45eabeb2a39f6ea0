/**
 * got, loaded on first use. It and its dependencies cost ~100–200 ms to load, which the
 * console's first frame does not need; the first scrape (or the action runner) starts the load
 * right after startup, and actions then call it synchronously.
 *
 * The import starts on the next turn of the event loop, not in the caller's: on Node 24 `import()`
 * reads, compiles and links got's module graph synchronously (and its ESM import of `node:http`
 * loads undici, nodejs/node#57649), so called from the console's start it ran between the sources
 * starting and the first frame (startup −13 ms on Node 24 deferred, BENCHMARKS.md, issue 23).
 */
import type { Got } from 'got';

let loaded: Got | undefined;
let loading: Promise<Got> | undefined;

export function loadGot(): Promise<Got> {
  loading ??= new Promise<void>((r) => setImmediate(r)).then(() => import('got')).then((m) => (loaded = m.default));
  return loading;
}

/** got if already loaded, so a caller can send without awaiting anything first. */
export function gotIfLoaded(): Got | undefined {
  return loaded;
}
