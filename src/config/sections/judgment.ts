/**
 * `compare:` and `trend:` on a gate (statistical judgment): the schema fragment and its normalisation.
 * Hooked into gateSchema (schema.ts) and buildGate (build.ts); everything else about them lives here.
 */
import { z } from 'zod';
import { duration, kindOf } from '../schemaParts.js';
import type { Path } from '../interpolate.js';
import type { GateConfig, JudgeConfig, SourceConfig } from '../types.js';

/** `10%` (compare) or `2%/h` (trend) → a fraction; range and unit are checked in build with the path. */
function percentText(perHour: boolean) {
  return z.unknown().transform((v, ctx): number => {
    const m = typeof v === 'string' ? /^\s*(-?\d+(?:\.\d+)?)\s*%\s*(\/\s*h)?\s*$/.exec(v) : null;
    const example = perHour ? '"2%/h"' : '"10%"';
    if (!m) {
      ctx.addIssue({ code: 'custom', message: `expected a percentage like ${example}, got ${typeof v === 'string' ? `"${v}"` : kindOf(v)}` });
      return z.NEVER;
    }
    if (perHour && !m[2]) {
      ctx.addIssue({ code: 'custom', message: `a trend tolerance is per hour: write it like ${example}` });
      return z.NEVER;
    }
    if (!perHour && m[2]) {
      ctx.addIssue({ code: 'custom', message: `a compare tolerance is relative to the baseline's median, not per hour: write it like ${example}` });
      return z.NEVER;
    }
    const pct = Number(m[1]);
    if (!(pct >= 0 && pct <= 1000)) {
      ctx.addIssue({ code: 'custom', message: `must be from 0% to 1000%${perHour ? ' per hour' : ''}, got ${m[1]}%` });
      return z.NEVER;
    }
    return pct / 100;
  });
}

const confidence = z.unknown().transform((v, ctx): number => {
  const m = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(v) : null;
  const pct = m ? Number(m[1]) : NaN;
  if (!m || !(pct >= 50 && pct <= 99.9)) {
    ctx.addIssue({ code: 'custom', message: `expected a confidence from 50% to 99.9% like "95%", got ${typeof v === 'string' ? `"${v}"` : kindOf(v)}` });
    return z.NEVER;
  }
  return pct / 100;
});

const selector = z.string().min(1, 'must not be empty');
const common = {
  window: duration({ min: 1000, minText: '1s' }),
  step: duration({ min: 1000, minText: '1s' }).optional(),
  bad: z.enum(['increase', 'decrease', 'either']).optional(),
  confidence: confidence.optional(),
  min_samples: z.number().int('must be a whole number').min(3, 'must be 3 or more').max(100000, 'must be at most 100000').optional(),
};

export const compareSchema = z.strictObject({ canary: selector, baseline: selector, tolerance: percentText(false), ...common });
export const trendSchema = z.strictObject({ query: selector.optional(), metric: selector.optional(), key: selector.optional(), tolerance: percentText(true), ...common });
type RawCompare = z.output<typeof compareSchema>;
type RawTrend = z.output<typeof trendSchema>;

/** Keys only these sections use, for "did you mean" hints. */
export const JUDGMENT_KEYS = ['compare', 'trend', 'canary', 'window', 'step', 'bad', 'tolerance', 'confidence', 'min_samples'] as const;

/** A judged gate's `for:` when not given: this many evaluations in a row. */
export const JUDGED_FOR_EVALUATIONS = 3;
const DEFAULT_MIN_SAMPLES = 10;

/** Gate keys that mean a single value against a threshold: not for judged gates. */
const THRESHOLD_KEYS = ['go', 'warn', 'query', 'metric', 'key', 'baseline', 'baseline_query', 'baseline_metric', 'max_age'] as const;

interface JudgedRaw {
  compare?: RawCompare | undefined;
  trend?: RawTrend | undefined;
  for?: number | undefined;
  [k: string]: unknown;
}

/**
 * The judged gate, or undefined after reporting its problems with `add`. `base` is the gate's
 * common part (id, title, severity, ...); `src` the source it reads.
 */
export function buildJudgedGate(g: JudgedRaw, p: Path, base: GateConfig, src: SourceConfig, add: (path: Path, m: string) => void): GateConfig | undefined {
  let n = 0;
  const err = (path: Path, m: string) => (n++, add(path, m));
  if (g.compare && g.trend) err([...p, 'trend'], 'give compare or trend, not both');
  for (const k of THRESHOLD_KEYS) {
    if (g[k] !== undefined) err([...p, k], `${k} is not used by a ${g.compare ? 'compare' : 'trend'} gate: its verdict comes from the statistics (tolerance, confidence)`);
  }
  const kind = g.compare ? 'compare' : 'trend';
  const raw = (g.compare ?? g.trend)!;
  const q = [...p, kind];
  const judgeable = src.type === 'prometheus' || src.type === 'scrape' || src.type === 'websocket';
  if (!judgeable) err([...p, 'source'], `${kind} needs a numeric series: a prometheus, scrape or websocket source; "${src.id}" is ${src.type}`);
  // Prometheus is asked for the window at `step`; other sources are judged on the samples seen, one per interval.
  const step = raw.step ?? (src.type === 'prometheus' ? 60_000 : Math.max(1000, src.interval));
  if (raw.step !== undefined && src.type !== 'prometheus') err([...q, 'step'], `step is the range-query step of a prometheus source; "${src.id}" is sampled every ${src.interval / 1000}s`);
  const minSamples = raw.min_samples ?? DEFAULT_MIN_SAMPLES;
  if (raw.window < minSamples * step) {
    err([...q, 'window'], `window ${fmt(raw.window)} is shorter than min_samples (${minSamples}) × step (${fmt(step)}) = ${fmt(minSamples * step)}: it can never hold enough samples`);
  }
  const judge: JudgeConfig = {
    kind, window: raw.window, step, bad: raw.bad ?? 'either', tolerance: raw.tolerance, confidence: raw.confidence ?? 0.95, minSamples,
  };
  if (g.compare) {
    judge.canary = g.compare.canary;
    judge.baseline = g.compare.baseline;
  } else if (g.trend) {
    const want = src.type === 'prometheus' ? 'query' : src.type === 'scrape' ? 'metric' : 'key';
    const given = (['query', 'metric', 'key'] as const).filter((k) => g.trend![k] !== undefined);
    const sel = src.type === 'prometheus' ? (g.trend.query ?? g.trend.metric) : g.trend[want];
    for (const k of given) if (k !== want && !(src.type === 'prometheus' && k === 'metric')) err([...q, k], `${k} is not used by ${src.type} source "${src.id}": give ${want}`);
    if (sel === undefined) err([...q, want], `required: the ${want} whose trend is judged`);
    else judge.series = sel;
  }
  if (n) return undefined;
  // A range query's newest point is on the step grid, up to a step old: stale only past two steps.
  const staleAfter = src.type === 'prometheus' ? Math.max(src.staleAfter, 2 * step) : src.staleAfter;
  return { ...base, judge, staleAfter, forEvaluations: g.for === undefined ? JUDGED_FOR_EVALUATIONS : 0 };
}

function fmt(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}
