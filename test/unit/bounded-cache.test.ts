import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../../src/render/boundedCache.js';

describe('BoundedCache (Ink text caches)', () => {
  it('never holds more than two generations however many distinct keys it sees', () => {
    const c = new BoundedCache<string, number>(100);
    for (let i = 0; i < 10_000; i++) c.set(`line ${i}`, i);
    expect(c.size).toBeLessThanOrEqual(200);
    expect(c.get('line 9999')).toBe(9999);
    expect(c.get('line 0')).toBeUndefined();
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
