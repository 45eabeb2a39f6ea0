/**
 * Reconnect timing for the status feed: full-jitter exponential backoff. Pure logic (time
 * comes from the injected clock, randomness from an injected source) so it is unit-tested
 * without sockets.
 */
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';

export interface BackoffOptions {
  baseMs?: number; // 500
  capMs?: number; // 30_000
  /** A connection that stayed up this long resets the attempt count. */
  stableMs?: number; // 10_000
  random?: () => number;
  clock?: Clock;
}

/** The first retry is always under this, whatever `baseMs` is (SPEC §3: first retry under 1 s). */
export const FIRST_RETRY_CEILING_MS = 1000;

/**
 * Delay before retry number `attempt` (0-based): uniform in [0, min(cap, base·2^attempt)),
 * and for attempt 0 also below 1 s. `random` must return values in [0, 1).
 */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  const ceiling = attempt === 0 ? Math.min(exp, FIRST_RETRY_CEILING_MS) : exp;
  // Clamp so a misbehaving random source (1.0, NaN) still gives a delay inside the window.
  const r = random();
  const u = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return Math.min(Math.floor(u * ceiling), Math.max(0, ceiling - 1));
}

/**
 * Tracks the attempt count across connections. The count resets only when the connection
 * that just closed had stayed up `stableMs`: a server that accepts and immediately drops us
 * must keep backing off, not be hammered every few hundred milliseconds.
 */
export class ReconnectBackoff {
  private readonly baseMs: number;
  private readonly capMs: number;
  private readonly stableMs: number;
  private readonly random: () => number;
  private readonly clock: Clock;
  private attemptCount = 0;
  private openedAt: number | undefined;

  constructor(opts: BackoffOptions = {}) {
    this.baseMs = opts.baseMs ?? 500;
    this.capMs = opts.capMs ?? 30_000;
    this.stableMs = opts.stableMs ?? 10_000;
    this.random = opts.random ?? Math.random;
    this.clock = opts.clock ?? systemClock;
  }

  get attempt(): number {
    return this.attemptCount;
  }

  /** The connection is open; remember when, to judge stability when it closes. */
  opened(): void {
    this.openedAt = this.clock.now();
  }

  /** The connection closed (or failed to open): how long to wait before the next try. */
  nextDelay(): number {
    if (this.openedAt !== undefined && this.clock.now() - this.openedAt >= this.stableMs) this.attemptCount = 0;
    this.openedAt = undefined;
    const delay = backoffDelay(this.attemptCount, this.baseMs, this.capMs, this.random);
    this.attemptCount++;
    return delay;
  }

  reset(): void {
    this.attemptCount = 0;
    this.openedAt = undefined;
  }
}
