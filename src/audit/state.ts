/** Pure derivations of console state from ledger lines (so a restarted console resumes). */
import type { Waiver } from '../core/types.js';
import type {
  ActionEvent,
  CheckpointAckEvent,
  DecisionEvent,
  LedgerLine,
  TriggerEvent,
  WaiverEvent,
} from './types.js';

type Line<E> = LedgerLine & E;

const tsMs = (l: LedgerLine): number => Date.parse(l.ts);

function ofType<T extends LedgerLine['type']>(lines: readonly LedgerLine[], type: T): Line<Extract<LedgerLine, { type: T }>>[] {
  return lines.filter((l) => l.type === type && Number.isFinite(tsMs(l))) as Line<Extract<LedgerLine, { type: T }>>[];
}

/**
 * Waivers, the latest per gate (a new waiver replaces the previous one), expired ones
 * included: the engine compares `expires` with its clock. A waiver whose expiry does not
 * parse is dropped: it must never widen what passes.
 */
export function waiversFrom(lines: readonly LedgerLine[], opts: { approvedOnly?: boolean; revoked?: ReadonlySet<string>; actOf?: (l: LedgerLine) => string } = {}): Waiver[] {
  const latest = new Map<string, Waiver | undefined>();
  for (const l of ofType(lines, 'waiver') as Line<WaiverEvent>[]) {
    // Revoked (invalidated): it waives nothing, and what it replaced stays replaced.
    if (opts.revoked?.has((opts.actOf ?? ((x: LedgerLine) => x.hash))(l)) && typeof l.gate === 'string') {
      latest.delete(l.gate);
      latest.set(l.gate, undefined);
      continue;
    }
    // With waiver.approvals configured, a waiver without its approved request never counts.
    if (opts.approvedOnly && !(l.approvals && typeof l.approvals.request === 'string' && Array.isArray(l.approvals.approvers))) continue;
    const expires = Date.parse(l.expires);
    if (typeof l.gate !== 'string' || !Number.isFinite(expires)) continue;
    latest.delete(l.gate);
    latest.set(l.gate, { gate: l.gate, actor: l.actor, reason: String(l.reason ?? ''), at: tsMs(l), expires });
  }
  return [...latest.values()].filter((w): w is Waiver => w !== undefined);
}

/** Waivers still in force at `now`. */
export function activeWaivers(lines: readonly LedgerLine[], now: number, opts: { approvedOnly?: boolean } = {}): Waiver[] {
  return waiversFrom(lines, opts).filter((w) => w.expires > now);
}

export interface CheckpointAck {
  stage: number;
  offsetMs: number;
  label: string;
  actor: string;
  at: number;
}

export function checkpointAcksFrom(lines: readonly LedgerLine[]): CheckpointAck[] {
  return (ofType(lines, 'checkpoint.ack') as Line<CheckpointAckEvent>[]).map((l) => ({
    stage: l.stage,
    offsetMs: l.offset_ms,
    label: l.label,
    actor: l.actor,
    at: tsMs(l),
  }));
}

export interface DecisionSummary {
  decision: DecisionEvent['decision'];
  id: string;
  file: string;
  recordHash: string;
  justification: string;
  nextReview: number | null;
  actor: string;
  role?: string;
  at: number;
  /** Percent, when the decision was taken under decision.score. */
  score?: { value: number | null; pass: number; warning: number };
}

export function decisionsFrom(lines: readonly LedgerLine[]): DecisionSummary[] {
  return (ofType(lines, 'decision') as Line<DecisionEvent>[]).map((l) => {
    const nr = l.next_review ? Date.parse(l.next_review) : NaN;
    const d: DecisionSummary = {
      decision: l.decision,
      id: l.id,
      file: l.file,
      recordHash: l.record_hash,
      justification: l.justification,
      nextReview: Number.isFinite(nr) ? nr : null,
      actor: l.actor,
      at: tsMs(l),
    };
    if (l.role) d.role = l.role;
    if (l.score && typeof l.score === 'object' && typeof l.score.pass === 'number') d.score = l.score;
    return d;
  });
}

export function latestDecision(lines: readonly LedgerLine[]): DecisionSummary | undefined {
  const all = decisionsFrom(lines);
  return all[all.length - 1];
}

export function actionsFrom(lines: readonly LedgerLine[]): Line<ActionEvent>[] {
  return ofType(lines, 'action') as Line<ActionEvent>[];
}

export function triggersFrom(lines: readonly LedgerLine[]): Line<TriggerEvent>[] {
  return ofType(lines, 'trigger') as Line<TriggerEvent>[];
}

export interface InfluencePeriod {
  pct: number;
  from: number;
  to: number;
}

/**
 * Periods at each verified influence level: a `set_influence`/`kill_switch` line with phase
 * `verified` starts a level (`to_pct`, 0 for a kill-switch without it); the level before the
 * first one is that line's `from_pct`, from the first ledger line on, when known. The last
 * level runs to the last line's ts.
 */
export function influencePeriods(lines: readonly LedgerLine[]): InfluencePeriod[] {
  const timed = lines.filter((l) => Number.isFinite(tsMs(l)));
  if (timed.length === 0) return [];
  const start = tsMs(timed[0]!);
  const end = tsMs(timed[timed.length - 1]!);
  const out: InfluencePeriod[] = [];
  let cur: { pct: number; from: number } | undefined;
  for (const l of actionsFrom(timed)) {
    if (l.phase !== 'verified') continue;
    const to = typeof l.to_pct === 'number' ? l.to_pct : l.action === 'kill_switch' ? 0 : undefined;
    if (to === undefined) continue;
    const at = tsMs(l);
    if (!cur && typeof l.from_pct === 'number' && at > start) out.push({ pct: l.from_pct, from: start, to: at });
    if (cur && at > cur.from) out.push({ pct: cur.pct, from: cur.from, to: at });
    cur = { pct: to, from: at };
  }
  if (cur && end >= cur.from) out.push({ pct: cur.pct, from: cur.from, to: end });
  return out;
}

/** The last verified influence, if any action was verified. */
export function verifiedInfluence(lines: readonly LedgerLine[]): number | undefined {
  const p = influencePeriods(lines);
  return p.length ? p[p.length - 1]!.pct : undefined;
}
