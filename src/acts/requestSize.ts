/**
 * Override and waiver requests travel to every approver as one feed frame, and the feed drops
 * any frame over 64 KiB unseen (SPEC §3). So the request carries a compact snapshot of the
 * criteria (what each gate showed, no titles or descriptions; the hash is over exactly this),
 * and its size is checked before it is made. Pure.
 */
import type { Publishable } from '../feed/protocol.js';

/** A value string longer than this is cut in the snapshot (a feed value can be long text). */
const VALUE_MAX = 120;
/** What the ledger adds to a request body before it is published: seq, ts, hashes, SSHSIG. */
const LINE_OVERHEAD_BYTES = 2048;

export interface SnapshotSource {
  id: string;
  severity: string;
  status: string;
  value: unknown;
  threshold: string;
  observedAt?: number;
}

export interface SnapshotEntry {
  id: string;
  severity: string;
  status: string;
  value: unknown;
  threshold: string;
  observed_at: string | null;
}

/** The criteria as a request records them: the state of each gate, compact. */
export function requestSnapshot(criteria: readonly SnapshotSource[], iso: (ms: number) => string): SnapshotEntry[] {
  return criteria.map((c) => ({
    id: c.id,
    severity: c.severity,
    status: c.status,
    value: typeof c.value === 'string' && c.value.length > VALUE_MAX ? `${c.value.slice(0, VALUE_MAX - 1)}…` : c.value,
    threshold: c.threshold,
    observed_at: c.observedAt === undefined ? null : iso(c.observedAt),
  }));
}

export function frameBytes(frame: Publishable | Record<string, unknown>): number {
  return Buffer.byteLength(JSON.stringify(frame), 'utf8');
}

/** The frame's size once the ledger has chained and signed its line (an upper estimate). */
export function requestFrameBytes(frame: Record<string, unknown>): number {
  return frameBytes(frame) + LINE_OVERHEAD_BYTES;
}

export function kib(bytes: number): string {
  return `${Math.ceil(bytes / 1024)} KiB`;
}
