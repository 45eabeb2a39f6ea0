// The console's rule for repeated looks at a compare gate (the console and `check --watch` judge every
// minute for hours; §10.2's one-window test, looked at again and again, cries wolf). A one-sided CUSUM
// (Page 1954) on per-step relative differences, standardised by a noise estimate that a level shift does
// not inflate, with its allowance at the tolerance: only an effect beyond the tolerance accumulates. Each
// canary sample is compared with the baseline's pooled level plus the share of the same step's baseline
// deviation that the canary shares (sharedShare): with independent noise that halves the variance of the
// paired difference, with load hitting both tracks it is the paired difference. The threshold is calibrated
// by the judgment bench (bench/judge.ts) so that a canary equal to its baseline alarms in at most 5 % of
// 2-hour windows judged every step.
import { median } from './stats.js';
import type { Bad, JudgeSpec, Point } from './verdict.js';

/** The false-alarm budget: at most SEQ_ALPHA of windows of SEQ_HORIZON_MS, judged every step, alarm by chance. */
export const SEQ_ALPHA = 0.05;
export const SEQ_HORIZON_MS = 2 * 3_600_000;
/**
 * The design level handed to Siegmund's formula, for an allowance of 0.7 noise units or more. It is not
 * SEQ_ALPHA itself: `for: 3` removes some chance crossings, the estimated noise adds some. Calibrated with
 * bench/judge.ts at 10 % and 20 % independent noise and under load spikes shared by both tracks (these two
 * bind it); smaller allowances (noisier series) get a smaller level, see designAlpha.
 */
export const SEQ_DESIGN_ALPHA = 0.015;
/** A baseline sample more than this many robust standard deviations (MAD) from its window's median is paired. */
export const SPIKE_MADS = 2;

/** Calibrated (bench/judge.ts): the level shrinks as (k / 0.7)^1.5 below k = 0.7. */
export function designAlpha(k: number): number {
  return SEQ_DESIGN_ALPHA * Math.min(1, (k / 0.7) ** 1.5);
}

/**
 * The threshold h for allowance k (noise units) so that a CUSUM of N(0,1) − k increments reaches h within
 * `looks` steps with probability SEQ_DESIGN_ALPHA: Siegmund's approximation of the in-control average run
 * length, ARL0 ≈ (e^{2kb} − 1 − 2kb) / 2k², b = h + 1.166, with P(alarm within T) ≈ 1 − e^{−T/ARL0}.
 */
export function seqThreshold(k: number, looks: number, alpha = SEQ_DESIGN_ALPHA): number {
  const arl = looks / -Math.log(1 - alpha);
  const arlOf = (h: number) => {
    const b = h + 1.166;
    return k < 1e-6 ? b * b : (Math.exp(2 * k * b) - 1 - 2 * k * b) / (2 * k * k);
  };
  let lo = 0;
  let hi = 1;
  while (arlOf(hi) < arl && hi < 1e6) hi *= 2;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (arlOf(mid) < arl) lo = mid;
    else hi = mid;
  }
  return hi;
}

export interface SeqState {
  /** CUSUM statistics for a bad increase and a bad decrease. */
  up: number;
  down: number;
  /** Time of the newest pair consumed, ms. */
  lastT: number;
  /** Pairs consumed so far. */
  pairs: number;
  /** Σ of squared successive differences of the consumed relative differences, and the last one: the noise pools over every look. */
  sumSq: number;
  lastX: number;
  /** Since each statistic last left 0: how many pairs and their summed relative difference (the shift's estimate). */
  upN: number;
  upSum: number;
  downN: number;
  downSum: number;
  /** Σ and count of the ordinary baseline samples consumed: the pooled baseline level. */
  bSum?: number;
  bN?: number;
}

export interface SeqOutcome {
  state: SeqState;
  /** The statistic on the bad side(s) (max of both for `either`), in noise units. */
  stat: number;
  /** The alarm threshold for this noise (the tolerance in noise units is the allowance). */
  threshold: number;
  alarm: boolean;
  /** Noise of one paired relative difference, as a fraction. */
  sigma: number;
  /** The shift the statistic on the bad side is built from: mean relative difference over its last `steps`. */
  shift: number;
  steps: number;
}

/**
 * Pairs canary and baseline points taken at the same time (a range query's grid, one scrape), or failing
 * that the nearest baseline point within half a step (feed keys arrive apart); each point pairs once.
 */
export function pairUp(c: readonly Point[], b: readonly Point[], step = 0): { t: number; c: number; b: number }[] {
  const cs = c.filter((p) => Number.isFinite(p.v)).sort((x, y) => x.t - y.t);
  const bs = b.filter((p) => Number.isFinite(p.v)).sort((x, y) => x.t - y.t);
  const out: { t: number; c: number; b: number }[] = [];
  let j = 0;
  for (const p of cs) {
    while (j + 1 < bs.length && Math.abs(bs[j + 1]!.t - p.t) <= Math.abs(bs[j]!.t - p.t)) j++;
    const q = bs[j];
    if (q && Math.abs(q.t - p.t) <= step / 2) {
      out.push({ t: p.t, c: p.v, b: q.v });
      j++;
    }
  }
  return out;
}

/**
 * How much of the baseline's own movement the canary shares (load hitting both tracks), as the regression
 * slope cov(c, b) / var(b) over the window, held to [0, 1]. Each canary sample is compared with the
 * baseline's window median plus that share of the baseline's same-step deviation: with independent noise
 * (share ≈ 0) the difference has about half the variance of the paired one; with shared load (share ≈ 1) it
 * is the paired difference, which cancels the load. A step in the canary's level does not move the slope:
 * the baseline has no step to covary with.
 */
export function sharedShare(pairs: readonly { c: number; b: number }[]): number {
  const n = pairs.length;
  if (n < 3) return 1;
  let mc = 0;
  let mb = 0;
  for (const p of pairs) {
    mc += p.c;
    mb += p.b;
  }
  mc /= n;
  mb /= n;
  let cov = 0;
  let vb = 0;
  for (const p of pairs) {
    cov += (p.c - mc) * (p.b - mb);
    vb += (p.b - mb) ** 2;
  }
  if (!(vb > 0)) return 0;
  return Math.min(1, Math.max(0, cov / vb));
}

function statOf(s: SeqState, bad: Bad): number {
  return bad === 'increase' ? s.up : bad === 'decrease' ? s.down : Math.max(s.up, s.down);
}

/**
 * Consumes the pairs newer than `prev.lastT` from the window's series. No state before `minSamples` pairs
 * exist: the noise cannot be estimated yet.
 */
export function seqUpdate(spec: JudgeSpec, prev: SeqState | undefined, canary: readonly Point[], baseline: readonly Point[]): SeqOutcome | undefined {
  const pairs = pairUp(canary, baseline, spec.step);
  if (pairs.length < spec.minSamples) return undefined;
  const mid = median(pairs.map((p) => p.b));
  const scale = Math.abs(mid);
  const beta = sharedShare(pairs);
  const spread = SPIKE_MADS * 1.4826 * median(pairs.map((p) => Math.abs(p.b - mid)));
  const state: SeqState = prev ? { ...prev } : { up: 0, down: 0, lastT: -Infinity, pairs: 0, sumSq: 0, lastX: NaN, upN: 0, upSum: 0, downN: 0, downSum: 0, bSum: 0, bN: 0 };
  const news = pairs.filter((p) => p.t > state.lastT);
  // The baseline's level pools every ordinary baseline sample seen (not only the window's): its error is
  // shared by every later comparison, so it must shrink as the looks go on.
  for (const p of news) {
    if (Math.abs(p.b - mid) > spread) continue;
    state.bSum = (state.bSum ?? 0) + p.b;
    state.bN = (state.bN ?? 0) + 1;
  }
  const level = state.bN ? state.bSum! / state.bN : mid;
  const fresh: number[] = [];
  for (const p of news) {
    // A baseline sample far off its window's level is load that the canary most likely shares: pair it.
    const share = Math.abs(p.b - mid) > spread ? 1 : beta;
    const x = scale === 0 ? 0 : (p.c - level - share * (p.b - level)) / scale;
    if (state.pairs > 0) state.sumSq += (x - state.lastX) ** 2;
    state.lastX = x;
    state.lastT = p.t;
    state.pairs++;
    fresh.push(x);
  }
  // σ from successive differences (von Neumann), pooled over every pair seen: a step in level barely moves it.
  const sigma = state.pairs > 2 ? Math.sqrt(state.sumSq / (2 * (state.pairs - 1))) : NaN;
  if (!(sigma > 0)) return { state, stat: statOf(state, spec.bad), threshold: Infinity, alarm: false, sigma: 0, shift: 0, steps: 0 };
  // The tolerance, in noise units, is the allowance: only an effect beyond it accumulates.
  const k = spec.tolerance / sigma;
  for (const x of fresh) {
    const z = x / sigma;
    state.up = Math.max(0, state.up + z - k);
    state.down = Math.max(0, state.down - z - k);
    [state.upN, state.upSum] = state.up > 0 ? [state.upN + 1, state.upSum + x] : [0, 0];
    [state.downN, state.downSum] = state.down > 0 ? [state.downN + 1, state.downSum + x] : [0, 0];
  }
  const stat = statOf(state, spec.bad);
  // Two one-sided statistics share the budget when either direction is bad.
  const looks = Math.max(1, Math.round(SEQ_HORIZON_MS / spec.step)) * (spec.bad === 'either' ? 2 : 1);
  const threshold = seqThreshold(k, looks, designAlpha(k));
  const useUp = spec.bad === 'increase' || (spec.bad === 'either' && state.up >= state.down);
  const [n, sum] = useUp ? [state.upN, state.upSum] : [state.downN, state.downSum];
  return { state, stat, threshold, alarm: stat >= threshold, sigma, shift: n ? sum / n : 0, steps: n };
}
