/**
 * A source's own timestamp is trusted only up to the moment we received it: a clock running
 * ahead (or a hostile server) would otherwise stamp data "from the future", whose age stays
 * negative and so never goes stale after the source dies. Past timestamps are kept as they
 * are, because old data must age out.
 */
import { formatDuration } from '../config/duration.js';

export const DEFAULT_MAX_CLOCK_SKEW_MS = 30_000;

export interface SampleTime {
  /** min(source time, receive time), ms epoch. */
  observedAt: number;
  /** Set when the source time is more than `maxSkewMs` ahead of the receive time. */
  warning?: string;
}

export function sampleTime(sourceMs: number, receivedAt: number, maxSkewMs: number): SampleTime {
  if (!Number.isFinite(sourceMs)) return { observedAt: receivedAt };
  const ahead = sourceMs - receivedAt;
  if (ahead <= 0) return { observedAt: sourceMs };
  if (ahead <= maxSkewMs) return { observedAt: receivedAt };
  return { observedAt: receivedAt, warning: skewWarning(ahead, maxSkewMs) };
}

export function skewWarning(aheadMs: number, maxSkewMs: number): string {
  return `source clock ${formatDuration(aheadMs)} ahead (max_clock_skew ${formatDuration(maxSkewMs)}); using receive time`;
}
