/** Shared vocabulary of the engine; no I/O here. */
import type { Figures } from '../judge/verdict.js';

/** A value read from a source: a number (NaN/±Inf allowed, never PASS), a boolean or a word. */
export type Value = number | boolean | string;

/** One reading of one probe (a gate's query/metric/key, a baseline, the influence metric). */
export interface Reading {
  /** null when the read failed or found nothing; see `error`. */
  value: Value | null;
  /** When the value was observed (source time where known, else time of the read), ms epoch. */
  observedAt: number;
  /** Human-actionable reason the read failed ("PromQL parse error: …", "3 series match …"). */
  error?: string;
  /** Extra text for the detail pane (command stdout, feed detail, file name). */
  detail?: string;
  /** command sources: process exit code. */
  exitCode?: number;
  /** Time the data refers to, e.g. file mtime (files sources); used for max_age. ms epoch. */
  asOf?: number;
  /** Shown with the gate's reason whatever its status (source clock skew, escaped processes). */
  warnings?: string[];
  /** Shown after the gate's reason whatever its status: what the value counts (firing alerts). */
  note?: string;
  /**
   * The source found the gate failing on grounds beyond the value (artifact history:
   * a FAIL among the newest N). FAIL with this reason, whatever the threshold says.
   */
  fail?: string;
  /** A pass is held at WARN for this reason (an active silence that may hide what the gate watches). */
  hold?: string;
  /** A judged gate's window (prometheus range query): every point, oldest first; `value` is the newest. */
  series?: { t: number; v: number }[];
}

/** Status of one criterion as written to the audit trail and shown as a light. */
export type CriterionStatus = 'PASS' | 'WARN' | 'FAIL' | 'UNKNOWN' | 'WAIVED';
export type Overall = 'GO' | 'WARN' | 'NO-GO';

export type SourceState = 'up' | 'stale' | 'down' | 'pending';

export interface SourceHealth {
  id: string;
  type: string;
  state: SourceState;
  /** Last successful read, ms epoch. */
  lastSuccess?: number;
  lastAttempt?: number;
  error?: string;
}

/**
 * A sign-off that counts (SPEC §9.1): a valid line of a ledger of this window, or another
 * console's signed `ack` that this console verified and recorded.
 */
export interface Signoff {
  role: string;
  actor: string;
  /** ms epoch */
  at: number;
  /** The manual gate signed; absent for a sign-off of the decision itself. */
  gate?: string;
  /** Set when another console signed it (verified against allowed_signers). */
  remote?: boolean;
}

export interface Waiver {
  gate: string;
  actor: string;
  reason: string;
  /** ms epoch */
  at: number;
  expires: number;
}

/** One gate's evaluated state, as the views and the audit trail see it. */
export interface GateResult {
  id: string;
  /** What the light shows (after `for:` hysteresis and waivers). */
  status: CriterionStatus;
  /** What the latest data alone says. */
  raw: CriterionStatus;
  value: Value | null;
  /** The threshold text shown next to the value (`>= 0.9`, `<= 2x (2.8)`). */
  threshold: string;
  /** Why this status, in words: shown on the gate and in `check`. */
  reason: string;
  observedAt?: number;
  /** Set while a worse raw status is being held back by `for:`. */
  pendingSince?: number;
  waiver?: Waiver;
  signedBy?: Signoff;
  /** Judged gates (compare/trend): the figures behind the verdict (effect, interval, p, m, n). */
  judgment?: Figures;
  /** Judged gates: the window's series (canary `a`, baseline `b`; a trend has only `a`), for sparklines. */
  series?: { a: number[]; b?: number[] };
}

export interface OverallResult {
  overall: Overall;
  /** Why, newest-most-important first ("2 critical FAIL: entropy, q_spread"). */
  reasons: string[];
  missingSignoffs: string[];
  /** Set when decision.score is configured (SPEC §9.5): percent, null when nothing is weighed. */
  score?: { value: number | null; pass: number; warning: number };
}
