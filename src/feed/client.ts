/**
 * Client of the status feed (SPEC §3): one websocket, kept alive for the whole window.
 *
 * - Reconnects only from `close` (ws always follows `error` with `close`), with full-jitter
 *   backoff whose attempt count resets only after a connection stayed up `stableMs`.
 * - After every (re)connect sends `{"type":"resume","after":<last seq>}`; replayed messages
 *   (seq ≤ last seq) are dropped as duplicates, small jumps in seq are reported as gaps, and
 *   a jump beyond `maxSeqJump` is a server restart (see SeqTracker), reported to `onRestart`.
 * - Pings every `pingIntervalMs`; no pong for `pongTimeoutMs` means a dead peer: `terminate()`
 *   (a polite `close()` would wait for a closing handshake that never comes) and reconnect.
 * - Every frame goes through `parseFrame`; bad frames are dropped and counted by reason, and
 *   every string field is stripped of terminal control sequences before listeners see it;
 *   alert summaries are cut to `SUMMARY_MAX` there, once, so nothing downstream re-scans 6 KB.
 *
 * Frame size: the protocol limit is 64 KiB (`MAX_FRAME_BYTES`), but ws' `maxPayload` is set
 * to 16 MiB. A frame between the two is received, counted as `oversize` and dropped while
 * the connection stays up. If `maxPayload` were just above 64 KiB, ws would kill the socket
 * on every big frame, and a server that replays on resume would send the same frame again
 * after every reconnect — the feed would never recover. Above 16 MiB ws closes the socket
 * (1009); that is counted as `oversize` too and the client reconnects with backoff. 16 MiB
 * of transient buffer is an acceptable memory bound for a console.
 */
import WebSocket from 'ws';
import type { RawData } from 'ws';
import type { Clock, TimerHandle } from '../core/clock.js';
import { every, systemClock } from '../core/clock.js';
import { Emitter } from '../core/emitter.js';
import { formatDuration } from '../config/duration.js';
import { oneLine, stripControl } from '../util/sanitize.js';
import { ReconnectBackoff } from './backoff.js';
import { parseFrame } from './protocol.js';
import type { FeedMessage, Publishable, ResumeMsg } from './protocol.js';
import { DEFAULT_MAX_SEQ_JUMP, SeqTracker, type SeqRestart } from './sequence.js';

/** Alert summaries are kept to this many characters (the screen shows far less). */
export const SUMMARY_MAX = 200;

export interface FeedClientOptions {
  url: string;
  headers?: Record<string, string>;
  clock?: Clock;
  pingIntervalMs?: number; // 10_000
  pongTimeoutMs?: number; // 25_000
  backoff?: { baseMs?: number; capMs?: number; stableMs?: number };
  handshakeTimeoutMs?: number; // 5_000
  random?: () => number;
  /** ws `maxPayload`: frames above it close the socket instead of being dropped in-band. */
  maxPayloadBytes?: number; // 16 MiB
  /** A seq step larger than this (either way) is a server restart, not a gap or a replay. */
  maxSeqJump?: number; // 100_000
}

export type FeedState = 'connecting' | 'open' | 'closed';

export interface FeedClientEvents {
  message: FeedMessage;
  gap: { missed: number; from: number; to: number };
  restart: SeqRestart;
  state: FeedStats;
  [name: string]: unknown;
}

export interface FeedStats {
  state: FeedState;
  /** Highest seq accepted in the current server's sequence (0 if none). */
  lastSeq: number;
  /**
   * Frames not delivered, in total and by reason: the parser's (oversize, too_deep, not_json,
   * not_object, unknown_type, bad_seq, invalid), binary, protocol, and duplicate (a replay).
   */
  dropped: number;
  droppedByReason: Record<string, number>;
  /** Messages known to be missing from gaps in seq. */
  missed: number;
  /** Replayed messages ignored because their seq was already seen (also in droppedByReason). */
  duplicates: number;
  /** Times the server was recognised as restarted (its seq started over, or jumped too far). */
  serverRestarts: number;
  /** Reconnect attempts made after the first connect. */
  reconnects: number;
  connectedSince?: number;
  disconnectedAt?: number;
  lastError?: string;
  nextRetryAt?: number;
}

/** What `publish` accepts: any console action, `ts` optional (filled from the clock). */
export type PublishInput = Publishable extends infer P
  ? P extends unknown
    ? Omit<P, 'ts'> & { ts?: string }
    : never
  : never;

export const DEFAULT_MAX_PAYLOAD = 16 * 1024 * 1024;


export class FeedClient {
  private readonly url: string;
  private readonly headers: Record<string, string>;
  private readonly clock: Clock;
  private readonly pingIntervalMs: number;
  private readonly pongTimeoutMs: number;
  private readonly handshakeTimeoutMs: number;
  private readonly maxPayload: number;
  private readonly backoff: ReconnectBackoff;

  private ws: WebSocket | undefined;
  private started = false;
  private stopped = false;
  private everConnected = false;
  private connError: string | undefined;
  private retryTimer: TimerHandle | undefined;
  private pongTimer: TimerHandle | undefined;
  private stopPing: (() => void) | undefined;

  private readonly seq: SeqTracker;

  private st: FeedStats = {
    state: 'closed',
    lastSeq: 0,
    dropped: 0,
    droppedByReason: {},
    missed: 0,
    duplicates: 0,
    serverRestarts: 0,
    reconnects: 0,
  };

  private readonly events = new Emitter<FeedClientEvents>();

  constructor(opts: FeedClientOptions) {
    this.url = opts.url;
    this.headers = { ...(opts.headers ?? {}) };
    this.clock = opts.clock ?? systemClock;
    this.pingIntervalMs = opts.pingIntervalMs ?? 10_000;
    this.pongTimeoutMs = opts.pongTimeoutMs ?? 25_000;
    this.handshakeTimeoutMs = opts.handshakeTimeoutMs ?? 5_000;
    this.maxPayload = opts.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD;
    this.backoff = new ReconnectBackoff({ ...opts.backoff, random: opts.random, clock: this.clock });
    this.seq = new SeqTracker(opts.maxSeqJump ?? DEFAULT_MAX_SEQ_JUMP);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopped = false;
    this.connect();
  }

  /** Closes the connection and cancels every timer; no reconnect afterwards (until start()). */
  stop(): Promise<void> {
    this.stopped = true;
    this.started = false;
    this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.stopKeepalive();
    const ws = this.ws;
    this.ws = undefined;
    const wasOpen = this.st.state === 'open';
    this.st.state = 'closed';
    this.st.nextRetryAt = undefined;
    this.st.connectedSince = undefined;
    if (wasOpen) this.st.disconnectedAt = this.clock.now();
    this.emitState();
    if (!ws || ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise<void>((resolve) => {
      // Teardown guard on wall time, not product time: a FakeClock must not hang shutdown.
      const guard = setTimeout(() => ws.terminate(), 1000);
      guard.unref?.();
      ws.once('close', () => {
        clearTimeout(guard);
        resolve();
      });
      if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'client stopping');
      else if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
    });
  }

  /** Sends one console action when the connection is open (ts filled in if missing). */
  publish(msg: PublishInput): boolean {
    const ws = this.ws;
    if (this.st.state !== 'open' || !ws || ws.readyState !== WebSocket.OPEN) return false;
    const { seq: _seq, ...rest } = msg as PublishInput & { seq?: unknown };
    const out = { ...rest, ts: rest.ts ?? new Date(this.clock.now()).toISOString() };
    try {
      ws.send(JSON.stringify(out));
      return true;
    } catch (e) {
      this.st.lastError = `publish failed: ${describeError(e)}`;
      return false;
    }
  }

  /** `message` (valid, new, stripped), `gap`, `restart` (a server's seq started over), `state`. */
  on<K extends keyof FeedClientEvents>(name: K, listener: (e: FeedClientEvents[K]) => void): () => void {
    return this.events.on(name, listener);
  }

  stats(): FeedStats {
    return { ...this.st, droppedByReason: { ...this.st.droppedByReason } };
  }

  /** True once a connection has been open at least once. */
  get hasConnected(): boolean {
    return this.everConnected;
  }

  // ---- connection lifecycle ----

  private connect(): void {
    if (this.stopped) return;
    this.retryTimer = undefined;
    this.st.nextRetryAt = undefined;
    this.connError = undefined;
    this.seq.connected();
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url, {
        headers: this.headers,
        handshakeTimeout: this.handshakeTimeoutMs,
        maxPayload: this.maxPayload,
        // No compression: keeps a small frame from inflating into a large one.
        perMessageDeflate: false,
      });
    } catch (e) {
      // A malformed URL will not fix itself by retrying; config validation should catch it first.
      this.st.state = 'closed';
      this.st.lastError = `invalid feed URL: ${describeError(e)}`;
      this.emitState();
      return;
    }
    this.ws = ws;
    this.st.state = 'connecting';
    this.emitState();
    ws.on('open', () => this.handleOpen(ws));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (this.ws === ws) this.handleFrame(data, isBinary);
    });
    ws.on('pong', () => {
      if (this.ws === ws) this.armPongDeadline(ws);
    });
    ws.on('error', (err: Error & { code?: string }) => {
      if (this.ws !== ws) return;
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.countDrop('oversize');
      else if (typeof err.code === 'string' && err.code.startsWith('WS_ERR_')) this.countDrop('protocol');
      this.connError = describeError(err);
    });
    ws.on('close', (code: number, reason: Buffer) => this.handleClose(ws, code, reason));
  }

  private handleOpen(ws: WebSocket): void {
    if (this.ws !== ws) return;
    const now = this.clock.now();
    this.everConnected = true;
    this.st.state = 'open';
    this.st.connectedSince = now;
    this.st.disconnectedAt = undefined;
    this.backoff.opened();
    const resume: ResumeMsg = { type: 'resume', after: this.seq.resumeAfter };
    ws.send(JSON.stringify(resume));
    this.stopPing = every(this.clock, this.pingIntervalMs, () => {
      if (ws.readyState === WebSocket.OPEN) ws.ping();
    });
    this.armPongDeadline(ws);
    this.emitState();
  }

  private armPongDeadline(ws: WebSocket): void {
    this.clock.clearTimeout(this.pongTimer);
    this.pongTimer = this.clock.setTimeout(() => {
      if (this.ws !== ws) return;
      this.connError = `no pong for ${formatDuration(this.pongTimeoutMs)} (dead peer)`;
      ws.terminate();
    }, this.pongTimeoutMs);
  }

  private stopKeepalive(): void {
    this.stopPing?.();
    this.stopPing = undefined;
    this.clock.clearTimeout(this.pongTimer);
    this.pongTimer = undefined;
  }

  private handleClose(ws: WebSocket, code: number, reason: Buffer): void {
    if (this.ws !== ws) return; // superseded or stopped
    this.ws = undefined;
    this.stopKeepalive();
    const now = this.clock.now();
    if (this.st.state === 'open') this.st.disconnectedAt = now;
    this.st.state = 'closed';
    this.st.connectedSince = undefined;
    this.st.lastError = this.connError ?? describeClose(code, reason);
    if (this.stopped) {
      this.emitState();
      return;
    }
    const delay = this.backoff.nextDelay();
    this.st.nextRetryAt = now + delay;
    this.retryTimer = this.clock.setTimeout(() => {
      this.st.reconnects++;
      this.connect();
    }, delay);
    this.emitState();
  }

  // ---- frames ----

  private handleFrame(data: RawData, isBinary: boolean): void {
    const buf = toBuffer(data);
    const parsed = parseFrame(buf);
    if (!parsed.ok && parsed.reason === 'oversize') return this.countDrop('oversize');
    // The protocol is text frames; a binary frame is someone else's protocol.
    if (isBinary) return this.countDrop('binary');
    if (!parsed.ok) return this.countDrop(parsed.reason);
    const msg = parsed.msg;
    const v = this.seq.decide(msg.seq, msg.ts);
    if (!v.accept) {
      this.st.duplicates++;
      return this.countDrop(v.reason);
    }
    this.st.lastSeq = this.seq.resumeAfter;
    if (v.restart) {
      this.st.serverRestarts++;
      this.events.emit('restart', v.restart);
    }
    if (v.gap) this.gap(v.gap.from, v.gap.to);
    else if (v.restart) this.emitState();
    const clean = sanitizeMessage(msg);
    this.events.emit('message', clean);
  }

  private gap(from: number, to: number): void {
    const missed = to - from + 1;
    this.st.missed += missed;
    this.events.emit('gap', { missed, from, to });
    this.emitState();
  }

  private countDrop(reason: string): void {
    this.st.dropped++;
    this.st.droppedByReason[reason] = (this.st.droppedByReason[reason] ?? 0) + 1;
    this.emitState();
  }

  private emitState(): void {
    if (!this.events.has('state')) return;
    this.events.emit('state', this.stats());
  }
}

/**
 * Strips control sequences and invisible marks from every top-level string field (detail,
 * summary, text, actor, reason, key, id, value…), and cuts an alert's summary to one line of
 * SUMMARY_MAX: this is the one place it is trimmed, so a flood of 6 KB summaries costs its
 * scan once, here, and never again per read or per frame drawn.
 */
export function sanitizeMessage(msg: FeedMessage): FeedMessage {
  const out: Record<string, unknown> = {};
  const alertSummary = msg.type === 'alert';
  for (const [k, v] of Object.entries(msg)) {
    if (typeof v !== 'string') out[k] = v;
    // Cut before stripping, so the regexes never walk the whole 6 KB; a sequence cut in half
    // loses its ESC to stripControl and is left as harmless printable text.
    else if (alertSummary && k === 'summary') out[k] = oneLine(v.slice(0, SUMMARY_MAX * 4), SUMMARY_MAX);
    else out[k] = stripControl(v);
  }
  return out as unknown as FeedMessage;
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

function describeError(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return oneLine(msg, 200) || 'unknown error';
}

function describeClose(code: number, reason: Buffer): string {
  const why = oneLine(reason.toString('utf8'), 120);
  if (code === 1006) return 'connection lost';
  if (code === 1009) return 'frame too large (closed 1009)';
  return `closed by server (${code}${why ? `: ${why}` : ''})`;
}

