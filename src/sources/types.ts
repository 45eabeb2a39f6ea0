/**
 * Every source is an adapter behind one interface. A poller asks it for the current value of
 * a set of probes; push sources (websocket) answer from what they hold.
 */
import type { Clock } from '../core/clock.js';
import type { HttpProbeSpec } from '../config/types.js';
import type { Reading } from '../core/types.js';

/** What to read from a source: one of these is set, depending on the source type. */
export interface Probe {
  /** Unique key within the source, e.g. `gate:entropy`, `baseline:q_spread`, `influence`. */
  id: string;
  query?: string; // prometheus
  metric?: string; // scrape (name{label="v"}), also prometheus (used as the query)
  key?: string; // websocket status key
  http?: HttpProbeSpec; // http: the gate's request; absent = GET of the source url, status code
  /** alertmanager: label matchers as written in the gate's `filter`, and what a matching silence does. */
  alerts?: { filter: string[]; silences: 'warn' | 'ignore' };
  /** files: the JSON field read as the value, and the artifact-history rules. */
  files?: FileRules;
  /** prometheus: read the window [now − window, now] at step (a judged gate) instead of the instant value. */
  range?: { window: number; step: number; role: 'canary' | 'baseline' | 'series' };
}

export interface FileRules {
  /** Dotted path of the value; default `status`. */
  field?: string;
  /** The newest N files must all have status PASS. */
  consecutive?: number;
  /** No file modified within this many ms may have a status other than PASS. */
  noFailuresWithin?: number;
}

export interface SourceResult {
  /** Did the source itself answer (connection, HTTP status, process start)? */
  ok: boolean;
  /** Why not, in words a human can act on. */
  error?: string;
  /** One reading per probe asked for; a probe missing here counts as not found. */
  readings: Record<string, Reading>;
}

export interface ReadContext {
  clock: Clock;
  /** Aborted on timeout or shutdown. */
  signal: AbortSignal;
}

export interface SourceAdapter {
  readonly id: string;
  readonly type: string;
  read(probes: Probe[], ctx: ReadContext): Promise<SourceResult>;
  /** Releases connections and timers. */
  close?(): Promise<void> | void;
}
