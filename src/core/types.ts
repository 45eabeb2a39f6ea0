/** Shared vocabulary of the engine; no I/O here. */

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
