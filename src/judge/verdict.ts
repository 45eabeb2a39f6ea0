// The verdict of a judged gate from its window's samples: PASS / WARN / FAIL / UNKNOWN by the contract's rule.
// Pure: the samples come in, the verdict, its reason and the figures (for the grid, detail and JSON) go out.
import { finiteOnly, hodgesLehmann, mannWhitney, median, theilSen } from './stats.js';

export type Bad = 'increase' | 'decrease' | 'either';

export interface JudgeSpec {
  kind: 'compare' | 'trend';
  /** ms */
  window: number;
  /** ms: range-query step. */
  step: number;
  bad: Bad;
  /** Smallest effect that matters, as a fraction (0.1 = 10 %; trend: per hour). */
  tolerance: number;
  /** 0.95 = 95 %. */
  confidence: number;
  minSamples: number;
}

/** A sample of a series: time (ms epoch) and value. */
export interface Point {
  t: number;
  v: number;
}

export type JudgedStatus = 'PASS' | 'WARN' | 'FAIL' | 'UNKNOWN';

export interface CompareFigures {
  kind: 'compare';
  m: number;
  n: number;
  /** NaN/±Inf samples dropped before judging, per side. */
  dropped: { canary: number; baseline: number };
  medians: { canary: number; baseline: number };
  shift: number;
  ci: [number, number];
  /** shift / |median(baseline)|; the interval relative the same way. */
  effect: number;
  effectCi: [number, number];
  p: number;
}

export interface TrendFigures {
  kind: 'trend';
  n: number;
  dropped: number;
  median: number;
  /** Per hour, in the series' unit. */
  slope: number;
  ci: [number, number];
  /** slope / |median(y)|: a fraction per hour; interval likewise. */
  relative: number;
  relativeCi: [number, number];
}

export type Figures = CompareFigures | TrendFigures;

export interface JudgeOutcome {
  status: JudgedStatus;
  reason: string;
  figures?: Figures;
}

/** Is the interval wholly on the bad side of 0? */
export function whollyBad(ci: readonly [number, number], bad: Bad): boolean {
  const up = ci[0] > 0;
  const down = ci[1] < 0;
  return bad === 'increase' ? up : bad === 'decrease' ? down : up || down;
}

function signed(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const s = x.toFixed(digits);
  return x > 0 || (x === 0 && !s.startsWith('-')) ? `+${s}` : s;
}

/** `+31%` (or `+4.1%` below 10 %). */
export function pct(fraction: number): string {
  const v = fraction * 100;
  return `${signed(v, Math.abs(v) < 10 ? 1 : 0)}%`;
}

/** What the grid shows for a judged gate: `+31% [+22%, +40%]` or `-4.1%/h`. */
export function effectText(f: Figures): string {
  if (f.kind === 'compare') return `${pct(f.effect)} [${pct(f.effectCi[0])}, ${pct(f.effectCi[1])}]`;
  return `${pct(f.relative)}/h`;
}

/** The rule shown as the threshold: `bad increase > 10% (95%)`. */
export function ruleText(spec: JudgeSpec): string {
  const tol = `${+(spec.tolerance * 100).toPrecision(4)}%${spec.kind === 'trend' ? '/h' : ''}`;
  return `${spec.bad} > ${tol} @${+(spec.confidence * 100).toPrecision(4)}%`;
}

function verdictOf(ci: [number, number], effect: number, spec: JudgeSpec, what: string): { status: JudgedStatus; reason: string } {
  const tol = spec.tolerance;
  if (!whollyBad(ci, spec.bad)) return { status: 'PASS', reason: `no ${spec.bad === 'either' ? 'change' : spec.bad} shown: ${what}` };
  if (Math.abs(effect) > tol) return { status: 'FAIL', reason: `${what}: beyond tolerance` };
  return { status: 'WARN', reason: `${what}: real but within tolerance` };
}

function droppedNote(count: number): string {
  return count > 0 ? `; ${count} NaN/Inf sample${count === 1 ? '' : 's'} dropped` : '';
}

export function judgeCompare(spec: JudgeSpec, canaryRaw: readonly number[], baselineRaw: readonly number[]): JudgeOutcome {
  const c = finiteOnly(canaryRaw);
  const b = finiteOnly(baselineRaw);
  const m = c.values.length;
  const n = b.values.length;
  const dropped = droppedNote(c.dropped + b.dropped);
  if (m < spec.minSamples || n < spec.minSamples) {
    return { status: 'UNKNOWN', reason: `not enough data: canary ${m}, baseline ${n} samples (needs ${spec.minSamples} each)${dropped}` };
  }
  const hl = hodgesLehmann(c.values, b.values, spec.confidence);
  const mb = median(b.values);
  const scale = Math.abs(mb);
  const rel = (x: number) => (scale === 0 ? (x === 0 ? 0 : x / 0) : x / scale);
  const figures: CompareFigures = {
    kind: 'compare',
    m,
    n,
    dropped: { canary: c.dropped, baseline: b.dropped },
    medians: { canary: median(c.values), baseline: mb },
    shift: hl.shift,
    ci: hl.ci,
    effect: rel(hl.shift),
    effectCi: [rel(hl.ci[0]), rel(hl.ci[1])],
    p: mannWhitney(c.values, b.values).p,
  };
  const v = verdictOf(hl.ci, figures.effect, spec, `canary ${effectText(figures)} vs baseline`);
  return { status: v.status, reason: v.reason + dropped, figures };
}

const HOUR = 3_600_000;

export function judgeTrend(spec: JudgeSpec, points: readonly Point[]): JudgeOutcome {
  const kept = points.filter((p) => Number.isFinite(p.v));
  const droppedCount = points.length - kept.length;
  const dropped = droppedNote(droppedCount);
  if (kept.length < spec.minSamples) {
    return { status: 'UNKNOWN', reason: `not enough data: ${kept.length} samples (needs ${spec.minSamples})${dropped}` };
  }
  const t0 = kept[0]!.t;
  const ts = theilSen(kept.map((p) => p.v), kept.map((p) => (p.t - t0) / HOUR), spec.confidence);
  if (!Number.isFinite(ts.slope)) return { status: 'UNKNOWN', reason: `no slope: the samples share one time${dropped}` };
  const med = median(kept.map((p) => p.v));
  const scale = Math.abs(med);
  const rel = (x: number) => (scale === 0 ? (x === 0 ? 0 : x / 0) : x / scale);
  const figures: TrendFigures = {
    kind: 'trend',
    n: kept.length,
    dropped: droppedCount,
    median: med,
    slope: ts.slope,
    ci: ts.ci,
    relative: rel(ts.slope),
    relativeCi: [rel(ts.ci[0]), rel(ts.ci[1])],
  };
  const what = `trend ${effectText(figures)} [${pct(figures.relativeCi[0])}, ${pct(figures.relativeCi[1])}]/h`;
  const v = verdictOf(ts.ci, figures.relative, spec, what);
  return { status: v.status, reason: v.reason + dropped, figures };
}

/** The `judgment` object of a criterion in `check --format json` (JSON has no NaN/Inf: null). */
export function judgmentJson(f: Figures): Record<string, unknown> {
  const num = (x: number) => (Number.isFinite(x) ? x : null);
  if (f.kind === 'compare') {
    return {
      kind: 'compare', m: f.m, n: f.n, shift: num(f.shift), ci: f.ci.map(num), effect: num(f.effect),
      effect_ci: f.effectCi.map(num), p: num(f.p), medians: { canary: num(f.medians.canary), baseline: num(f.medians.baseline) },
      dropped: f.dropped.canary + f.dropped.baseline,
    };
  }
  return {
    kind: 'trend', n: f.n, slope: num(f.slope), ci: f.ci.map(num), relative: num(f.relative),
    relative_ci: f.relativeCi.map(num), median: num(f.median), dropped: f.dropped,
  };
}
