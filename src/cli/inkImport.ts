/**
 * Imports a module graph that brings in Ink, with the global `fetch` hidden while it loads.
 *
 * Yoga (Ink's layout engine) carries its wasm as a base64 `data:` URL inside its JavaScript, and
 * its emscripten loader reads that URL with the global `fetch` whenever one exists. On Node the
 * first `fetch` call loads undici (Node's bundled HTTP client) only to decode that data URL:
 * `import('yoga-layout')` took 39–41 ms with it and 16–18 ms without on Node 20, 40–44 and
 * 11–14 ms on Node 24 (BENCHMARKS.md, issue 23). Without a `fetch` the same loader decodes the
 * base64 itself: the same bytes, the same module. No other module of that graph reads `fetch`
 * (the bundle's only uses are yoga's two). We call this before the command has started
 * anything, so no code of ours runs while `fetch` is hidden, and it is put back as soon as the
 * import settles, whether it loaded or failed.
 */
export async function importInkGraph<T>(load: () => Promise<T>): Promise<T> {
  const fetchProperty = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (!fetchProperty?.configurable) return load();
  Object.defineProperty(globalThis, 'fetch', { value: undefined, configurable: true, writable: true });
  try {
    return await load();
  } finally {
    Object.defineProperty(globalThis, 'fetch', fetchProperty);
  }
}
