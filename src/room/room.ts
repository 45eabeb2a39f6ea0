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
import { oneLine } from '../util/sanitize.js';
import { Backlog, type LineSource } from './backlog.js';
import { ensureRoom, LIVE_TTL_MS, openConnection, type RoomHandles } from './connect.js';
import { parseRoomFrame, Seen, stampFrame, type Origin, type RoomDropReason, type RoomFrame } from './frames.js';
import { killKey, presenceKey, roomNames, SPEAKER_KEY, type RoomNames } from './names.js';
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

/** `self`: the key is held by this very console run (its own earlier kill: a retry sends again). */
export type KillClaim = { outcome: 'won' } | { outcome: 'lost'; by: string; self: boolean; key: string } | { outcome: 'unreachable'; why: string };

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

  /**
   * Claims `kill.<key>` with a create that fails when the key exists. Resolves within
   * `budgetMs` whatever the room does: `unreachable` then, and the caller sends anyway.
   * `prev` (a manual kill's key of the time bucket before) is read alongside: held by another
   * console within `prevWithinMs`, that kill is the room's one, so this claim counts as lost
   * (two presses either side of a bucket's edge still send one kill). With `prev`, a claim of the
   * key itself older than `withinMs` is not the same moment's: it is taken over by a
   * compare-and-set on its revision, so of two consoles doing so one wins.
   */
  claimKill(idempotencyKey: string, budgetMs = KILL_CLAIM_BUDGET_MS, prev?: { key: string; withinMs: number }): Promise<KillClaim> {
    const h = this.h;
    if (!h || this.view.state !== 'online') return Promise.resolve({ outcome: 'unreachable', why: `room ${this.view.state}` });
    const key = killKey(idempotencyKey);
    const now = this.opts.clock.now();
    const value = JSON.stringify({ actor: this.opts.actor, host: this.origin.host, run: this.origin.run, at: new Date(now).toISOString() });
    const holder = (got: { json<T>(): T }): { by: string; self: boolean; at?: number } => {
      try {
        const v = got.json<{ actor?: unknown; run?: unknown; at?: unknown }>();
        const at = typeof v.at === 'string' ? Date.parse(v.at) : NaN;
        return { by: typeof v.actor === 'string' ? oneLine(v.actor, 64) : 'another console', self: v.run === this.origin.run, ...(Number.isFinite(at) ? { at } : {}) };
      } catch {
        // Unreadable value: someone holds the key all the same.
        return { by: 'another console', self: false };
      }
    };
    const before = prev ? h.kills.get(killKey(prev.key)).catch(() => null) : Promise.resolve(null);
    const claim = h.kills.create(key, value).then(
      async (): Promise<KillClaim> => {
        const p = await before;
        if (!p || p.operation !== 'PUT' || !prev) return { outcome: 'won' };
        const o = holder(p);
        if (o.self || o.at === undefined || now - o.at > prev.withinMs) return { outcome: 'won' };
        return { outcome: 'lost', by: o.by, self: false, key: prev.key };
      },
      async (e: Error): Promise<KillClaim> => {
        const got = await h.kills.get(key).catch(() => null);
        if (!got) return { outcome: 'unreachable', why: this.clean(e.message) };
        const o = holder(got);
        if (prev && !o.self && (o.at === undefined || now - o.at > prev.withinMs)) {
          const took = await h.kills.update(key, value, got.revision).then(() => true, () => false);
          if (took) return { outcome: 'won' };
          const again = await h.kills.get(key).catch(() => null);
          if (again) return { outcome: 'lost', ...holder(again), key: idempotencyKey } as KillClaim;
        }
        return { outcome: 'lost', by: o.by, self: o.self, key: idempotencyKey };
      },
    );
    return new Promise((resolve) => {
      const t = this.opts.clock.setTimeout(() => resolve({ outcome: 'unreachable', why: `no answer within ${budgetMs} ms` }), budgetMs);
      void claim.then((c) => {
        this.opts.clock.clearTimeout(t);
        resolve(c);
      });
    });
  }

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
