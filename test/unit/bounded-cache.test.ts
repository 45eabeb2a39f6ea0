/**
 * The bounded cache that patches/ink+6.8.0.patch adds to Ink (ink#986), as it ships: the
 * module is taken from the patch itself, applied by the build's own code (scripts/patches.mjs).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyFilePatch, loadPatches } from '../../scripts/patches.mjs';

interface Cache<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): Cache<K, V>;
  readonly size: number;
}
type CacheClass = new <K, V>(limit: number) => Cache<K, V>;

let dir: string;
let BoundedCache: CacheClass;
let TEXT_CACHE_LIMIT: number;

beforeAll(async () => {
  const ink = loadPatches(join(import.meta.dirname, '..', '..', 'patches')).find((p) => p.name === 'ink');
  const file = ink?.files.find((f) => f.path === 'ink/build/bounded-cache.js');
  expect(file?.created).toBe(true);
  dir = await mkdtemp(join(tmpdir(), 'warroom-bounded-cache-'));
  const path = join(dir, 'bounded-cache.mjs');
  await writeFile(path, applyFilePatch(undefined, file!));
  ({ default: BoundedCache, TEXT_CACHE_LIMIT } = await import(pathToFileURL(path).href));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('BoundedCache (Ink text caches, patches/ink+6.8.0.patch)', () => {
  it('never holds more than two generations however many distinct keys it sees', () => {
    const c = new BoundedCache<string, number>(100);
    for (let i = 0; i < 10_000; i++) c.set(`line ${i}`, i);
    expect(c.size).toBeLessThanOrEqual(200);
    expect(c.get('line 9999')).toBe(9999);
    expect(c.get('line 0')).toBeUndefined();
  });

  it('Ink\'s caches are bounded at 2 × TEXT_CACHE_LIMIT entries each', () => {
    expect(TEXT_CACHE_LIMIT).toBe(2000);
    const c = new BoundedCache<string, { width: number; height: number }>(TEXT_CACHE_LIMIT);
    // One hour of 45 text nodes changing every second.
    for (let s = 0; s < 3600; s++) for (let k = 0; k < 45; k++) c.set(`gate ${k} ${s}`, { width: 40, height: 1 });
    expect(c.size).toBeLessThanOrEqual(2 * TEXT_CACHE_LIMIT);
  });

  it('keeps what every frame reads while new keys stream past', () => {
    const c = new BoundedCache<string, number>(50);
    c.set('footer', 1);
    for (let frame = 0; frame < 1000; frame++) {
      // The footer is read each frame (as Ink measures it), 10 changing values are added.
      expect(c.get('footer')).toBe(1);
      for (let k = 0; k < 10; k++) c.set(`value ${frame}.${k}`, k);
    }
    expect(c.size).toBeLessThanOrEqual(100);
  });

  it('a hit in the previous generation survives the next turnover', () => {
    const c = new BoundedCache<string, string>(2);
    c.set('a', 'A');
    c.set('b', 'B');
    c.set('c', 'C'); // a, b are now the previous generation
    expect(c.get('a')).toBe('A'); // promoted into the current one
    c.set('d', 'D'); // turnover: previous = {c, a}
    c.set('e', 'E');
    expect(c.get('a')).toBe('A');
    expect(c.get('b')).toBeUndefined();
  });
});
