/** What one try at delivering an action (one HTTP request, one process run) comes back with. */
export interface AttemptResult {
  ok: boolean;
  /** True once the request was fully written / the process started. */
  sent: boolean;
  cancelled?: boolean;
  /** Human-readable, control-free, scrubbed of secrets. */
  error?: string;
  detail?: string;
  status?: number;
  exitCode?: number;
}

/** Makes text safe to show: control sequences stripped, secrets redacted, one line, cut. */
export type Scrub = (text: string, max?: number) => string;
