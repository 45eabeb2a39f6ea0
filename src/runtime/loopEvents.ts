/**
 * The typed events of the paced loop (pacedLoop.ts): what changed at one evaluation, derived
 * once, pure. The loop emits them after its store write; the bell, notifications, telemetry and
 * the event log subscribe to them instead of diffing store snapshots each on its own.
 */
import type { GateConfig } from '../config/types.js';
import { LIGHT_WORD } from '../core/status.js';
import type { CriterionStatus, GateResult, Overall, Value } from '../core/types.js';
import type { RampView } from '../ramp/timeline.js';
import type { TriggerEffect } from '../ramp/triggers.js';
import type { EventEntry } from '../store/store.js';

/**
 * A gate's light changed. `initial`: its first evaluated light (from UNKNOWN, when it shows
 * another), where the window stands rather than news: the log and notifications skip it.
 */
export interface GateEvent {
  at: number;
  gate: GateConfig;
  from: CriterionStatus;
  to: CriterionStatus;
  reason: string;
  value: Value | null;
  threshold: string;
  initial?: boolean;
}

/** The overall light changed; `initial`: the first evaluated one (skipped by the log and notifications). */
export interface OverallEvent {
  at: number;
  from: Overall;
  to: Overall;
  initial?: boolean;
}

/** The ramp stage the observed influence is in changed (-1: none), or the ramp was rolled back. */
export interface StageEvent {
  at: number;
  from: number;
  to: number;
  rolledBack: boolean;
}

/** The audit trail's writes started failing (lines pending, an error), or every pending line is saved again. */
export interface AuditEvent {
  at: number;
  state: 'failing' | 'saved';
  pending: number;
  error?: string;
}

/** A checkpoint fell due, or was missed. */
export interface CheckpointEvent {
  at: number;
  state: 'due' | 'missed';
  stage: number;
  offsetMs: number;
  label: string;
}

export type LoopEvents = {
  gate: GateEvent;
  overall: OverallEvent;
  checkpoint: CheckpointEvent;
  /** Rollback-trigger effects (raise, arm, fire, cancel, clear), for the auto-rollback policy. */
  triggers: TriggerEffect[];
  stage: StageEvent;
  audit: AuditEvent;
};

/** Gate and overall changes between the last written evaluation and this one (the first: `initial`). */
export function lightChanges(
  at: number,
  gates: readonly GateConfig[],
  before: { gates: Readonly<Record<string, GateResult>>; overall: Overall },
  after: { gates: Readonly<Record<string, GateResult>>; overall: Overall },
): { gates: GateEvent[]; overall: OverallEvent | undefined } {
  const changed: GateEvent[] = [];
  for (const g of gates) {
    const b = before.gates[g.id];
    const a = after.gates[g.id]!;
    const from = b?.status ?? 'UNKNOWN';
    if (from !== a.status) changed.push({ at, gate: g, from, to: a.status, reason: a.reason, value: a.value, threshold: a.threshold, ...(b ? {} : { initial: true }) });
  }
  const first = Object.keys(before.gates).length === 0;
  const overall = before.overall !== after.overall ? { at, from: before.overall, to: after.overall, ...(first ? { initial: true } : {}) } : undefined;
  return { gates: changed, overall };
}

/** The event-log lines of light changes: the log is one subscriber of the typed events. */
export function lightLogEntries(gates: readonly GateEvent[], overall: OverallEvent | undefined): Omit<EventEntry, 'id'>[] {
  const out: Omit<EventEntry, 'id'>[] = gates.filter((e) => !e.initial).map((e) => ({
    at: e.at,
    kind: 'gate',
    level: e.to === 'FAIL' ? 'error' : e.to === 'PASS' || e.to === 'WAIVED' ? 'ok' : 'warn',
    text: `${e.gate.title}: ${LIGHT_WORD[e.from]} → ${LIGHT_WORD[e.to]} (${e.reason})`,
  }));
  if (overall && !overall.initial) out.push({ at: overall.at, kind: 'gate', level: overall.to === 'GO' ? 'ok' : overall.to === 'WARN' ? 'warn' : 'error', text: `overall ${overall.from} → ${overall.to}` });
  return out;
}

/** Checkpoints falling due (once per checkpoint, when the due one changes) and missed (once each). */
export class CheckpointWatch {
  private lastDue: string | undefined;
  private readonly missed = new Set<string>();

  step(at: number, ramp: RampView | undefined): CheckpointEvent[] {
    if (!ramp) return [];
    const out: CheckpointEvent[] = [];
    const due = ramp.due;
    const key = due ? `${due.stage}:${due.offsetMs}` : undefined;
    if (due && key !== this.lastDue) out.push({ at, state: 'due', stage: due.stage, offsetMs: due.offsetMs, label: due.label });
    this.lastDue = key;
    for (const cp of ramp.checkpoints) {
      const k = `${cp.stage}:${cp.offsetMs}`;
      if (cp.state === 'missed' && !this.missed.has(k)) {
        this.missed.add(k);
        out.push({ at, state: 'missed', stage: cp.stage, offsetMs: cp.offsetMs, label: cp.label });
      }
    }
    return out;
  }
}

/** Stage moves and the rollback flag, once per change (the window starts outside any stage). */
export class StageWatch {
  private stage = -1;
  private rolledBack = false;

  step(at: number, ramp: RampView | undefined): StageEvent | undefined {
    if (!ramp || (ramp.stageIndex === this.stage && ramp.rolledBack === this.rolledBack)) return undefined;
    const e = { at, from: this.stage, to: ramp.stageIndex, rolledBack: ramp.rolledBack };
    this.stage = ramp.stageIndex;
    this.rolledBack = ramp.rolledBack;
    return e;
  }
}

/**
 * The audit trail's health as edges: `failing` once when lines are pending with a write error,
 * `saved` once when nothing is pending and no error is left.
 */
export class AuditWatch {
  private failing = false;

  step(at: number, pending: number, error: string | undefined): AuditEvent | undefined {
    if (!this.failing && error !== undefined && pending > 0) {
      this.failing = true;
      return { at, state: 'failing', pending, error };
    }
    if (this.failing && error === undefined && pending === 0) {
      this.failing = false;
      return { at, state: 'saved', pending };
    }
    return undefined;
  }
}

/** The event-log line of an audit edge. */
export function auditLogEntry(e: AuditEvent): Omit<EventEntry, 'id'> {
  return e.state === 'failing'
    ? { at: e.at, kind: 'system', level: 'error', text: `AUDIT NOT SAVED: ${e.error}; retrying` }
    : { at: e.at, kind: 'system', level: 'ok', text: 'audit trail written again: every pending line saved' };
}
