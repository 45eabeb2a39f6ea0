import { describe, expect, it } from 'vitest';
import { ExpositionError, parseExposition } from '../../src/sources/exposition.js';
import { mulberry32 } from '../../bench/random.js';

/** Deterministic uniforms in [0, 1), so a failing case can be reproduced from its index. */
const rng01 = (seed: number) => {
  const r = mulberry32(seed);
  return () => r() / 4294967296;
};

const ALPHABET = 'ab_:{}=",\\ \t\n#.-+eE0123456789NaInf\u0000\u001b\u00ff';

function parseOrError(text: string): 'ok' | 'error' {
  try {
    parseExposition(text);
    return 'ok';
  } catch (err) {
    if (!(err instanceof ExpositionError)) throw err;
    expect(err.line).toBeGreaterThanOrEqual(1);
    return 'error';
  }
}

describe('parseExposition: hostile input', () => {
  it('random bytes: only ever returns or throws ExpositionError (4000 cases)', () => {
    const r = rng01(42);
    const counts = { ok: 0, error: 0 };
    for (let n = 0; n < 4000; n++) {
      const len = Math.floor(r() * 200);
      let s = '';
      if (n % 2 === 0) {
        const bytes = Buffer.alloc(len);
        for (let i = 0; i < len; i++) bytes[i] = Math.floor(r() * 256);
        s = bytes.toString('latin1');
      } else {
        // Characters of the grammar, so the scanner gets deep into labels and escapes.
        for (let i = 0; i < len; i++) s += ALPHABET[Math.floor(r() * ALPHABET.length)];
      }
      counts[parseOrError(s)]++;
    }
    expect(counts.error).toBeGreaterThan(1000);
    expect(counts.ok).toBeGreaterThan(0); // empty lines/comments are valid: the fuzz reaches both paths
  });

  it('mutations of a valid exposition never crash', () => {
    const base = 'm{a="x\\"y",b="z",} 1.5e3 1700000000000\n# TYPE m gauge\nn NaN\n';
    const r = rng01(7);
    for (let n = 0; n < 2000; n++) {
      const chars = base.split('');
      const edits = 1 + Math.floor(r() * 4);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(r() * chars.length);
        const op = r();
        if (op < 0.33) chars.splice(at, 1);
        else if (op < 0.66) chars.splice(at, 0, ALPHABET[Math.floor(r() * ALPHABET.length)]!);
        else chars[at] = ALPHABET[Math.floor(r() * ALPHABET.length)]!;
      }
      parseOrError(chars.join(''));
    }
  });

  it('a 10 MB single line is handled in linear time', () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const t0 = performance.now();
    expect(() => parseExposition(big)).toThrow(ExpositionError); // name without value
    expect(() => parseExposition(`m{a="${big}`)).toThrow(/unterminated label value/);
    const ok = parseExposition(`m{a="${big}"} 1`);
    expect(ok.samples[0]!.labels.a!.length).toBe(big.length);
    const escapes = '\\"'.repeat(2 * 1024 * 1024);
    expect(parseExposition(`m{a="${escapes}"} 2`).samples[0]!.labels.a!.length).toBe(2 * 1024 * 1024);
    expect(() => parseExposition(`m ${big}`)).toThrow(/invalid value/);
    expect(() => parseExposition(`m 1 ${'9'.repeat(10 * 1024 * 1024)}`)).toThrow(/invalid timestamp/);
    expect(() => parseExposition(`# TYPE m ${big}`)).toThrow(/invalid TYPE/);
    expect(() => parseExposition('{'.repeat(10 * 1024 * 1024))).toThrow(ExpositionError);
    expect(parseExposition('#' + big).samples).toHaveLength(0);
    expect(performance.now() - t0).toBeLessThan(10_000);
  });

  it('many lines are handled in linear time', () => {
    const text = Array.from({ length: 200_000 }, (_, i) => `m{i="${i}"} ${i}`).join('\n');
    const t0 = performance.now();
    expect(parseExposition(text).samples).toHaveLength(200_000);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('error messages stay short even for huge tokens', () => {
    try {
      parseExposition(`m ${'z'.repeat(1_000_000)}`);
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message.length).toBeLessThan(200);
    }
  });
});
