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
import { probesBySource } from '../engine/probes.js';
import { LiveEngine } from '../runtime/live.js';
import { Poller, type PolledSource, type PollOutcome } from '../runtime/poller.js';
import { createSource } from '../sources/index.js';
import type { SourceAdapter } from '../sources/types.js';
import type { WebsocketSourceAdapter } from '../sources/websocket.js';
import { createWarroomStore, type FeedView, type WarroomState, type WarroomStore } from '../store/store.js';
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

export class Session {
  readonly store: WarroomStore;
  readonly live: LiveEngine;
  readonly adapters = new Map<string, SourceAdapter>();
  private readonly poller: Poller;
  private ledgerSignoffs: Signoff[] = [];
  private waivers: Waiver[] = [];
  private unsubscribers: (() => void)[] = [];
  private feedListeners = new Set<(m: FeedMessage, sourceId: string) => void>();

  constructor(readonly opts: SessionOptions) {
    const { config, clock } = opts;
    this.store = createWarroomStore({ config, actor: opts.actor, now: clock.now(), readOnly: opts.readOnly ?? false, mode: opts.mode ?? 'live' });
    this.live = new LiveEngine(this.store, clock, 250, opts.cadence ?? clock);
    const probes = probesBySource(config);
    const polled: PolledSource[] = [];
    for (const src of Object.values(config.sources)) {
      const adapter = createSource(src, clock);
      this.adapters.set(src.id, adapter);
      // Push sources answer reads from memory: read them often so the screen follows the feed.
      const interval = src.type === 'websocket' ? 1000 : src.interval;
      polled.push({ id: src.id, adapter, probes: probes[src.id] ?? [], interval, timeout: src.timeout });
      if (src.type === 'websocket') this.wireFeed(src.id, adapter as WebsocketSourceAdapter);
    }
    this.poller = new Poller(clock, polled, (o) => this.onPoll(o));
  }

  private onPoll(o: PollOutcome): void {
    this.opts.recorder?.('sample', o);
    this.live.ingest(o);
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
      ws.onEvent((m) => {
        this.opts.recorder?.('feed', { sourceId, msg: m });
        const line = feedEventLine(m, lastStatus);
        if (line) this.live.event(line);
        // An ack is a claim until ledgerLink has verified its signature: it never counts here.
        if (m.type === 'alert') publishView(ws.client.stats());
        for (const l of this.feedListeners) l(m, sourceId);
        // A feed message may change a gate (status, alert): re-read the adapter soon.
        this.poller.refresh(sourceId);
      }),
      ws.client.onGap((missed, from, to) =>
        this.live.event({ kind: 'feed', level: 'warn', text: `feed ${sourceId}: gap in seq ${from}→${to}, ${missed} message(s) missed` }),
      ),
      ws.client.onRestart((r) =>
        this.live.event({
          kind: 'feed',
          level: 'warn',
          text:
            r.cause === 'jump'
              ? `feed ${sourceId}: seq jumped ${r.from} → ${r.to} (more than max_seq_jump ${maxJump}): treated as a server restart`
              : `feed ${sourceId}: server restarted (seq ${r.from} → ${r.to} after reconnect)`,
        }),
      ),
      ws.client.onState((st) => {
        publishView(st);
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
    this.ledgerSignoffs = signoffs;
    this.waivers = waivers;
    this.live.setAuthority(this.ledgerSignoffs, this.waivers);
  }

  onFeed(cb: (m: FeedMessage, sourceId: string) => void): () => void {
    this.feedListeners.add(cb);
    return () => this.feedListeners.delete(cb);
  }

  /** Publishes our own action to every connected feed (SPEC §3). */
  publish(msg: Publishable): void {
    for (const a of this.adapters.values()) {
      if (a.type === 'websocket') (a as WebsocketSourceAdapter).client.publish(msg as never);
    }
  }

  start(): void {
    for (const a of this.adapters.values()) if (a.type === 'websocket') (a as WebsocketSourceAdapter).start();
    this.live.start();
    this.poller.start();
  }

  refresh(): void {
    this.live.event({ kind: 'system', level: 'info', text: `refresh requested by ${this.opts.actor}` });
    this.poller.refresh();
  }

  async stop(): Promise<void> {
    for (const u of this.unsubscribers) u();
    this.live.stop();
    await this.poller.stop();
  }
}
