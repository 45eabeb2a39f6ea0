/**
 * One console's part in the room on NATS (SPEC §10.1): the connection (online/offline), the
 * ledger backlog to the stream, console-to-console frames on the room subject, presence, the
 * speaker key and kill claims. Nothing here is awaited by an act: the ledger is written first,
 * and a kill claim has its own budget, after which the kill goes anyway.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { every, type Clock } from '../core/clock.js';
import { Emitter } from '../core/emitter.js';
import type { NatsConfig } from '../config/sections/roomNats.js';
import type { Publishable } from '../feed/protocol.js';
import { MAX_FRAME_BYTES } from '../feed/protocol.js';
import { redact } from '../util/redact.js';
import { Backlog, type LineSource } from './backlog.js';
import { ensureRoom, LIVE_TTL_MS, openConnection, type RoomHandles } from './connect.js';
import { parseRoomFrame, Seen, stampFrame, type Origin, type RoomDropReason, type RoomFrame } from './frames.js';
import { KillClaims, type ArmedKill, type KillClaim, type PrevKey } from './killClaims.js';
import { presenceKey, roomNames, SPEAKER_KEY, type RoomNames } from './names.js';
import { peopleOf, type Person } from './people.js';

/** Presence and speaker renewals; entries expire after 15 s, so a console gone is gone within 20 s. */
export const RENEW_MS = 5_000;
/** Connected but the room's stream or buckets could not be opened: the next try. */
const UP_RETRY_MS = 2_000;
/** How long a kill waits for the room's claim before it is sent anyway. */
export const KILL_CLAIM_BUDGET_MS = 250;

export interface RoomOptions {
  nats: NatsConfig;
  deployment: string;
  actor: string;
  role?: string;
  readOnly: boolean;
  clock: Clock;
  secrets: readonly string[];
}

export interface RoomView {
  state: 'connecting' | 'online' | 'offline';
  backlog: number;
  people: Person[];
  speaker?: string;
  dropped: number;
  droppedByReason: Record<string, number>;
  lastError?: string;
}


interface RoomEvents {
  view: RoomView;
  frame: RoomFrame;
  drop: { reason: RoomDropReason; origin?: string };
  [k: string]: unknown;
}

export class Room {
  readonly names: RoomNames;
  readonly origin: Origin;
  private nc: NatsConnection | undefined;
  private h: RoomHandles | undefined;
  private backlog: Backlog | undefined;
  private readonly events = new Emitter<RoomEvents>();
  private view: RoomView = { state: 'connecting', backlog: 0, people: [], dropped: 0, droppedByReason: {} };
  private seq = 0;
  private readonly seen = new Seen();
  private speaking = false;
  private speakerRev = 0;
  private readonly since: string;
  private stopped = false;
  private readonly stops: (() => void)[] = [];

  constructor(private readonly opts: RoomOptions) {
    this.names = roomNames(opts.nats);
    this.origin = { actor: opts.actor, host: hostname(), run: randomBytes(8).toString('hex') };
    this.since = new Date(opts.clock.now()).toISOString();
    this.kills = new KillClaims(() => (this.h && this.view.state === 'online' ? this.h.kills : `room ${this.view.state}`), this.origin, opts.clock, (s) => this.clean(s));
  }

  /** Starts connecting in the background; the console does not wait for it. */
  start(): void {
    void this.connectLoop();
    this.stops.push(every(this.opts.clock, RENEW_MS, () => void this.renew()));
  }

  on<K extends keyof RoomEvents>(name: K, fn: (e: RoomEvents[K]) => void): () => void {
    return this.events.on(name, fn);
  }

  current(): RoomView {
    return this.view;
  }

  /** This console holds the `speaker` key: room-wide notifications are its to send. */
  isSpeaker(): boolean {
    return this.speaking;
  }

  /** Every line of this ledger goes to the stream once on disk; a backlog from an earlier run first. */
  async attachLedger(ledger: LineSource): Promise<void> {
    const b = await Backlog.open(ledger, this.names.stream, this.names.ledgerSubject(this.opts.actor));
    this.backlog = b;
    b.on('backlog', (n) => this.set({ backlog: n }));
    b.on('error', (e) => this.set({ lastError: this.clean(e) }));
    this.set({ backlog: b.count() });
    if (this.h && this.view.state === 'online') void b.online(this.sink(this.h));
  }

  /** A frame for the other consoles; while offline the client buffers it until it reconnects. */
  publish(msg: Publishable): void {
    if (!this.nc || this.nc.isClosed()) return;
    const data = stampFrame(msg, ++this.seq, this.opts.deployment, this.origin, new Date(this.opts.clock.now()).toISOString());
    try {
      this.nc.publish(this.names.roomSubject, data);
    } catch (e) {
      this.set({ lastError: this.clean((e as Error).message) });
    }
  }

  /** Claims the room's kill as sent (SPEC §10.1); within `budgetMs`, else `unreachable` and the caller sends anyway. */
  claimKill(idempotencyKey: string, budgetMs = KILL_CLAIM_BUDGET_MS, prev?: PrevKey): Promise<KillClaim> {
    return this.kills.claim(idempotencyKey, budgetMs, prev);
  }

  /** Claims the room's kill when its confirm screen opens; `fire` at y answers without a round trip. */
  armKill(idempotencyKey: string, prev?: PrevKey): ArmedKill {
    return this.kills.arm(idempotencyKey, prev);
  }

  private readonly kills: KillClaims;

  /** Publishes what waits (up to `waitMs`), gives up the speaker key, and closes. */
  async stop(waitMs = 1500): Promise<void> {
    this.stopped = true;
    for (const s of this.stops) s();
    await this.backlog?.drain(waitMs).catch(() => {});
    this.backlog?.stop();
    if (this.speaking && this.h) await this.h.live.delete(SPEAKER_KEY).catch(() => {});
    this.speaking = false;
    await this.nc?.close().catch(() => {});
    this.set({ state: 'offline' });
  }

  private clean(s: string): string {
    return redact(s, this.opts.secrets, 1);
  }

  private set(p: Partial<RoomView>): void {
    this.view = { ...this.view, ...p };
    this.events.emit('view', this.view);
  }

  private sink(h: RoomHandles) {
    return {
      publish: async (subject: string, data: string, msgId: string) => {
        await h.js.publish(subject, data, { msgID: msgId, timeout: 5000 });
      },
      lastId: async (subject: string) => {
        const m = await h.jsm.streams.getMessage(this.names.stream, { last_by_subj: subject }).catch((e: Error) => {
          if (/no message found|not found/i.test(e.message)) return null;
          throw e;
        });
        return m?.header?.get('Nats-Msg-Id') || undefined;
      },
    };
  }

  private async connectLoop(): Promise<void> {
    try {
      this.nc = await openConnection(this.opts.nats, `warroom ${this.opts.actor}`);
    } catch (e) {
      this.set({ state: 'offline', lastError: this.clean((e as Error).message) });
      return;
    }
    if (this.stopped) return void this.nc.close();
    this.subscribe(this.nc);
    void this.watchStatus(this.nc);
    await this.up();
  }

  /** Connected (first time or again): the room's stream and buckets, then the backlog. */
  private async up(): Promise<void> {
    if (!this.nc) return;
    try {
      if (!this.h) {
        this.h = await ensureRoom(this.nc, this.opts.nats, this.names);
        const h = this.h;
        void this.watchLive(h).catch((e: Error) => this.set({ lastError: this.clean(e.message) }));
      }
      this.set({ state: 'online' });
      const { lastError: _gone, ...rest } = this.view;
      this.view = rest;
      if (this.backlog) void this.backlog.online(this.sink(this.h));
      void this.renew();
    } catch (e) {
      // Connected but JetStream not ready (a cluster electing its leader, a stream refused): try again.
      this.set({ state: 'offline', lastError: this.clean((e as Error).message) });
      if (!this.stopped && !this.nc.isClosed()) this.opts.clock.setTimeout(() => void this.up(), UP_RETRY_MS);
    }
  }

  private async watchStatus(nc: NatsConnection): Promise<void> {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') {
        this.backlog?.offline();
        this.speaking = false;
        this.set({ state: 'offline' });
      } else if (s.type === 'reconnect') await this.up();
    }
  }

  private subscribe(nc: NatsConnection): void {
    const maxPayload = Math.min(MAX_FRAME_BYTES, nc.info?.max_payload ?? MAX_FRAME_BYTES);
    nc.subscribe(this.names.roomSubject, {
      callback: (err, m) => {
        if (err) return;
        const p = parseRoomFrame(m.data, { deployment: this.opts.deployment, maxPayload, seen: this.seen });
        if (p.ok) return this.events.emit('frame', p.msg);
        const by = { ...this.view.droppedByReason, [p.reason]: (this.view.droppedByReason[p.reason] ?? 0) + 1 };
        this.set({ dropped: this.view.dropped + 1, droppedByReason: by });
        this.events.emit('drop', { reason: p.reason, ...(p.origin ? { origin: p.origin } : {}) });
      },
    });
  }

  /** Presence, the speaker key, and the room's people; every RENEW_MS. */
  private async renew(): Promise<void> {
    const h = this.h;
    if (!h || this.view.state !== 'online' || this.stopped) return;
    try {
      const me: Person = { actor: this.opts.actor, ...(this.opts.role ? { role: this.opts.role } : {}), readOnly: this.opts.readOnly, host: this.origin.host, since: this.since };
      await h.live.put(presenceKey(this.opts.actor), JSON.stringify(me));
      await this.holdSpeaker(h);
      this.publishPeople();
    } catch (e) {
      this.set({ lastError: this.clean((e as Error).message) });
    }
  }

  /**
   * One watcher on the live bucket keeps the room's people and speaker (no polling). Expiry
   * leaves no marker on NATS 2.9, so an entry not renewed within the TTL is dropped here too.
   */
  private async watchLive(h: RoomHandles): Promise<void> {
    const it = await h.live.watch({ key: '>' });
    for await (const e of it) {
      if (this.stopped) break;
      const gone = e.operation !== 'PUT';
      let v: unknown;
      try {
        v = gone ? undefined : e.json<unknown>();
      } catch {
        continue;
      }
      if (e.key === SPEAKER_KEY) this.live.set(SPEAKER_KEY, gone ? undefined : { v, at: this.opts.clock.now() });
      else if (e.key.startsWith('presence.')) this.live.set(e.key, gone ? undefined : { v, at: this.opts.clock.now() });
      this.publishPeople();
    }
  }

  private readonly live = new Map<string, { v: unknown; at: number } | undefined>();

  private publishPeople(): void {
    const fresh = (k: string) => {
      const x = this.live.get(k);
      return x && this.opts.clock.now() - x.at <= LIVE_TTL_MS ? x.v : undefined;
    };
    const people = peopleOf([...this.live.keys()].filter((k) => k !== SPEAKER_KEY).map(fresh));
    const sp = fresh(SPEAKER_KEY) as { actor?: unknown } | undefined;
    const speaker = typeof sp?.actor === 'string' ? sp.actor : undefined;
    const { speaker: _old, ...rest } = this.view;
    this.view = rest;
    this.set({ people, ...(speaker ? { speaker } : {}) });
  }

  /** Renew the key we hold, or take it when nobody does (it expired or was given up). */
  private async holdSpeaker(h: RoomHandles): Promise<void> {
    const value = JSON.stringify({ actor: this.opts.actor, run: this.origin.run });
    if (this.opts.readOnly) return;
    if (this.speaking) {
      try {
        this.speakerRev = await h.live.update(SPEAKER_KEY, value, this.speakerRev);
        return;
      } catch {
        this.speaking = false;
      }
    }
    try {
      this.speakerRev = await h.live.create(SPEAKER_KEY, value);
      this.speaking = true;
    } catch {
      // Still ours from before a reconnect: take it back rather than leave the room without a speaker until it expires.
      const e = await h.live.get(SPEAKER_KEY).catch(() => null);
      let run: unknown;
      try {
        run = e?.operation === 'PUT' ? e.json<{ run?: unknown }>().run : undefined;
      } catch {
        run = undefined;
      }
      this.speaking = run === this.origin.run;
      if (this.speaking) this.speakerRev = e!.revision;
    }
  }
}
