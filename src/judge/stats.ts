// The statistics of a judged gate (compare: canary against baseline; trend: slope over time), exactly as the
// product contract states them, so a user can check a verdict with SciPy or R. Pure functions, no I/O.
import { normalSf, twoSidedZ } from './normal.js';

/** Keeps the finite values; says how many were dropped (NaN, +Inf, -Inf). */
export function finiteOnly(values: readonly number[]): { values: number[]; dropped: number } {
  const kept = values.filter((v) => Number.isFinite(v));
  return { values: kept, dropped: values.length - kept.length };
}

function sortedCopy(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

/** Median of an already sorted array (mean of the two middle values when even), as numpy.median. */
function medianSorted(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function median(values: readonly number[]): number {
  return medianSorted(sortedCopy(values));
}

export interface ShiftResult {
  /** Hodges–Lehmann estimate: the median of all m·n differences c − b. */
  shift: number;
  /** [D_K, D_(mn+1−K)] of the sorted differences (1-based). */
  ci: [number, number];
  /** The K used (1-based rank of the lower bound). */
  k: number;
}

/** All m·n differences c_i − b_j, sorted ascending. */
function sortedDifferences(c: readonly number[], b: readonly number[]): Float64Array {
  const d = new Float64Array(c.length * b.length);
  let i = 0;
  for (const ci of c) for (const bj of b) d[i++] = ci - bj;
  return d.sort();
}

/**
 * Hodges–Lehmann shift of c over b and its order-statistic interval:
 * K = ⌊mn/2 − z·√(mn(m+n+1)/12)⌋, at least 1, z the two-sided normal quantile of the confidence.
 */
export function hodgesLehmann(c: readonly number[], b: readonly number[], confidence: number): ShiftResult {
  const m = c.length;
  const n = b.length;
  if (m === 0 || n === 0) return { shift: NaN, ci: [NaN, NaN], k: 0 };
  const d = sortedDifferences(c, b);
  const mn = m * n;
  const z = twoSidedZ(confidence);
  const k = Math.max(1, Math.floor(mn / 2 - z * Math.sqrt((mn * (m + n + 1)) / 12)));
  return { shift: medianSorted(d), ci: [d[k - 1]!, d[mn - k]!], k };
}

/** Midranks (1-based) of the pooled values, and Σ(t³ − t) over tie groups. */
function rankPooled(values: readonly number[]): { ranks: Float64Array; tieTerm: number } {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Float64Array(values.length);
  let tieTerm = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]!] === values[order[i]!]) j++;
    const t = j - i + 1;
    const midrank = (i + 1 + j + 1) / 2;
    for (let k = i; k <= j; k++) ranks[order[k]!] = midrank;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  return { ranks, tieTerm };
}

export interface MannWhitneyResult {
  /** U of the first sample (SciPy's `statistic`). */
  u: number;
  /** Two-sided p, normal approximation with tie and continuity correction. */
  p: number;
}

/** As scipy.stats.mannwhitneyu(x, y, alternative="two-sided", method="asymptotic", use_continuity=True). */
export function mannWhitney(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) return { u: NaN, p: NaN };
  const n = n1 + n2;
  const { ranks, tieTerm } = rankPooled([...x, ...y]);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranks[i]!;
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const mu = (n1 * n2) / 2;
  const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  if (!(s > 0)) return { u: u1, p: 1 }; // every value equal: no evidence either way
  const z = (Math.max(u1, u2) - 0.5 - mu) / s;
  return { u: u1, p: Math.min(1, Math.max(0, 2 * normalSf(z))) };
}

/** numpy.round: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Σ k(k−1)(2k+5) over groups of repeated values. */
function repeatTerm(values: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let sum = 0;
  for (const k of counts.values()) sum += k * (k - 1) * (2 * k + 5);
  return sum;
}

export interface SlopeResult {
  slope: number;
  ci: [number, number];
  /** How many pairwise slopes there were (pairs with equal times are skipped). */
  pairs: number;
}

/** As scipy.stats.theilslopes(y, t, alpha=confidence) (method="separate"): slope, low_slope, high_slope. */
export function theilSen(y: readonly number[], t: readonly number[], confidence: number): SlopeResult {
  const slopes: number[] = [];
  for (let i = 0; i < y.length; i++) {
    for (let j = 0; j < y.length; j++) {
      const dt = t[i]! - t[j]!;
      if (dt > 0) slopes.push((y[i]! - y[j]!) / dt);
    }
  }
  if (slopes.length === 0) return { slope: NaN, ci: [NaN, NaN], pairs: 0 };
  const sorted = sortedCopy(slopes);
  const alpha = confidence > 0.5 ? 1 - confidence : confidence;
  const z = -twoSidedZ(1 - alpha); // SciPy's norm.ppf(alpha/2): negative
  const ny = y.length;
  const nt = sorted.length;
  const sigsq = (ny * (ny - 1) * (2 * ny + 5) - repeatTerm(t) - repeatTerm(y)) / 18;
  const sigma = Math.sqrt(sigsq);
  if (!Number.isFinite(sigma)) return { slope: medianSorted(sorted), ci: [NaN, NaN], pairs: nt };
  const ru = Math.min(roundHalfEven((nt - z * sigma) / 2), nt - 1);
  const rl = Math.max(roundHalfEven((nt + z * sigma) / 2) - 1, 0);
  return { slope: medianSorted(sorted), ci: [sorted[rl]!, sorted[ru]!], pairs: nt };
}
