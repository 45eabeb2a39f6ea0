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

  it('a real yoga loads with fetch hidden and lays out a node', async () => {
    const { default: Yoga } = await importInkGraph(() => import('yoga-layout'));
    const node = Yoga.Node.create();
    node.setWidth(42);
    node.calculateLayout(undefined, undefined);
    expect(node.getComputedWidth()).toBe(42);
    node.free();
  });
});
