/**
 * Pure evaluation of one gate: reading(s) + time + sign-offs + waiver + memory → status.
 * No I/O: the same function serves `check`, the console and the benchmarks.
 */
import type { GateConfig } from '../config/types.js';
import { compare, truthy, type Threshold } from '../config/threshold.js';
import { formatDuration } from '../config/duration.js';
import type { CriterionStatus, GateResult, Reading, Signoff, Value, Waiver } from '../core/types.js';
import { judgeGate, type WindowSamples } from '../judge/gateJudgment.js';
import type { SeqState } from '../judge/sequential.js';

/** What `for:` needs to remember between evaluations. */
export interface GateMemory {
  shown?: CriterionStatus;
  /** Since when the raw status has been worse than the shown one. */
  worseSince?: number;
  /** Judged gates: how many evaluations (distinct observation times) the worse status has lasted. */
  worseCount?: number;
  worseAt?: number;
  /** Judged gates on sources without range queries: the window's samples seen so far. */
  samples?: WindowSamples;
  /** Compare gates under repeated looks: the sequential rule's state. */
  seq?: SeqState;
}

export interface GateInput {
  now: number;
  reading?: Reading;
  baseline?: Reading;
  signoffs?: readonly Signoff[];
  waivers?: readonly Waiver[];
  memory?: GateMemory;
  /** The gate's source is down with this error (shown when there is no reading at all). */
  sourceError?: string;
  /** Evaluated again and again (console, check --watch), not once (check): judged gates use the repeated-looks rule. */
  repeated?: boolean;
}

interface Raw {
  status: Exclude<CriterionStatus, 'WAIVED'>;
  value: Value | null;
  reason: string;
  threshold: string;
  observedAt?: number;
  signedBy?: Signoff;
}

const RANK: Record<string, number> = { PASS: 0, WARN: 1, FAIL: 2 };

function fmtValue(v: Value | null): string {
  if (v === null) return '-';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN';
    if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
    return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
  }
  return String(v);
}
export { fmtValue as formatValue };

function thresholdText(gate: GateConfig, baseline: number | undefined): string {
  const show = (t: Threshold | undefined) => {
    if (!t) return undefined;
    if (t.operand.kind === 'ratio' && baseline !== undefined && Number.isFinite(baseline)) {
      return `${t.text} (${fmtValue(t.operand.n * baseline)})`;
    }
    return t.text;
  };
  const go = show(gate.go);
  if (gate.source === 'manual') return `signed: ${gate.signoffRole ?? 'any'}`;
  if (!go) return 'exit 0 / true';
  const warn = show(gate.warn);
  return warn ? `${go} (warn ${warn})` : go;
}

function latestSignoff(gate: GateConfig, signoffs: readonly Signoff[] | undefined): Signoff | undefined {
  let best: Signoff | undefined;
  for (const s of signoffs ?? []) {
    if (s.gate !== gate.id) continue;
    if (gate.signoffRole && s.role !== gate.signoffRole) continue;
    if (!best || s.at > best.at) best = s;
  }
  return best;
}

function baselineOf(gate: GateConfig, input: GateInput): { value?: number; error?: string } {
  if (gate.baseline !== undefined) return { value: gate.baseline };
  if (!gate.baselineQuery && !gate.baselineMetric) return {};
  const b = input.baseline;
  if (!b) return { error: 'no baseline reading yet' };
  if (b.error) return { error: `baseline: ${b.error}` };
  if (typeof b.value !== 'number' || !Number.isFinite(b.value)) return { error: `baseline is ${fmtValue(b.value)}` };
  return { value: b.value };
}

/** Status from the data alone, before hysteresis and waivers. */
export function rawStatus(gate: GateConfig, input: GateInput): Raw {
  const now = input.now;
  if (gate.source === 'manual') {
    const s = latestSignoff(gate, input.signoffs);
    const threshold = thresholdText(gate, undefined);
    if (!s) return { status: 'FAIL', value: null, threshold, reason: `not signed (needs ${gate.signoffRole ?? 'a sign-off'})` };
    return { status: 'PASS', value: true, threshold, reason: `signed by ${s.actor} (${s.role})`, observedAt: s.at, signedBy: s };
  }
  const base = baselineOf(gate, input);
  const threshold = thresholdText(gate, base.value);
  const r = input.reading;
  if (!r) return { status: 'UNKNOWN', value: null, threshold, reason: input.sourceError ? `source ${gate.source} down: ${input.sourceError}` : 'no data yet' };
  // One object shape for every outcome (a spread of `common` per return made each result a
  // fresh dictionary-like copy: measurably slower over 1,000 gates).
  // Warnings ride on every outcome: a skewed clock or an escaped process matters even when the value passes.
  const warned = r.warnings && r.warnings.length > 0 ? `; warning: ${r.warnings.join('; ')}` : '';
  const noted = r.note ? `; ${r.note}` : '';
  // A held pass (an active silence) shows WARN; the hold is named on every other status too.
  const held = r.hold ? `; ${r.hold}` : '';
  const at = (status: Raw['status'], reason: string): Raw => ({
    status: status === 'PASS' && r.hold ? 'WARN' : status,
    value: r.value,
    reason: reason + noted + held + warned,
    threshold,
    observedAt: r.observedAt,
  });
  const age = now - r.observedAt;
  if (age > gate.staleAfter) {
    return at('UNKNOWN', `stale: last data ${formatDuration(age)} ago (stale after ${formatDuration(gate.staleAfter)})${r.error ? `; ${r.error}` : ''}`);
  }
  // A command that ran and failed is an explicit FAIL, not missing data.
  if (r.exitCode !== undefined && r.exitCode !== 0) {
    return at('FAIL', r.error ?? `exit ${r.exitCode}`);
  }
  // A definite failure (a FAIL in the artifact history) outranks an unreadable neighbour.
  if (r.fail) return at('FAIL', r.fail);
  if (r.error) return at('UNKNOWN', r.error);
  if (gate.maxAge !== undefined) {
    const asOf = r.asOf ?? r.observedAt;
    const dataAge = now - asOf;
    if (dataAge > gate.maxAge) {
      return at('FAIL', `newest is ${formatDuration(dataAge)} old (max ${formatDuration(gate.maxAge)})`);
    }
  }
  if (!gate.go) {
    if (r.exitCode === 0) return at('PASS', 'exit 0');
    // An info gate without go only watches a value (a cost, a rate): having one is all it can say.
    if (gate.severity === 'info' && r.value !== null && (typeof r.value !== 'number' || Number.isFinite(r.value))) return at('PASS', `${fmtValue(r.value)} (watched, no go threshold)`);
    if (r.value === null) return at('UNKNOWN', 'no value');
    const t = truthy(r.value);
    if (t === undefined) return at('UNKNOWN', `value "${fmtValue(r.value)}" is not true/false`);
    return at(t ? 'PASS' : 'FAIL', t ? 'true' : 'false');
  }
  if (r.value === null) return at('UNKNOWN', 'no value');
  if (typeof r.value === 'number' && !Number.isFinite(r.value)) {
    return at('UNKNOWN', `value is ${fmtValue(r.value)}`);
  }
  const usesRatio = gate.go.operand.kind === 'ratio' || gate.warn?.operand.kind === 'ratio';
  if (usesRatio && base.value === undefined) {
    return at('UNKNOWN', base.error ?? 'no baseline');
  }
  const go = compare(gate.go, r.value, base.value);
  if (!go.ok) return at('UNKNOWN', go.error);
  if (go.holds) return at('PASS', `${fmtValue(r.value)} ${gate.go.text}`);
  if (gate.warn) {
    const w = compare(gate.warn, r.value, base.value);
    if (!w.ok) return at('UNKNOWN', w.error);
    if (w.holds) return at('WARN', `${fmtValue(r.value)} fails ${gate.go.text}, within warn ${gate.warn.text}`);
  }
  return at('FAIL', `${fmtValue(r.value)} fails ${gate.go.text}${gate.warn ? ` and warn ${gate.warn.text}` : ''}`);
}

export function activeWaiver(gateId: string, waivers: readonly Waiver[] | undefined, now: number): Waiver | undefined {
  let best: Waiver | undefined;
  for (const w of waivers ?? []) {
    if (w.gate === gateId && w.expires > now && (!best || w.at > best.at)) best = w;
  }
  return best;
}

/**
 * Full evaluation. `for:` holds back a worse status (WARN/FAIL) until it has lasted that
 * long; UNKNOWN and improvements show at once, because hiding missing data would fail open.
 * With no history the raw status shows at once, for the same reason.
 */
export function evaluateGate(gate: GateConfig, input: GateInput): { result: GateResult; memory: GateMemory } {
  const judged = gate.judge ? judgeGate(gate, gate.judge, judgeInput(input)) : undefined;
  const raw: Raw = judged ?? rawStatus(gate, input);
  const prev = input.memory ?? {};
  let shown: CriterionStatus = raw.status;
  let memory: GateMemory = { shown: raw.status };
  let reason = raw.reason;
  let pendingSince: number | undefined;
  const prevShown = prev.shown;
  const forCount = gate.forEvaluations ?? 0;
  if (
    (gate.for > 0 || forCount > 1) &&
    prevShown !== undefined &&
    prevShown !== 'UNKNOWN' &&
    raw.status !== 'UNKNOWN' &&
    RANK[raw.status]! > RANK[prevShown]!
  ) {
    const since = prev.worseSince ?? input.now;
    // An evaluation counts once per new observation: redrawing the same data is not another look.
    const count = (prev.worseCount ?? 0) + (prev.worseAt === undefined || raw.observedAt !== prev.worseAt ? 1 : 0);
    if (gate.for > 0 ? input.now - since < gate.for : count < forCount) {
      shown = prevShown;
      pendingSince = since;
      memory = { shown: prevShown, worseSince: since };
      if (gate.for > 0) {
        reason = `${raw.status} pending ${formatDuration(input.now - since)} of ${formatDuration(gate.for)}: ${raw.reason}`;
      } else {
        memory.worseCount = count;
        if (raw.observedAt !== undefined) memory.worseAt = raw.observedAt;
        reason = `${raw.status} pending ${count} of ${forCount} evaluations: ${raw.reason}`;
      }
    }
  }
  if (judged?.samples) memory.samples = judged.samples;
  if (judged?.seq) memory.seq = judged.seq;
  const waiver = activeWaiver(gate.id, input.waivers, input.now);
  const result: GateResult = {
    id: gate.id,
    status: waiver ? 'WAIVED' : shown,
    raw: raw.status,
    value: raw.value,
    threshold: raw.threshold,
    reason: waiver ? `waived by ${waiver.actor}: ${waiver.reason} (real: ${shown}, ${reason})` : reason,
    observedAt: raw.observedAt,
  };
  if (pendingSince !== undefined) result.pendingSince = pendingSince;
  if (waiver) result.waiver = waiver;
  if (raw.signedBy) result.signedBy = raw.signedBy;
  if (judged) {
    result.series = judged.series;
    if (judged.figures) result.judgment = judged.figures;
  }
  return { result, memory };
}

function judgeInput(input: GateInput): Parameters<typeof judgeGate>[2] {
  const j: Parameters<typeof judgeGate>[2] = { now: input.now };
  if (input.reading) j.reading = input.reading;
  if (input.baseline) j.baseline = input.baseline;
  if (input.sourceError) j.sourceError = input.sourceError;
  if (input.memory?.samples) j.samples = input.memory.samples;
  if (input.memory?.seq) j.seq = input.memory.seq;
  if (input.repeated) j.repeated = true;
  return j;
}
