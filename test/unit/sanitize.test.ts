/** stripControl: terminal sequences and the invisible marks that let remote text pass for ours. */
import { describe, expect, it } from 'vitest';
import { oneLine, stripControl } from '../../src/util/sanitize.js';

const INVISIBLE = [
  ...range(0x200b, 0x200f),
  ...range(0x202a, 0x202e),
  ...range(0x2060, 0x2064),
  ...range(0x2066, 0x2069),
  0xfeff,
  0x061c,
];
function range(a: number, b: number): number[] {
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

describe('stripControl', () => {
  it('removes every zero-width and directional mark', () => {
    for (const cp of INVISIBLE) {
      const c = String.fromCodePoint(cp);
      expect(stripControl(`deci${c}sion GO by ${c}alice${c}`), cp.toString(16)).toBe('decision GO by alice');
    }
  });

  it('still removes escape sequences and C0/C1 controls, and keeps ordinary text', () => {
    expect(stripControl('a\u001b[31mb\u001b]0;t\u0007c\u009b2Jd\u0000e')).toBe('abcde');
    expect(stripControl('naïve — 10% → 0% ✓ 日本')).toBe('naïve — 10% → 0% ✓ 日本');
    expect(oneLine('\u200e decision\nGO \u2067x\u2069 ')).toBe('decision GO x');
  });
});
