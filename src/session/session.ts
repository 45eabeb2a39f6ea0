/**
 * A running console's non-React half: adapters, poller, live engine and store, wired once.
 * Views only see the store; keys call the methods here.
 */
import type { Clock } from '../core/clock.js';
import type { Config } from '../config/types.js';
import type { Signoff, Waiver } from '../core/types.js';
import type { FeedStats } from '../feed/client.js';
import type { FeedMessage, Publishable } from '../feed/protocol.js';
import { DEFAULT_MAX_SEQ_JUMP } from '../feed/sequence.js';
import { Emitter } from '../core/emitter.js';
import { probesBySource } from '../engine/probes.js';
import type { Probe, SourceResult } from '../sources/types.js';
import { PacedLoop } from '../runtime/pacedLoop.js';
import { Poller, type PolledSource, type PollOutcome } from '../runtime/poller.js';
import { createSource } from '../sources/index.js';
import type { SourceAdapter } from '../sources/types.js';
import type { WebsocketSourceAdapter } from '../sources/websocket.js';
import { createWarroomStore, upsertAction, type ActionView, type FeedView, type WarroomState, type WarroomStore } from '../store/store.js';
import { feedEventLine } from './feedEvents.js';

export interface SessionOptions {
  config: Config;
  actor: string;
  clock: Clock;
  readOnly?: boolean;
  mode?: WarroomState['mode'];
  /** Paces renders (wall time); defaults to `clock`. */
  cadence?: Clock;
  /** Tap for `--record`: every input the console sees. */
  recorder?: (kind: string, data: unknown) => void;
}

export interface SessionEvents {
  feed: { msg: FeedMessage; sourceId: string };
  /** An action's row after each write (the runner's steps, a followed kill's). */
  action: ActionView;
  [name: string]: unknown;
}

export class Session {
  readonly store: WarroomStore;
  readonly live: PacedLoop;
  readonly adapters = new Map<string, SourceAdapter>();
  private readonly poller: Poller;
  private unsubscribers: (() => void)[] = [];
  private readonly events = new Emitter<SessionEvents>();
  private readonly probes: Record<string, Probe[]>;
  /** Push sources with news since their last ingest; drained once per turn of the event loop. */
  private readonly pushed = new Set<string>();
  private pushTimer: ReturnType<typeof setImmediate> | undefined;

  constructor(readonly opts: SessionOptions) {
    const { config, clock } = opts;
    this.store = createWarroomStore({ config, actor: opts.actor, now: clock.now(), readOnly: opts.readOnly ?? false, mode: opts.mode ?? 'live' });
    this.live = new PacedLoop(this.store, clock, 250, opts.cadence ?? clock);
    const probes = (this.probes = probesBySource(config));
    const polled: PolledSource[] = [];
    for (const src of Object.values(config.sources)) {
      const adapter = createSource(src, clock);
      this.adapters.set(src.id, adapter);
      // A push source is ingested on every message (see push); the poll is only its heartbeat,
      // which keeps a quiet but connected feed from ageing past stale_after.
      const interval = src.type === 'websocket' ? Math.max(1000, Math.min(src.interval, src.staleAfter / 2)) : src.interval;
      polled.push({ id: src.id, adapter, probes: probes[src.id] ?? [], interval, timeout: src.timeout });
      if (src.type === 'websocket') this.wireFeed(src.id, adapter as WebsocketSourceAdapter);
    }
    this.poller = new Poller(clock, polled, (o) => this.onPoll(o));
  }

  private onPoll(o: PollOutcome): void {
    this.opts.recorder?.('sample', o);
    this.live.ingest(o);
  }

  /**
   * The feed pushes: what it changed goes straight to the live engine (one path for every
   * source), batched per turn of the event loop so a burst of frames is one ingest.
   */
  private push(sourceId: string): void {
    this.pushed.add(sourceId);
    this.pushTimer ??= setImmediate(() => {
      this.pushTimer = undefined;
      const now = this.opts.clock.now();
      for (const id of this.pushed) {
        const a = this.adapters.get(id) as WebsocketSourceAdapter | undefined;
        if (a) this.onPoll({ sourceId: id, result: a.snapshot(this.probes[id] ?? []), startedAt: now, finishedAt: now });
      }
      this.pushed.clear();
    });
  }

  private wireFeed(sourceId: string, ws: WebsocketSourceAdapter): void {
    const lastStatus = new Map<string, string>();
    let lastState: FeedView['state'] | undefined;
    const src = this.opts.config.sources[sourceId];
    const maxJump = (src?.type === 'websocket' ? src.maxSeqJump : undefined) ?? DEFAULT_MAX_SEQ_JUMP;
    // Health and counts go to the store with the live engine's next write (O(1) to build):
    // they change per frame during a flood, and each store write is a full render.
    const publishView = (st: FeedStats) => {
      const c = ws.alertCounts();
      this.live.setFeed({
        sourceId,
        state: st.state,
        dropped: st.dropped,
        droppedByReason: st.droppedByReason,
        missed: st.missed,
        reconnects: st.reconnects,
        restarts: st.serverRestarts,
        firing: c.firing,
        firingPage: c.page,
        firingMore: c.more,
        ...(st.lastError ? { lastError: st.lastError } : {}),
      });
    };
    this.unsubscribers.push(
      ws.on('message', (m) => {
        this.opts.recorder?.('feed', { sourceId, msg: m });
        const line = feedEventLine(m, lastStatus);
        if (line) this.live.event(line);
        // An ack is a claim until ledgerLink has verified its signature: it never counts here.
        if (m.type === 'alert') publishView(ws.client.stats());
        this.events.emit('feed', { msg: m, sourceId });
        if (m.type === 'status' || m.type === 'alert') this.push(sourceId);
      }),
      ws.client.on('gap', ({ missed, from, to }) =>
        this.live.event({ kind: 'feed', level: 'warn', text: `feed ${sourceId}: gap in seq ${from}→${to}, ${missed} message(s) missed` }),
      ),
      ws.client.on('restart', (r) =>
        this.live.event({
          kind: 'feed',
          level: 'warn',
          text:
            r.cause === 'jump'
              ? `feed ${sourceId}: seq jumped ${r.from} → ${r.to} (more than max_seq_jump ${maxJump}): treated as a server restart`
              : `feed ${sourceId}: server restarted (seq ${r.from} → ${r.to} after reconnect)`,
        }),
      ),
      ws.client.on('state', (st) => {
        publishView(st);
        // Connected or lost: the feed's gates follow at once (UNKNOWN after stale_after once lost).
        if (st.state !== lastState) this.push(sourceId);
        const prev = lastState;
        lastState = st.state;
        if (prev && prev !== st.state && (st.state === 'open' || prev === 'open')) {
          this.live.event({
            kind: 'feed',
            level: st.state === 'open' ? 'ok' : 'warn',
            text: st.state === 'open' ? `feed ${sourceId} connected` : `feed ${sourceId} disconnected${st.lastError ? `: ${st.lastError}` : ''}`,
          });
        }
      }),
    );
  }

  /** The sign-offs that count and the waivers, as judged from the ledger (ledgerLink). */
  setLedgerAuthority(signoffs: Signoff[], waivers: Waiver[]): void {
    this.live.setAuthority(signoffs, waivers);
  }

  /** Writes an action's row to the store and tells `action` listeners (telemetry follows the steps there). */
  upsertAction(id: string, patch: (a: ActionView | undefined) => ActionView): void {
    upsertAction(this.store, id, patch);
    const row = this.store.getState().actions.find((a) => a.id === id);
    if (row) this.events.emit('action', row);
  }

  /** `feed`: every valid feed message, after the session has taken it in; `action`: an action's row changed. */
  on<K extends keyof SessionEvents>(name: K, listener: (e: SessionEvents[K]) => void): () => void {
    return this.events.on(name, listener);
  }

  /** With the room on NATS, console-to-console traffic goes there instead of the feeds (SPEC §10.1). */
  private roomSink: ((msg: Publishable) => void) | undefined;
  private readonly roomStatus = new Map<string, string>();

  useRoom(publish: (msg: Publishable) => void): void {
    this.roomSink = publish;
  }

  /** Console-to-console traffic goes over the room on NATS. */
  inRoom(): boolean {
    return this.roomSink !== undefined;
  }

  /** A frame from another console over the room: the same path (and judges) as a feed frame. */
  receive(sourceId: string, msg: FeedMessage): void {
    this.opts.recorder?.('feed', { sourceId, msg });
    const line = feedEventLine(msg, this.roomStatus);
    if (line) this.live.event(line);
    this.events.emit('feed', { msg, sourceId });
  }

  /** Publishes our own action to every connected feed (SPEC §3), or to the room. */
  publish(msg: Publishable): void {
    if (this.roomSink) return this.roomSink(msg);
    for (const a of this.adapters.values()) {
      if (a.type === 'websocket') (a as WebsocketSourceAdapter).client.publish(msg as never);
    }
  }

  start(): void {
    for (const a of this.adapters.values()) if (a.type === 'websocket') (a as WebsocketSourceAdapter).start();
    this.live.start();
    this.poller.start();
  }

  /** An action's verify read, through the poller like every other read. */
  readVerify(sourceId: string, probe: Probe): Promise<SourceResult | undefined> {
    return this.poller.readProbes(sourceId, [probe]);
  }

  refresh(): void {
    this.live.event({ kind: 'system', level: 'info', text: `refresh requested by ${this.opts.actor}` });
    this.poller.refresh();
  }

  async stop(): Promise<void> {
    for (const u of this.unsubscribers) u();
    if (this.pushTimer) clearImmediate(this.pushTimer);
    this.live.stop();
    await this.poller.stop();
  }
}
