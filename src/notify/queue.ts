/**
 * One sink's delivery queue: one request at a time, in order; retries with capped
 * exponential backoff and jitter; identical repeats within `throttle` dropped; a bounded
 * length (the oldest waiting message goes, counted); a timeout per request that holds
 * even when the sender never settles. Time and the sender are injected, so it is pure logic
 * under a fake clock.
 */
import type { Clock, TimerHandle } from '../core/clock.js';
import type { NotifyRequest } from './payloads/request.js';

export type SendResult = { ok: true; status: number } | { ok: false; error: string; retryable: boolean; retryAfterMs?: number };
export type Sender = (req: NotifyRequest, signal: AbortSignal) => Promise<SendResult>;

export interface QueueItem {
  event: string;
  /** Identical repeats (same key) within `throttle` are dropped. */
  dedup: string;
  request: NotifyRequest;
}

export interface DeliveryOutcome {
  event: string;
  result: 'delivered' | 'failed' | 'dropped';
  attempts: number;
  error?: string;
  at: number;
}

export interface QueueOptions {
  clock: Clock;
  send: Sender;
  /** Longest queue (waiting + in flight). */
  max: number;
  /** Retries after the first attempt. */
  retries: number;
  throttle: number;
  timeout: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  random?: () => number;
  onOutcome?: (o: DeliveryOutcome) => void;
  /** Health changed (retrying, failing, counts): for the header. */
  onChange?: () => void;
}

export interface QueueStats {
  waiting: number;
  delivered: number;
  failed: number;
  dropped: number;
  throttled: number;
  /** The current message failed at least once and waits for a retry. */
  retrying: boolean;
  /** The last message's final outcome was a failure (cleared by the next delivery). */
  failing: boolean;
  lastError?: string;
}

export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_CAP_MS = 60_000;

/** The wait before retry `attempt` (1-based): base·2^(attempt-1) capped, the upper half jittered. */
export function backoffDelay(attempt: number, opts: { base?: number; cap?: number; random?: () => number; retryAfterMs?: number } = {}): number {
  const cap = opts.cap ?? BACKOFF_CAP_MS;
  const full = Math.min(cap, (opts.base ?? BACKOFF_BASE_MS) * 2 ** Math.max(0, attempt - 1));
  const jittered = full / 2 + (opts.random ?? Math.random)() * (full / 2);
  // A receiver's Retry-After is honoured, within the cap.
  return Math.round(opts.retryAfterMs !== undefined ? Math.max(jittered, Math.min(cap, opts.retryAfterMs)) : jittered);
}

export class SinkQueue {
  private readonly items: QueueItem[] = [];
  private busy = false;
  private attempts = 0;
  private retryTimer: TimerHandle | undefined;
  private abort: AbortController | undefined;
  private stopped = false;
  private readonly seen = new Map<string, number>();
  private readonly idleWaiters = new Set<() => void>();
  private readonly s: QueueStats = { waiting: 0, delivered: 0, failed: 0, dropped: 0, throttled: 0, retrying: false, failing: false };

  constructor(private readonly o: QueueOptions) {}

  stats(): QueueStats {
    return { ...this.s, waiting: this.items.length };
  }

  idle(): boolean {
    return this.items.length === 0 && !this.busy;
  }

  enqueue(item: QueueItem): 'queued' | 'throttled' | 'stopped' {
    if (this.stopped) return 'stopped';
    const now = this.o.clock.now();
    if (this.o.throttle > 0) {
      const last = this.seen.get(item.dedup);
      if (last !== undefined && now - last < this.o.throttle) {
        this.s.throttled++;
        this.o.onChange?.();
        return 'throttled';
      }
      this.seen.set(item.dedup, now);
      if (this.seen.size > 1000) for (const [k, t] of this.seen) if (now - t >= this.o.throttle) this.seen.delete(k);
    }
    this.items.push(item);
    // Over the bound: the oldest message not in flight goes (the one in flight is already on its way).
    while (this.items.length > this.o.max) {
      const at = this.busy && this.items.length > 1 ? 1 : 0;
      const [gone] = this.items.splice(at, 1);
      this.s.dropped++;
      if (gone) this.o.onOutcome?.({ event: gone.event, result: 'dropped', attempts: 0, error: `queue full (${this.o.max}): dropped unsent`, at: now });
    }
    this.o.onChange?.();
    this.pump();
    return 'queued';
  }

  /** Resolves true once nothing waits or is in flight, false after `maxMs` of the clock. */
  whenIdle(maxMs: number): Promise<boolean> {
    if (this.idle()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        this.idleWaiters.delete(waiter);
        this.o.clock.clearTimeout(timer);
        resolve(ok);
      };
      const waiter = () => done(true);
      const timer = this.o.clock.setTimeout(() => done(false), maxMs);
      this.idleWaiters.add(waiter);
    });
  }

  /** Drops what waits and aborts what is in flight; nothing is sent after this. */
  stop(): void {
    this.stopped = true;
    this.o.clock.clearTimeout(this.retryTimer);
    this.abort?.abort();
    this.items.length = 0;
  }

  private pump(): void {
    if (this.busy || this.stopped || this.items.length === 0) {
      if (this.idle()) for (const w of [...this.idleWaiters]) w();
      return;
    }
    this.busy = true;
    this.attempts = 0;
    this.attempt(this.items[0]!);
  }

  private attempt(item: QueueItem): void {
    this.attempts++;
    const ac = (this.abort = new AbortController());
    const { clock, timeout } = this.o;
    void new Promise<SendResult>((resolve) => {
      // The timer answers for a sender that never settles (a receiver that accepts and never replies).
      const timer = clock.setTimeout(() => {
        ac.abort();
        resolve({ ok: false, error: `no answer within ${timeout} ms`, retryable: true });
      }, timeout);
      let p: Promise<SendResult>;
      try {
        p = this.o.send(item.request, ac.signal);
      } catch (e) {
        p = Promise.resolve({ ok: false, error: e instanceof Error ? e.message : String(e), retryable: false });
      }
      p.then(
        (r) => {
          clock.clearTimeout(timer);
          resolve(r);
        },
        (e: unknown) => {
          clock.clearTimeout(timer);
          resolve({ ok: false, error: e instanceof Error ? e.message : String(e), retryable: true });
        },
      );
    }).then((r) => this.settle(item, r));
  }

  private settle(item: QueueItem, r: SendResult): void {
    this.abort = undefined;
    if (this.stopped) return;
    const now = this.o.clock.now();
    if (r.ok) {
      this.finish(item, { event: item.event, result: 'delivered', attempts: this.attempts, at: now });
      this.s.delivered++;
      this.s.failing = false;
      delete this.s.lastError;
    } else if (r.retryable && this.attempts <= this.o.retries) {
      this.s.retrying = true;
      this.s.lastError = r.error;
      this.o.onChange?.();
      const delay = backoffDelay(this.attempts, { ...(this.o.backoffBaseMs !== undefined ? { base: this.o.backoffBaseMs } : {}), ...(this.o.backoffCapMs !== undefined ? { cap: this.o.backoffCapMs } : {}), ...(this.o.random ? { random: this.o.random } : {}), ...(r.retryAfterMs !== undefined ? { retryAfterMs: r.retryAfterMs } : {}) });
      this.retryTimer = this.o.clock.setTimeout(() => {
        this.retryTimer = undefined;
        if (!this.stopped) this.attempt(item);
      }, delay);
      return;
    } else {
      this.s.failed++;
      this.s.failing = true;
      this.s.lastError = r.error;
      this.finish(item, { event: item.event, result: 'failed', attempts: this.attempts, error: r.error, at: now });
    }
  }

  private finish(item: QueueItem, outcome: DeliveryOutcome): void {
    if (this.items[0] === item) this.items.shift();
    this.busy = false;
    this.s.retrying = false;
    this.o.onOutcome?.(outcome);
    this.o.onChange?.();
    this.pump();
  }
}
