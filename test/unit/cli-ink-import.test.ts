/** importInkGraph: `fetch` is hidden only while the import runs, and always put back. */
import { describe, expect, it } from 'vitest';
import { importInkGraph } from '../../src/cli/inkImport.js';

describe('importInkGraph', () => {
  it('hides fetch during the load and puts the same function back', async () => {
    const before = globalThis.fetch;
    const seen = await importInkGraph(async () => typeof globalThis.fetch);
    expect(seen).toBe('undefined');
    expect(globalThis.fetch).toBe(before);
  });

  it('a load that fails still gets fetch back, and its error through', async () => {
    const before = globalThis.fetch;
    await expect(importInkGraph(() => Promise.reject(new Error('no such module')))).rejects.toThrow('no such module');
    expect(globalThis.fetch).toBe(before);
  });

  it("yoga's loader, run under it, decodes its wasm without calling fetch (and does call it otherwise)", async () => {
    // `yoga-layout/load` instantiates afresh on each call, so the loader looks for fetch each time
    // (the package's main entry would be cached in this worker and prove nothing).
    const { loadYoga } = await import('yoga-layout/load');
    const real = globalThis.fetch;
    const asked: string[] = [];
    globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
      asked.push(String(input).slice(0, 5));
      return real(input, init);
    }) as typeof fetch;
    try {
      await loadYoga();
      expect(asked).toEqual(['data:']);
      asked.length = 0;
      const Yoga = await importInkGraph(() => loadYoga());
      expect(asked).toEqual([]);
      const node = Yoga.Node.create();
      node.setWidth(42);
      node.calculateLayout(undefined, undefined);
      expect(node.getComputedWidth()).toBe(42);
      node.free();
    } finally {
      globalThis.fetch = real;
    }
  });
});
