import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile, normalSf, twoSidedZ } from '../../src/judge/normal.js';
import { finiteOnly, hodgesLehmann, mannWhitney, median, roundHalfEven, theilSen } from '../../src/judge/stats.js';

// Made by test/fixtures/judge/make_reference.py (an independent Python re-implementation; see its header).
const ref = JSON.parse(readFileSync(new URL('../fixtures/judge/reference.json', import.meta.url), 'utf8')) as {
  compare: { c: number[]; b: number[]; confidence: number; hl: { shift: number; ci: [number, number]; k: number }; mw: { u: number; p: number } }[];
  trend: { y: number[]; t: number[]; confidence: number; ts: { slope: number; ci: [number, number] } }[];
};

const X = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
const Y = [1.15, 0.88, 0.9, 0.74, 1.21];

describe('normal distribution', () => {
  it('gives the published quantiles', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 13);
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 13);
    expect(normalQuantile(0.995)).toBeCloseTo(2.5758293035489004, 13);
    expect(normalQuantile(0.9995)).toBeCloseTo(3.2905267314919255, 12);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 13);
    expect(twoSidedZ(0.95)).toBeCloseTo(1.959963984540054, 13);
    expect(normalQuantile(0.5)).toBe(0);
  });
  it('cdf and sf agree with known values and with each other', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 15);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 14);
    expect(normalSf(3)).toBeCloseTo(0.0013498980316300933, 15);
    expect(normalSf(8) / 6.22096057427178e-16).toBeCloseTo(1, 10);
    for (const z of [-4, -2.6, -1, 0.3, 2.4, 2.6, 5]) expect(normalCdf(z) + normalSf(z)).toBeCloseTo(1, 14);
    for (const p of [1e-9, 0.01, 0.3, 0.7, 0.99]) expect(normalCdf(normalQuantile(p)) / p).toBeCloseTo(1, 11);
  });
});

describe('Mann–Whitney U (as scipy.stats.mannwhitneyu method="asymptotic")', () => {
  it("matches SciPy's own docstring example", () => {
    const males = [19, 22, 16, 29, 24];
    const females = [20, 11, 17, 12];
    const r = mannWhitney(males, females);
    expect(r.u).toBe(17);
    expect(r.p).toBeCloseTo(0.11134688653314041, 14);
  });
  it("on R's ?wilcox.test example data: W = 35; p by hand from the normal approximation with continuity", () => {
    // x, y from R's wilcox.test documentation (depression scores); no ties, so sd = sqrt(10*5*16/12).
    const r = mannWhitney(X, Y);
    expect(r.u).toBe(35);
    expect(r.p).toBeCloseTo(0.24462360512698345, 13); // 2*(1 - Phi((35 - 0.5 - 25) / 8.1650))
  });
  it('matches the reference fixtures, ties included', () => {
    for (const f of ref.compare) {
      const r = mannWhitney(f.c, f.b);
      expect(r.u).toBe(f.mw.u);
      expect(r.p).toBeCloseTo(f.mw.p, 12);
    }
  });
  it('says p = 1 when every value is equal', () => {
    expect(mannWhitney([2, 2, 2], [2, 2]).p).toBe(1);
  });
});

describe('Hodges–Lehmann shift and interval', () => {
  it("R's ?wilcox.test example: the location shift R reports (0.305) is the median of the 50 differences", () => {
    expect(hodgesLehmann(X, Y, 0.95).shift).toBeCloseTo(0.305, 12);
  });
  it('hand case: differences 0,1,1,2,2,3 -> shift 1.5, K clamps to 1', () => {
    const r = hodgesLehmann([1, 2, 3], [0, 1], 0.95);
    expect(r).toEqual({ shift: 1.5, ci: [0, 3], k: 1 });
  });
  it('K = floor(mn/2 - z sqrt(mn(m+n+1)/12)) by hand for m = n = 10', () => {
    // mn = 100: 50 - 1.959964 * sqrt(100*21/12) = 50 - 25.928 = 24.07 -> 24: [D_24, D_77]
    const c = Array.from({ length: 10 }, (_, i) => 10 + i);
    const b = Array.from({ length: 10 }, (_, i) => i);
    const r = hodgesLehmann(c, b, 0.95);
    expect(r.k).toBe(24);
    expect(r.shift).toBe(10);
    const d = c.flatMap((x) => b.map((y) => x - y)).sort((p, q) => p - q);
    expect(r.ci).toEqual([d[23], d[76]]);
  });
  it('matches the reference fixtures', () => {
    for (const f of ref.compare) {
      const r = hodgesLehmann(f.c, f.b, f.confidence);
      expect(r.k).toBe(f.hl.k);
      expect(r.shift).toBeCloseTo(f.hl.shift, 14);
      expect(r.ci[0]).toBeCloseTo(f.hl.ci[0], 14);
      expect(r.ci[1]).toBeCloseTo(f.hl.ci[1], 14);
    }
  });
});

describe('Theil–Sen (as scipy.stats.theilslopes)', () => {
  it('a straight line has its slope and a zero-width interval', () => {
    const t = [0, 1, 2, 3, 4, 5];
    expect(theilSen(t.map((x) => 2 * x + 1), t, 0.95)).toEqual({ slope: 2, ci: [2, 2], pairs: 15 });
  });
  it('matches the reference fixtures, repeated times and values included', () => {
    for (const f of ref.trend) {
      const r = theilSen(f.y, f.t, f.confidence);
      expect(r.slope).toBeCloseTo(f.ts.slope, 14);
      expect(r.ci[0]).toBeCloseTo(f.ts.ci[0], 14);
      expect(r.ci[1]).toBeCloseTo(f.ts.ci[1], 14);
    }
  });
  it('rounds indices as numpy does (half to even)', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, 2, 3]);
  });
});

describe('helpers', () => {
  it('median and finiteOnly', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(finiteOnly([1, NaN, Infinity, 2, -Infinity])).toEqual({ values: [1, 2], dropped: 3 });
  });
});
