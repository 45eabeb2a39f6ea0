/**
 * The typed events of the paced loop (pacedLoop.ts): what changed at one evaluation, derived
 * once, pure. The loop emits them after its store write; the bell, notifications and the event
 * log subscribe to them instead of diffing store snapshots each on its own.
 */
import type { GateConfig } from '../config/types.js';
import { LIGHT_WORD } from '../core/status.js';
import type { CriterionStatus, GateResult, Overall } from '../core/types.js';
import type { RampView } from '../ramp/timeline.js';
import type { TriggerEffect } from '../ramp/triggers.js';
import type { EventEntry } from '../store/store.js';

/** A gate's light changed (not its first evaluation). */
export interface GateEvent {
  at: number;
  gate: GateConfig;
  from: CriterionStatus;
  to: CriterionStatus;
  reason: string;
}

/** The overall light changed (not the first evaluated one: that is where the window stands, not news). */
export interface OverallEvent {
  at: number;
  from: Overall;
  to: Overall;
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
};

/** Gate and overall changes between the last written evaluation and this one. */
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
    if (b && b.status !== a.status) changed.push({ at, gate: g, from: b.status, to: a.status, reason: a.reason });
  }
  const overall = before.overall !== after.overall && Object.keys(before.gates).length > 0 ? { at, from: before.overall, to: after.overall } : undefined;
  return { gates: changed, overall };
}

/** The event-log lines of light changes: the log is one subscriber of the typed events. */
export function lightLogEntries(gates: readonly GateEvent[], overall: OverallEvent | undefined): Omit<EventEntry, 'id'>[] {
  const out: Omit<EventEntry, 'id'>[] = gates.map((e) => ({
    at: e.at,
    kind: 'gate',
    level: e.to === 'FAIL' ? 'error' : e.to === 'PASS' || e.to === 'WAIVED' ? 'ok' : 'warn',
    text: `${e.gate.title}: ${LIGHT_WORD[e.from]} → ${LIGHT_WORD[e.to]} (${e.reason})`,
  }));
  if (overall) out.push({ at: overall.at, kind: 'gate', level: overall.to === 'GO' ? 'ok' : overall.to === 'WARN' ? 'warn' : 'error', text: `overall ${overall.from} → ${overall.to}` });
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
