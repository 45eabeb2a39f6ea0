/**
 * The `websocket` source (SPEC §3): answers probes from what the status feed has pushed.
 * A status value stays current while the connection is up; after a disconnect its
 * observedAt freezes at the moment of disconnect, so the engine's `stale_after` turns the
 * gate UNKNOWN. Firing alerts are kept here too, in a bounded AlertBook whose counters the
 * built-in `feed_page_alerts` gate reads: no read or frame walks the firing alerts.
 */
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import { Emitter } from '../core/emitter.js';
import type { Reading, Value } from '../core/types.js';
import type { WebsocketSource } from '../config/types.js';
import { AlertBook, DEFAULT_MAX_FIRING_ALERTS, type AlertCounts, type KeptAlert } from '../feed/alertBook.js';
import { FeedClient } from '../feed/client.js';
import type { FeedMessage } from '../feed/protocol.js';
import { oneLine } from '../util/sanitize.js';
import type { Probe, ReadContext, SourceAdapter, SourceResult } from './types.js';

/** Probe key answered with the number of firing alerts of severity `page`. */
export const PAGE_ALERTS_KEY = '@page_alerts';

export interface WebsocketSourceAdapter extends SourceAdapter {
  readonly type: 'websocket';
  readonly client: FeedClient;
  /** Connects (idempotent); read() also does it. */
  start(): void;
  /** `message`: every valid, de-duplicated message, after this source has taken it in. */
  on(name: 'message', listener: (m: FeedMessage) => void): () => void;
  /** What read() answers, at once and synchronously: the session pushes it on every change. */
  snapshot(probes: Probe[]): SourceResult;
  /** Alerts currently firing and kept with their text (at most max_firing_alerts; O(kept)). */
  alerts(): KeptAlert[];
  /** Exact firing and page counts, and how many are beyond the kept ones (O(1)). */
  alertCounts(): AlertCounts;
}

/** Page alerts the gate's detail names before "+N more". */
const DETAIL_ALERTS = 3;

interface HeldStatus {
  value: unknown;
  detail?: string;
  receivedAt: number;
}

/**
 * The adapter from config (registry.ts). The feed's transport timers (ping, pong deadline,
 * backoff) run on wall time even when the engine clock is scaled by `demo --speed`, or a 25 s
 * pong deadline would shrink to nothing.
 */
export function websocketFromConfig(cfg: WebsocketSource, ctx: { clock: Clock; oneShot: boolean }): WebsocketSourceAdapter {
  const client = new FeedClient({ url: cfg.url, headers: cfg.headers, clock: systemClock, ...(cfg.maxSeqJump ? { maxSeqJump: cfg.maxSeqJump } : {}) });
  return createWebsocketSource(cfg, { clock: ctx.clock, client, waitForKeys: ctx.oneShot });
}

export function createWebsocketSource(
  cfg: WebsocketSource,
  opts: { clock?: Clock; client?: FeedClient; /** false: answer at once (the console polls often); true: wait for the keys (check). */ waitForKeys?: boolean } = {},
): WebsocketSourceAdapter {
  const clock = opts.clock ?? systemClock;
  const client = opts.client ?? new FeedClient({ url: cfg.url, headers: cfg.headers, clock, ...(cfg.maxSeqJump ? { maxSeqJump: cfg.maxSeqJump } : {}) });
  const statuses = new Map<string, HeldStatus>();
  const book = new AlertBook(cfg.maxFiringAlerts ?? DEFAULT_MAX_FIRING_ALERTS);
  const events = new Emitter<{ message: FeedMessage }>();
  /** Wakes read() calls waiting for keys or a connection. */
  const wakers = new Set<() => void>();
  let started = false;
  let closed = false;

  const wake = () => {
    for (const w of [...wakers]) w();
  };

  client.on('message', (m) => {
    if (m.type === 'status') {
      statuses.set(m.key, { value: m.value, detail: m.detail, receivedAt: clock.now() });
    } else if (m.type === 'alert') {
      book.ingest(m);
    }
    events.emit('message', m);
    wake();
  });
  client.on('state', () => wake());

  const start = () => {
    if (started) return;
    started = true;
    client.start();
  };

  /** While up: now. After a disconnect: the moment of disconnect (so data ages out). */
  const observedAt = (): number => {
    const s = client.stats();
    if (s.state === 'open') return clock.now();
    return s.disconnectedAt ?? clock.now();
  };

  const ready = (probes: Probe[]): boolean =>
    closed ||
    probes.every((p) => {
      if (!p.key) return true; // answered at once with an error
      if (p.key === PAGE_ALERTS_KEY) return client.hasConnected;
      return statuses.has(p.key);
    });

  const waitReady = (probes: Probe[], signal: AbortSignal) => waitUntil(() => ready(probes), wakers, signal);

  const readOne = (p: Probe): Reading => readHeld(p, observedAt(), client, book, statuses, clock);

  const snapshot = (probes: Probe[]): SourceResult => {
    const readings: Record<string, Reading> = {};
    for (const p of probes) readings[p.id] = readOne(p);
    return { ...health(), readings };
  };

  const health = () => feedHealth(client, clock);

  return {
    id: cfg.id,
    type: 'websocket',
    client,
    start,
    on: (name, listener) => events.on(name, listener),
    alerts: () => book.kept(),
    alertCounts: () => book.counts(),
    async read(probes: Probe[], ctx: ReadContext): Promise<SourceResult> {
      start();
      // One-shot use (`warroom check`) asks before anything arrived: wait for the keys or
      // the deadline, then answer with what there is (never throw on abort).
      if (opts.waitForKeys !== false) await waitReady(probes, ctx.signal);
      return snapshot(probes);
    },
    snapshot,
    async close() {
      closed = true;
      wake(); // pending reads answer with what there is
      await client.stop();
    },
  };
}

/** One probe answered from what the feed has pushed (`at`: when that data was last current). */
function readHeld(p: Probe, at: number, client: FeedClient, book: AlertBook, statuses: Map<string, HeldStatus>, clock: Clock): Reading {
  if (!p.key) return { value: null, observedAt: at, error: 'websocket probe needs a key' };
  if (p.key === PAGE_ALERTS_KEY) {
    if (!client.hasConnected) return { value: null, observedAt: clock.now(), error: 'feed not connected' };
    const n = book.counts().page;
    return { value: n, observedAt: at, ...(n > 0 ? { detail: pageDetail(book, n) } : {}) };
  }
  const held = statuses.get(p.key);
  if (!held) return { value: null, observedAt: at, error: `no status "${oneLine(p.key, 200)}" received yet` };
  const detail = held.detail !== undefined ? { detail: held.detail } : {};
  const v = held.value;
  if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') {
    return { value: v as Value, observedAt: at, ...detail };
  }
  const error = v === null || v === undefined ? 'status value is missing' : 'status value is not a scalar';
  return { value: null, observedAt: at, error, ...detail };
}

function feedHealth(client: FeedClient, clock: Clock): { ok: boolean; error?: string } {
  if (client.stats().state === 'open') return { ok: true };
  const s = client.stats();
  const reason = s.lastError ?? 'not connected';
  if (!client.hasConnected) {
    return { ok: false, error: `feed not connected: ${reason}${retryText(s.nextRetryAt, clock.now(), s.state)}` };
  }
  return { ok: false, error: `feed disconnected: ${reason}${retryText(s.nextRetryAt, clock.now(), s.state)}` };
}

/** Resolves once `ready()` holds (checked on every wake) or the signal aborts. */
function waitUntil(ready: () => boolean, wakers: Set<() => void>, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted || ready()) return resolve();
    const done = () => {
      wakers.delete(check);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const check = () => {
      if (ready()) done();
    };
    wakers.add(check);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** "s1; s2; s3; +N more": the first few page alerts, the rest as a count (never a scan). */
function pageDetail(book: AlertBook, n: number): string {
  const texts = book.pageTexts(DETAIL_ALERTS).map((t) => oneLine(t, 120));
  const rest = n - texts.length;
  return rest > 0 ? [...texts, `+${rest} more`].join('; ') : texts.join('; ');
}

function retryText(nextRetryAt: number | undefined, now: number, state: string): string {
  if (state === 'connecting') return '; reconnecting';
  if (nextRetryAt === undefined) return '';
  const secs = Math.max(0, Math.ceil((nextRetryAt - now) / 1000));
  return `; retrying in ${secs}s`;
}
