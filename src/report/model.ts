/**
 * Pure: the window as data for the charts (and `report --format json`): outcome, influence
 * steps, each gate's points with its limits, every act on one time axis, and the ledger's
 * verification and signers. Text here is as recorded; the renderer escapes it.
 */
import type { CriterionStatus, Overall } from '../core/types.js';
import type { LedgerLine } from '../audit/types.js';
import { actHash } from '../audit/judge.js';
import { actionsFrom, checkpointAcksFrom, decisionsFrom, influencePeriods, type CheckpointAck } from '../audit/state.js';
import type { GateMeta, HistoryLine, MetaLine } from '../history/format.js';
import type { HistoryRead } from './readHistory.js';
import type { ReportInputs } from './inputs.js';
import { gateLimits, type Limit } from './limits.js';
import { marksFrom, type Mark } from './marks.js';
import { signersFrom, type SignerRow } from './signers.js';
import { withBreaks } from './breaks.js';

export type { Mark, Limit, SignerRow };

export interface GatePointModel {
  t: number;
  s: CriterionStatus;
  v: number | null;
  /** The value as words when not a number (true, "ok"). */
  text?: string;
  w?: CriterionStatus;
}

export interface GateModel {
  id: string;
  title: string;
  group: string;
  severity: string;
  go?: Limit;
  warn?: Limit;
  /** The thresholds as written. */
  thresholdText: string;
  points: GatePointModel[];
}

export interface WindowModel {
  schema: 'warroom.report/v1';
  deployment: string;
  environment: string;
  period: { start: number; end: number } | null;
  generatedAt?: number;
  outcome: { word: string; level: 'go' | 'warn' | 'nogo' | 'none'; lines: string[] };
  influence: { steps: { t: number; pct: number | null }[]; stages: number[]; checkpoints: CheckpointModel[]; from: 'history' | 'ledger' | 'none' };
  /** The overall light as the console showed it (null: no console was running). */
  overall: { t: number; o: Overall | null }[];
  gates: GateModel[];
  marks: Mark[];
  integrity: { ok: boolean; text: string };
  signers: { rows: SignerRow[]; note: string };
  unverified: { at: number; actor: string; role: string; gate?: string; why: string }[];
  history: { files: string[]; notes: string[] };
}

export interface CheckpointModel {
  stage: number;
  label: string;
  /** When it fell due (derived from the influence steps), if known. */
  due?: number;
  ack?: { at: number; actor: string };
}

export function buildModel(inputs: ReportInputs, read: HistoryRead, opts: { generatedAt?: number } = {}): WindowModel {
  const broken = withBreaks(read.lines);
  const history = { ...read, lines: broken.lines };
  // What stands: neither invalidated (by act, every copy) nor a claim no listed key signed.
  const gone = new Set(inputs.invalidated.map((i) => i.act));
  const claimed = new Set(inputs.claims.map((c) => c.line));
  const standing = inputs.lines.filter((l) => !gone.has(actHash(l)) && !claimed.has(l));
  const meta = latestMeta(history.lines);
  const period = spanOf([...inputs.lines.map((l) => Date.parse(l.ts)), ...history.lines.map((l) => l.t)]);
  const influence = influenceModel(inputs.lines, history.lines, meta, period, inputs.acks);
  const model: WindowModel = {
    schema: 'warroom.report/v1',
    deployment: inputs.lines[0]?.deployment ?? meta?.deployment ?? 'unknown deployment',
    environment: inputs.lines[0]?.environment ?? meta?.environment ?? 'unknown environment',
    period,
    outcome: outcomeOf(standing, influence.steps),
    influence,
    overall: overallSteps(history.lines, broken.gaps),
    gates: gatesFrom(history.lines, meta),
    marks: marksFrom(inputs),
    // Claims fail integrity as `audit verify` does; who could have written the lines is said plainly.
    integrity: {
      ok: inputs.integrity.ok && inputs.claims.length === 0,
      text: [inputs.integrity.text, ...(inputs.claims.length ? [`${inputs.claims.length} line(s) carry no authority and are never counted: ${inputs.claims.map((c) => `${c.origin} ${c.line.type} by ${String(c.line.actor)} (${c.why})`).join('; ')}`] : []), inputs.attribution].join('; '),
    },
    signers: signersFrom(inputs.chained, inputs.rules),
    unverified: inputs.unverified.map((u) => ({ at: u.at, actor: u.actor, role: u.role, ...(u.gate ? { gate: u.gate } : {}), why: u.why })),
    history: { files: history.files, notes: [...history.notes, ...capNotes(history.lines)] },
  };
  if (opts.generatedAt !== undefined) model.generatedAt = opts.generatedAt;
  return model;
}

/** First and last time (a loop: a long window has too many points to spread into Math.min). */
function spanOf(times: readonly number[]): WindowModel['period'] {
  let start = Infinity;
  let end = -Infinity;
  for (const t of times) {
    if (!Number.isFinite(t)) continue;
    if (t < start) start = t;
    if (t > end) end = t;
  }
  return start <= end ? { start, end } : null;
}

function overallSteps(lines: readonly HistoryLine[], gaps: readonly number[]): WindowModel['overall'] {
  const points = [...lines.filter((l): l is { t: number; o: Overall } => 'o' in l).map((l) => ({ t: l.t, o: l.o as Overall | null })), ...gaps.map((t) => ({ t, o: null }))];
  return points.sort((a, b) => a.t - b.t).filter((p, i, all) => i === 0 || all[i - 1]!.o !== p.o);
}

function latestMeta(lines: readonly HistoryLine[]): MetaLine | undefined {
  let m: MetaLine | undefined;
  for (const l of lines) if ('k' in l && l.k === 'meta') m = l;
  return m;
}

function capNotes(lines: readonly HistoryLine[]): string[] {
  const out: string[] = [];
  for (const l of lines) {
    if (!('k' in l)) continue;
    if (l.k === 'thinned') out.push(`from ${new Date(l.t).toISOString()} the history kept status changes only (size cap)`);
    if (l.k === 'full') out.push(`from ${new Date(l.t).toISOString()} the history was full: nothing more recorded`);
  }
  return out;
}

function outcomeOf(lines: readonly LedgerLine[], steps: WindowModel['influence']['steps']): WindowModel['outcome'] {
  const decisions = decisionsFrom(lines);
  const last = decisions[decisions.length - 1];
  const out: string[] = [];
  const kills = actionsFrom(lines).filter((a) => a.action === 'kill_switch' && a.phase === 'verified');
  for (const k of kills) out.push(`kill-switch verified at ${iso(Date.parse(k.ts))} (${k.actor}${k.reason ? `: ${k.reason}` : ''})`);
  if (last) {
    out.unshift(`last decision ${last.decision} by ${last.actor}${last.role ? ` (${last.role})` : ''} at ${iso(last.at)}${last.justification ? `: ${last.justification}` : ''}`);
    if (last.score) out.push(`score ${last.score.value === null ? 'n/a' : `${Math.floor(last.score.value)} %`} (pass ≥ ${last.score.pass}, warning ≥ ${last.score.warning})`);
  }
  const final = [...steps].reverse().find((s) => s.pct !== null);
  if (final) out.push(`influence at the end: ${final.pct}%`);
  // A kill after the last GO (or with no decision at all) is the outcome; a decision after the kill stands.
  const lastKill = kills[kills.length - 1];
  const killed = lastKill !== undefined && (!last || (last.decision === 'GO' && Date.parse(lastKill.ts) > last.at));
  const word = killed ? 'KILLED' : last ? last.decision : 'NO DECISION';
  const level = word === 'KILLED' || word === 'NO-GO' ? 'nogo' : word === 'GO' ? 'go' : word === 'HOLD' ? 'warn' : 'none';
  return { word, level, lines: out };
}

function influenceModel(lines: readonly LedgerLine[], hist: readonly HistoryLine[], meta: MetaLine | undefined, period: WindowModel['period'], counted?: readonly CheckpointAck[]): WindowModel['influence'] {
  let steps: { t: number; pct: number | null }[] = [];
  let from: WindowModel['influence']['from'] = 'none';
  const points = hist.filter((l): l is { t: number; i: number | null } => 'i' in l);
  if (points.length) {
    from = 'history';
    for (const p of points) if (steps.length === 0 || steps[steps.length - 1]!.pct !== p.i) steps.push({ t: p.t, pct: p.i });
  } else {
    const periods = influencePeriods(lines);
    if (periods.length) from = 'ledger';
    steps = periods.map((p) => ({ t: p.from, pct: p.pct }));
  }
  if (period && steps.length && steps[steps.length - 1]!.t < period.end) steps.push({ t: period.end, pct: steps[steps.length - 1]!.pct });
  const stages = meta?.ramp?.stages ?? [];
  // The acks that count (the one judge), when the inputs judged them.
  const acks = counted ?? checkpointAcksFrom(lines);
  const checkpoints: CheckpointModel[] = [];
  stages.forEach((st, i) => {
    const entered = steps.find((s) => s.pct === st.influence)?.t;
    for (const c of st.checkpoints) {
      // Due only while the ramp was still at that stage: a checkpoint of a stage already left never fell due.
      const at = entered !== undefined ? entered + c.at : undefined;
      const due = at !== undefined && influenceAt(steps, at) === st.influence ? at : undefined;
      const ack = acks.find((a) => a.stage === i && a.offsetMs === c.at);
      if (due === undefined && !ack) continue;
      checkpoints.push({ stage: i, label: c.label, ...(due !== undefined ? { due } : {}), ...(ack ? { ack: { at: ack.at, actor: ack.actor } } : {}) });
    }
  });
  // Acks of checkpoints the history's config does not name (no history): still shown.
  for (const a of acks) if (!checkpoints.some((c) => c.ack?.at === a.at)) checkpoints.push({ stage: a.stage, label: a.label, ack: { at: a.at, actor: a.actor } });
  return { steps, stages: stages.map((s) => s.influence), checkpoints, from };
}

function influenceAt(steps: readonly { t: number; pct: number | null }[], t: number): number | null | undefined {
  let v: number | null | undefined;
  for (const s of steps) if (s.t <= t) v = s.pct;
  return v;
}

function gatesFrom(hist: readonly HistoryLine[], meta: MetaLine | undefined): GateModel[] {
  const byId = new Map<string, GateModel>();
  const metas = new Map<string, GateMeta>((meta?.gates ?? []).map((g) => [g.id, g]));
  const lastTh = new Map<string, string>();
  for (const l of hist) {
    if (!('g' in l)) continue;
    let g = byId.get(l.g);
    if (!g) {
      const m = metas.get(l.g);
      g = { id: l.g, title: m?.title ?? l.g, group: m?.group ?? '', severity: m?.severity ?? '', thresholdText: '', points: [] };
      byId.set(l.g, g);
    }
    if (l.th) lastTh.set(l.g, l.th);
    const p: GatePointModel = { t: l.t, s: l.s, v: typeof l.v === 'number' ? l.v : null };
    if (l.v !== null && typeof l.v !== 'number') p.text = String(l.v);
    if (l.w) p.w = l.w;
    g.points.push(p);
  }
  // Config order first (as the console shows them), then any gate only the history names.
  const order = [...metas.keys(), ...[...byId.keys()].filter((id) => !metas.has(id))];
  return order
    .map((id) => byId.get(id))
    .filter((g): g is GateModel => g !== undefined)
    .map((g) => {
      const m = metas.get(g.id);
      const th = lastTh.get(g.id) ?? '';
      const lim = gateLimits(m, th);
      return { ...g, thresholdText: th || [m?.go, m?.warn && `warn ${m.warn}`].filter(Boolean).join(' '), ...lim };
    });
}

export function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z') : '?';
}
