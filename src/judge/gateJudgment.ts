// A judged gate's raw status from its readings: the window's series (a prometheus range query, or the
// samples seen so far, kept in the gate's memory for other sources), then the verdict. Pure.
import type { GateConfig, JudgeConfig } from '../config/types.js';
import type { Reading } from '../core/types.js';
import { formatDuration } from '../config/duration.js';
import { effectText, judgeCompare, judgeTrend, pct, ruleText, type Figures, type JudgedStatus, type JudgeOutcome, type Point } from './verdict.js';
import { seqUpdate, type SeqState } from './sequential.js';

/** Samples of the window seen so far, per side (non-prometheus sources); `b` is empty for a trend. */
export interface WindowSamples {
  a: Point[];
  b: Point[];
}

export interface JudgedRaw {
  status: JudgedStatus;
  value: number | null;
  reason: string;
  threshold: string;
  observedAt?: number;
  figures?: Figures;
  /** Both series of the window, for the detail's sparklines. */
  series: { a: number[]; b?: number[] };
  samples?: WindowSamples;
  /** The repeated-looks rule's state (compare gates in the console and `check --watch`). */
  seq?: SeqState;
}

export interface JudgeInput {
  now: number;
  reading?: Reading;
  baseline?: Reading;
  sourceError?: string;
  samples?: WindowSamples;
  /** Looked at again and again (console, check --watch): compare gates use the sequential rule. */
  repeated?: boolean;
  seq?: SeqState;
}

/** Appends a reading's value once (a new observation time), and keeps only [now − window, now]. */
function remember(points: readonly Point[], r: Reading | undefined, now: number, window: number): Point[] {
  const from = now - window;
  const kept = points.filter((p) => p.t >= from && p.t <= now);
  if (r && r.error === undefined && typeof r.value === 'number') {
    const last = kept[kept.length - 1];
    if (!last || r.observedAt > last.t) kept.push({ t: r.observedAt, v: r.value });
  }
  return kept;
}

function windowOf(r: Reading | undefined, stored: readonly Point[], now: number, j: JudgeConfig): Point[] {
  if (r?.series) return r.series.filter((p) => p.t >= now - j.window - j.step && p.t <= now);
  return remember(stored, r, now, j.window);
}

function problem(gate: GateConfig, j: JudgeConfig, input: JudgeInput): string | undefined {
  const r = input.reading;
  const sides: [string, Reading | undefined][] = j.kind === 'compare' ? [['canary', r], ['baseline', input.baseline]] : [['', r]];
  if (!r && (j.kind === 'trend' || !input.baseline)) return input.sourceError ? `source ${gate.source} down: ${input.sourceError}` : 'no data yet';
  for (const [side, x] of sides) {
    const label = side ? `${side}: ` : '';
    if (!x) return `${label}no data yet`;
    const age = input.now - x.observedAt;
    if (age > gate.staleAfter) return `stale: ${label}last data ${formatDuration(age)} ago (stale after ${formatDuration(gate.staleAfter)})`;
    if (x.error !== undefined) return x.error.startsWith(label) ? x.error : label + x.error;
    if (!x.series && typeof x.value !== 'number') return `${label}value "${String(x.value)}" is not a number`;
  }
  return undefined;
}

export function judgeGate(gate: GateConfig, j: JudgeConfig, input: JudgeInput): JudgedRaw {
  const threshold = ruleText(j);
  const stored = input.samples ?? { a: [], b: [] };
  const a = windowOf(input.reading, stored.a, input.now, j);
  const b = j.kind === 'compare' ? windowOf(input.baseline, stored.b, input.now, j) : [];
  // Samples are only kept for sources without range queries; a range query brings the whole window each time.
  const samples = input.reading?.series ? undefined : { a, b };
  const series = j.kind === 'compare' ? { a: a.map((p) => p.v), b: b.map((p) => p.v) } : { a: a.map((p) => p.v) };
  // The repeated-looks state survives a look without a verdict (a failed read, too few samples).
  const base = { threshold, series, ...(samples ? { samples } : {}), ...(input.seq ? { seq: input.seq } : {}) };
  const why = problem(gate, j, input);
  if (why !== undefined) return { ...base, status: 'UNKNOWN', value: null, reason: why };
  let out = j.kind === 'compare' ? judgeCompare(j, series.a, series.b ?? []) : judgeTrend(j, a);
  let seq: SeqState | undefined;
  if (input.repeated && j.kind === 'compare' && out.status !== 'UNKNOWN') ({ out, seq } = sequential(j, out, a, b, input.seq));
  const observedAt = Math.min(input.reading!.observedAt, input.baseline?.observedAt ?? Infinity);
  const value = out.figures ? (out.figures.kind === 'compare' ? out.figures.effect : out.figures.relative) : null;
  const res: JudgedRaw = { ...base, status: out.status, value, reason: out.reason, observedAt };
  if (out.figures) res.figures = out.figures;
  if (seq) res.seq = seq;
  return res;
}

/**
 * Repeated looks: FAIL only on the sequential rule's alarm; the one-window verdict's FAIL or WARN without
 * it is a WARN (a shift is seen, not yet beyond what repeated looks at noise would produce).
 */
function sequential(j: JudgeConfig, out: JudgeOutcome, a: Point[], b: Point[], prev: SeqState | undefined): { out: JudgeOutcome; seq?: SeqState } {
  const s = seqUpdate(j, prev, a, b);
  if (!s) {
    const capped = out.status === 'FAIL' ? { ...out, status: 'WARN' as const, reason: `${out.reason}; too few paired samples for the repeated-looks rule` } : out;
    return prev ? { out: capped, seq: prev } : { out: capped };
  }
  const cusum = `CUSUM ${s.stat.toFixed(1)} of ${s.threshold.toFixed(1)}`;
  const window = out.figures ? `; window ${effectText(out.figures)}` : '';
  const dropped = /; \d+ NaN\/Inf samples? dropped$/.exec(out.reason)?.[0] ?? '';
  if (s.alarm) {
    const reason = `canary ${pct(s.shift)} vs baseline over the last ${s.steps} step${s.steps === 1 ? '' : 's'}: sustained beyond tolerance (${cusum})${window}${dropped}`;
    return { out: { ...out, status: 'FAIL', reason }, seq: s.state };
  }
  if (out.status === 'FAIL' || out.status === 'WARN') return { out: { ...out, status: 'WARN', reason: `${out.reason}; not yet sustained (${cusum})` }, seq: s.state };
  return { out, seq: s.state };
}
