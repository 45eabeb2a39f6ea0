/** The code cache's own framing (cli/cachedBundle.ts): what it accepts back, and what it refuses. */
import { describe, expect, it } from 'vitest';
import { checksum, unwrapCache, wrapCache } from '../../src/cli/cachedBundle.js';

const data = Buffer.from(Array.from({ length: 4099 }, (_, i) => (i * 31 + 7) & 0xff));

describe('code cache framing', () => {
  it('gives back exactly the bytes it wrapped, whatever their alignment in memory', () => {
    const file = wrapCache(data);
    expect(file.byteLength).toBe(data.byteLength + 12);
    expect(unwrapCache(file)?.equals(data)).toBe(true);
    const shifted = Buffer.alloc(file.byteLength + 1);
    file.copy(shifted, 1);
    expect(unwrapCache(shifted.subarray(1))?.equals(data)).toBe(true);
  });

  it('refuses a flipped bit anywhere, a zeroed block, a truncated or an extended file, a foreign one', () => {
    const file = wrapCache(data);
    for (let i = 0; i < file.byteLength; i += 97) {
      const bad = Buffer.from(file);
      bad[i]! ^= 1 << i % 8;
      expect(unwrapCache(bad), `bit flipped at ${i}`).toBeUndefined();
    }
    const zeroed = Buffer.from(file);
    zeroed.fill(0, 1024, 2048);
    expect(unwrapCache(zeroed)).toBeUndefined();
    expect(unwrapCache(file.subarray(0, file.byteLength - 1))).toBeUndefined();
    expect(unwrapCache(Buffer.concat([file, Buffer.from([0])]))).toBeUndefined();
    expect(unwrapCache(data)).toBeUndefined();
    expect(unwrapCache(Buffer.alloc(0))).toBeUndefined();
    expect(unwrapCache(wrapCache(Buffer.alloc(0)))).toBeUndefined();
  });

  it('the checksum depends on every byte and on the length', () => {
    expect(checksum(data)).toEqual(checksum(Buffer.from(data)));
    expect(checksum(data.subarray(0, 4096))).not.toEqual(checksum(data));
    expect(checksum(Buffer.alloc(8))).not.toEqual(checksum(Buffer.alloc(12)));
  });
});
