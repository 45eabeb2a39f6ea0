/**
 * `compare:` and `trend:` on a gate (statistical judgment): their normalisation.
 * Hooked into gateSchema (schema fragment: judgmentSchema.ts) and buildGate (sections/gates.ts).
 */
import type { Path } from '../interpolate.js';
import type { GateConfig, JudgeConfig, SourceConfig } from '../types.js';
import type { RawCompare, RawTrend } from './judgmentSchema.js';

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
