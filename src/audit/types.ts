/** The ledger's line shapes (SPEC §5): one JSON object per line of ledger.jsonl. */
import type { Value } from '../core/types.js';

export const LEDGER_SCHEMA = 'warroom.ledger/v1';
export const LEDGER_FILE = 'ledger.jsonl';
/** prev_hash of the first line. */
export const GENESIS_HASH = `sha256:${'0'.repeat(64)}`;

export type ActionKind = 'kill_switch' | 'set_influence' | 'runbook';
export type ActionPhase = 'requested' | 'sent' | 'acknowledged' | 'verified' | 'failed' | 'cancelled' | 'abandoned';
export type DecisionKind = 'GO' | 'NO-GO' | 'HOLD';
export type TriggerPhase = 'raised' | 'armed' | 'fired' | 'cancelled' | 'cleared';

export interface ActionEvent {
  type: 'action';
  action: ActionKind;
  phase: ActionPhase;
  from_pct?: number;
  to_pct?: number;
  reason?: string;
  /** One key for every attempt of one action, so retries are idempotent downstream. */
  idempotency_key: string;
  attempt?: number;
  error?: string;
  /** The gate id whose rollback trigger started this action. */
  trigger?: string;
  /** SPEC §9.5: the runbook run, its params, and the gate it was run as the remedy of. */
  runbook?: string;
  params?: Record<string, string | number>;
  gate?: string;
}

export interface DecisionEvent {
  type: 'decision';
  decision: DecisionKind;
  /** The decision record's id. */
  id: string;
  /** File name of the decision record, relative to the audit dir. */
  file: string;
  record_hash: string;
  justification: string;
  /** ISO time, or null. */
  next_review: string | null;
  /** SPEC §9.5: the weighted score when decision.score is configured. */
  score?: { value: number | null; pass: number; warning: number };
  /** A GO over a NO-GO light: the request and who approved it (SPEC §9.5). */
  override?: OverrideSummary;
}

/** What a completed override or approved waiver names: the request and every approver. */
export interface OverrideSummary {
  request: string;
  requested_by: string;
  requested_at: string;
  expires: string;
  justification: string;
  criteria_hash: string;
  overridden: string[];
  approvers: { actor: string; role: string; at: string; line_hash: string }[];
}

export interface SignoffEvent {
  type: 'signoff';
  /** The role signed as. */
  role: string;
  /** The manual gate signed; absent for a sign-off of the decision itself. */
  gate?: string;
}

export interface WaiverEvent {
  type: 'waiver';
  gate: string;
  reason: string;
  /** ISO time. */
  expires: string;
  /** With waiver.approvals configured: the approved request (SPEC §9.5). */
  approvals?: OverrideSummary;
}

export interface CheckpointAckEvent {
  type: 'checkpoint.ack';
  /** Ramp stage index as the timeline counts it. */
  stage: number;
  offset_ms: number;
  label: string;
}

export interface TriggerEvent {
  type: 'trigger';
  phase: TriggerPhase;
  gate: string;
  mode: 'prompt' | 'auto';
  /** The gate's value when it happened; non-finite numbers are recorded as null. */
  value: Value | null;
  threshold: string;
}

export interface NoteEvent {
  type: 'note';
  text: string;
}

/**
 * SPEC §9.5: marks an earlier decision, sign-off or waiver line invalid; nothing is deleted.
 * `target` names the line (file and 1-based line number in the audit dir) and pins it by hash.
 */
export interface InvalidateEvent {
  type: 'invalidate';
  /** `act`: the original signed line's hash; it removes every copy of the act (SPEC §10.0). */
  target: { file: string; line: number; hash: string; act?: string };
  reason: string;
}

/** SPEC §9.4: a notification that could not be delivered after its last retry (one line per message, bounded per sink). */
export interface NotifyFailedEvent {
  type: 'notify.failed';
  /** `slack#0 https://hooks.slack.com/…`: never the webhook's path. */
  sink: string;
  event: string;
  error: string;
  attempts: number;
}

export type RequestKind = 'go' | 'waiver';

/** What an override or waiver request line says (its own ledger line, chained and signed). */
export interface OverrideRequestEvent {
  type: 'override.request';
  /** Unique per request: approvals name it. */
  id: string;
  kind: RequestKind;
  justification: string;
  /** The light when asked. */
  overall: string;
  /** sha256 over the canonical JSON of the criteria snapshot: approvers approve that snapshot. */
  criteria_hash: string;
  /** The critical gates that were not PASS at request time: what the approvals override. */
  overridden: string[];
  /** ISO: request time + the rule's `expires`. */
  expires: string;
  needs: { roles: string[]; count: number };
  /** kind go: the decision asked for. */
  decision?: 'GO';
  /** kind waiver: the waiver asked for. */
  gate?: string;
  waiver_expires?: string;
  /** The criteria at request time, recorded with the completed decision. */
  criteria?: unknown[];
}

export interface OverrideApproveEvent {
  type: 'override.approve';
  /** The request id approved. */
  request: string;
  kind: RequestKind;
  requested_by: string;
  /** Must equal the request's: the approver saw the same snapshot. */
  criteria_hash: string;
}

export type LedgerEvent =
  | NotifyFailedEvent
  | ActionEvent
  | DecisionEvent
  | SignoffEvent
  | WaiverEvent
  | CheckpointAckEvent
  | TriggerEvent
  | NoteEvent
  | InvalidateEvent
  | OverrideRequestEvent
  | OverrideApproveEvent;

export type LedgerEventType = LedgerEvent['type'];

/** What `Ledger.append` takes: an event plus who did it. */
export type AppendInput = LedgerEvent & { actor: string; role?: string };

export interface LineHeader {
  schema: typeof LEDGER_SCHEMA;
  /** 1-based, consecutive. */
  seq: number;
  /** ISO 8601 UTC. */
  ts: string;
  actor: string;
  /** The actor's role; for a signoff line the event's role (the role signed as). */
  role?: string;
  deployment: string;
  environment: string;
}

/** A line before chaining. */
export type LedgerBody = LineHeader & LedgerEvent;

export type LedgerLine = LedgerBody & { prev_hash: string; hash: string };

export type VerifyResult = { ok: true; count: number } | { ok: false; line: number; reason: string };
