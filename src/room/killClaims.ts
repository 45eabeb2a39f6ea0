/**
 * One kill per room (SPEC §10.1): claims of `kill.<idempotency-key>` in the room's KV bucket.
 *
 * A kill pressed by hand is claimed when its confirm screen opens (`arm`), not when `y` is
 * pressed: the create and the read of the bucket before happen while the human reads the
 * confirm. An armed claim is not a kill: at `y` it is turned `sent` by compare-and-set on its
 * revision before the request goes out (one round trip, within the claim's budget), on cancel
 * it is deleted, and a console whose `y` finds another's claim only armed (a human still at a
 * confirm, or gone) takes the key over by compare-and-set on the same revision and sends: one
 * human sitting on a confirm never holds the room's kill back, and of the two compare-and-sets
 * one wins, so two `y`s at the same moment send one kill whatever the machines' load. (Sending
 * at `y` first and writing `sent` after let a take-over land in between: two kills, seen in CI.)
 * The armed console watches its key, so a take-over is known before its own `y`.
 */
import type { KV, KvEntry } from '@nats-io/kv';
import type { Clock } from '../core/clock.js';
import { oneLine } from '../util/sanitize.js';
import type { Origin } from './frames.js';
import { killKey } from './names.js';

/** `self`: the key is held by this very console run (its own earlier kill: a retry sends again). */
export type KillClaim = { outcome: 'won' } | { outcome: 'lost'; by: string; self: boolean; key: string } | { outcome: 'unreachable'; why: string };

/** A manual kill's bucket before, read alongside: held by another within `withinMs`, that kill is the room's. */
export interface PrevKey {
  key: string;
  withinMs: number;
}

type State = 'armed' | 'sent';
/** How long a claim only armed may still turn sent (its human pressing y as this one did). */
export const ARMED_GRACE_MS = 150;
interface Holder {
  by: string;
  self: boolean;
  state: State;
  at?: number;
  revision: number;
}

/** A claim made at the confirm screen; `fire` at `y`, `disarm` when the confirm is cancelled. */
export interface ArmedKill {
  readonly key: string;
  fire(budgetMs: number): Promise<KillClaim>;
  disarm(): void;
}

export class KillClaims {
  constructor(
    /** The kill bucket while the room is online, else why not. */
    private readonly bucket: () => KV | string,
    private readonly origin: Origin,
    private readonly clock: Clock,
    private readonly clean: (s: string) => string,
  ) {}

  /**
   * Claims `kill.<key>` as sent (an auto-rollback's claim, or a kill pressed with no armed claim).
   * Resolves within `budgetMs` whatever the room does: `unreachable` then, and the caller sends anyway.
   */
  claim(idempotencyKey: string, budgetMs: number, prev?: PrevKey): Promise<KillClaim> {
    const kv = this.bucket();
    if (typeof kv === 'string') return Promise.resolve({ outcome: 'unreachable', why: kv });
    return this.within(budgetMs, this.create(kv, idempotencyKey, 'sent', prev).then((c) => this.settle(kv, c)));
  }

  /** Claims `kill.<key>` as armed now; the answer waits, for `fire`, in the background. */
  arm(idempotencyKey: string, prev?: PrevKey): ArmedKill {
    const kv = this.bucket();
    // The room not there when the confirm opened: at y, the claim as it was made before (it may be back).
    if (typeof kv === 'string') return { key: idempotencyKey, fire: (budgetMs) => this.claim(idempotencyKey, budgetMs, prev), disarm: () => {} };
    const k = killKey(idempotencyKey);
    let latest: Holder | undefined;
    let done = false;
    const watch = kv.watch({ key: k }).then(
      (it) => {
        void (async () => {
          for await (const e of it) if (e.operation === 'PUT') latest = this.holder(e);
        })().catch(() => {});
        if (done) it.stop();
        return it;
      },
      () => undefined,
    );
    const stop = () => {
      done = true;
      void watch.then((it) => it?.stop());
    };
    const answer = this.create(kv, idempotencyKey, 'armed', prev);
    void answer.catch(() => {});
    return {
      key: idempotencyKey,
      fire: (budgetMs) => {
        stop();
        return this.within(
          budgetMs,
          answer.then(async (c) => {
            if (c.kind === 'won') {
              // Taken over while the confirm was open: that console's kill is the room's.
              if (latest && !latest.self) return { outcome: 'lost', by: latest.by, self: false, key: idempotencyKey } as KillClaim;
              return this.turnSent(kv, idempotencyKey, latest?.revision ?? c.revision, prev);
            }
            return this.settle(kv, c);
          }),
        );
      },
      disarm: () => {
        stop();
        void answer.then((c) => {
          if (c.kind !== 'won') return;
          // Ours still (not taken over): give the key back, so a console pressing K next is not held back.
          const rev = !latest ? c.revision : latest.self ? latest.revision : undefined;
          if (rev !== undefined) return kv.delete(k, { previousSeq: rev });
        }).catch(() => {});
      },
    };
  }

  /**
   * An armed claim of ours turned `sent` by compare-and-set on its revision: done, the kill is
   * ours to send. Refused, someone wrote the key since (a take-over): theirs is the room's kill,
   * or, given back meanwhile, the key is claimed again.
   */
  private async turnSent(kv: KV, idempotencyKey: string, revision: number, prev?: PrevKey): Promise<KillClaim> {
    const k = killKey(idempotencyKey);
    for (let tries = 0; tries < 3; tries++) {
      if (await kv.update(k, this.value('sent'), revision).then(() => true, () => false)) return { outcome: 'won' };
      const now = await kv.get(k);
      if (!now || now.operation !== 'PUT') return this.settle(kv, await this.create(kv, idempotencyKey, 'sent', prev));
      const h = this.holder(now);
      if (!h.self) return this.settle(kv, { kind: 'lost', holder: h, key: idempotencyKey });
      // Still ours: the update failed on the way, not on the revision.
      revision = now.revision;
    }
    return { outcome: 'unreachable', why: 'the claim could not be turned sent' };
  }

  private value(state: State): string {
    return JSON.stringify({ actor: this.origin.actor, host: this.origin.host, run: this.origin.run, at: new Date(this.clock.now()).toISOString(), state });
  }

  private holder(got: KvEntry): Holder {
    try {
      const v = got.json<{ actor?: unknown; run?: unknown; at?: unknown; state?: unknown }>();
      const at = typeof v.at === 'string' ? Date.parse(v.at) : NaN;
      return {
        by: typeof v.actor === 'string' ? oneLine(v.actor, 64) : 'another console',
        self: v.run === this.origin.run,
        // A claim from before claims were armed, or unreadable: a kill that is out.
        state: v.state === 'armed' ? 'armed' : 'sent',
        revision: got.revision,
        ...(Number.isFinite(at) ? { at } : {}),
      };
    } catch {
      // Unreadable value: someone holds the key all the same.
      return { by: 'another console', self: false, state: 'sent', revision: got.revision };
    }
  }

  /**
   * The create that fails when the key exists. With `prev`, a claim older than `withinMs` (of the
   * key itself, or of the bucket before) is not the same moment's: the key is taken over by a
   * compare-and-set on its revision, so of two consoles doing so one wins.
   */
  private async create(kv: KV, idempotencyKey: string, state: State, prev?: PrevKey): Promise<Created> {
    const key = killKey(idempotencyKey);
    const now = this.clock.now();
    const value = this.value(state);
    const old = (h: Holder) => !h.self && (h.at === undefined || now - h.at > prev!.withinMs);
    const before = prev ? kv.get(killKey(prev.key)).catch(() => null) : Promise.resolve(null);
    try {
      const revision = await kv.create(key, value);
      const p = await before;
      if (!p || p.operation !== 'PUT' || !prev) return { kind: 'won', revision };
      const o = this.holder(p);
      if (o.self || old(o)) return { kind: 'won', revision };
      return { kind: 'lost', holder: o, key: prev.key };
    } catch (e) {
      const got = await kv.get(key).catch(() => null);
      if (!got) return { kind: 'unreachable', why: this.clean((e as Error).message) };
      const o = this.holder(got);
      if (prev && old(o)) {
        const revision = await kv.update(key, value, got.revision).catch(() => undefined);
        if (revision !== undefined) return { kind: 'won', revision };
        const again = await kv.get(key).catch(() => null);
        if (again) return { kind: 'lost', holder: this.holder(again), key: idempotencyKey };
      }
      return { kind: 'lost', holder: o, key: idempotencyKey };
    }
  }

  /**
   * A claim lost to one only armed: that console's human may be pressing y this very moment, so
   * its claim gets ARMED_GRACE_MS to turn sent (then it is followed) or be given back; still armed
   * after that (a human reading, or gone), the key is taken over by compare-and-set on its
   * revision, so of two consoles doing so one wins. All of it within the claim's own budget.
   */
  private async settle(kv: KV, c: Created): Promise<KillClaim> {
    if (c.kind === 'won') return { outcome: 'won' };
    if (c.kind === 'unreachable') return { outcome: 'unreachable', why: c.why };
    let h = c.holder;
    if (h.state !== 'armed' || h.self) return this.lost(h, c.key);
    const k = killKey(c.key);
    const now = await this.settled(kv, k);
    if (!now || now.operation !== 'PUT') {
      // Given back meanwhile: the key is free again.
      const again = await this.create(kv, c.key, 'sent');
      return again.kind === 'lost' ? this.lost(again.holder, again.key) : again.kind === 'won' ? { outcome: 'won' } : { outcome: 'unreachable', why: again.why };
    }
    h = this.holder(now);
    if (h.state === 'armed' && !h.self) {
      const took = await kv.update(k, this.value('sent'), h.revision).then(() => true, () => false);
      if (took) return { outcome: 'won' };
      const again = await kv.get(k).catch(() => null);
      if (again) h = this.holder(again);
    }
    return this.lost(h, c.key);
  }

  /** The key's entry once it is sent or given back, or as it stands after ARMED_GRACE_MS. */
  private async settled(kv: KV, k: string): Promise<KvEntry | null> {
    const it = await kv.watch({ key: k });
    const t = this.clock.setTimeout(() => it.stop(), ARMED_GRACE_MS);
    let last: KvEntry | null = null;
    try {
      for await (const e of it) {
        last = e;
        if (e.operation !== 'PUT' || this.holder(e).state === 'sent') break;
      }
    } finally {
      this.clock.clearTimeout(t);
      it.stop();
    }
    return last;
  }

  private lost(h: Holder, key: string): KillClaim {
    return { outcome: 'lost', by: h.by, self: h.self, key };
  }

  private within(budgetMs: number, p: Promise<KillClaim>): Promise<KillClaim> {
    return new Promise((resolve) => {
      const t = this.clock.setTimeout(() => resolve({ outcome: 'unreachable', why: `no answer within ${budgetMs} ms` }), budgetMs);
      void p.then(
        (c) => {
          this.clock.clearTimeout(t);
          resolve(c);
        },
        (e: Error) => {
          this.clock.clearTimeout(t);
          resolve({ outcome: 'unreachable', why: this.clean(e.message) });
        },
      );
    });
  }
}

type Created = { kind: 'won'; revision: number } | { kind: 'lost'; holder: Holder; key: string } | { kind: 'unreachable'; why: string };
