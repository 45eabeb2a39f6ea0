/**
 * A kill pressed by hand, with the room on NATS (SPEC §10.1). The room's claim is made when the
 * kill confirm opens; `y` turns it sent (one round trip, within the claim's 250 ms budget, after
 * which the kill goes anyway) and sends. A console whose claim another holds stands down, names
 * the sender and follows its outcome; the claim of a confirm cancelled is given back.
 */
import type { Clock } from '../core/clock.js';
import { actRefusal } from '../flows/permissions.js';
import { setNotice, type WarroomState } from '../store/store.js';
import type { Session } from '../session/session.js';
import { actorOf } from '../viewmodel/flowContext.js';
import type { ActionRunner } from './actionRunner.js';
import type { Acts } from './acts.js';
import type { KillFollower } from './killFollow.js';
import { manualKillKeys, SAME_MOMENT_MS, type ArmedRoomKill, type RoomKill, type RoomKillAnswer } from './roomKillClaim.js';

export interface KillByHand {
  reason: string;
  from?: number;
}

export class ManualKill {
  private armed: ArmedRoomKill | undefined;
  private readonly off: () => void;

  constructor(
    private readonly session: Session,
    private readonly runner: ActionRunner,
    private readonly acts: Acts,
    private readonly clock: Clock,
    private readonly room: RoomKill,
    private readonly follower: KillFollower,
  ) {
    this.off = session.store.subscribe((s) => this.watchConfirm(s));
  }

  /** The kill confirm on screen: claim now; gone without a kill (cancelled): give the claim back. */
  private watchConfirm(s: WarroomState): void {
    const open = s.flow?.kind === 'kill';
    if (open && !this.armed && this.mayClaim(s)) {
      const k = manualKillKeys(s.config.deployment.name, this.clock.now());
      this.armed = this.room.arm(k.key, { key: k.prev, withinMs: SAME_MOMENT_MS });
    } else if (!open && this.armed) {
      this.armed.disarm();
      this.armed = undefined;
    }
  }

  /** Nothing to claim for a kill this console may not (or cannot) send: the runner says why. */
  private mayClaim(s: WarroomState): boolean {
    return !actRefusal('kill', actorOf(s)) && !!s.config.actions.killSwitch;
  }

  /** y at the kill confirm: send, or stand down for the room's kill that is out. */
  kill(e: KillByHand, after?: () => void): void {
    const send = (key?: string) => this.runner.kill({ reason: e.reason, ...(e.from !== undefined ? { from: e.from } : {}), ...(key ? { idempotencyKey: key } : {}) }, after);
    const s = this.session.store.getState();
    if (!this.mayClaim(s)) return void send();
    const armed = this.armed;
    this.armed = undefined;
    let key: string;
    let answer: Promise<RoomKillAnswer>;
    if (armed) {
      key = armed.key;
      answer = armed.fire();
    } else {
      // A kill effect with no confirm on screen (a replayed or scripted one): claim now.
      const k = manualKillKeys(s.config.deployment.name, this.clock.now());
      key = k.key;
      answer = this.room.claim(k.key, { key: k.prev, withinMs: SAME_MOMENT_MS });
    }
    void answer.then((c) => {
      if (c.by === undefined) return void send(key);
      // A retry: this console's own kill, or the room's kill that failed.
      if (c.self || this.follower.failed(c.key ?? key)) return void send();
      after?.();
      this.acts.record({
        what: 'note',
        line: { type: 'note', text: `kill-switch not sent: the room's kill by ${c.by} is already out`, actor: s.actor },
        event: { kind: 'action', level: 'warn', text: `KILL-SWITCH not sent: the room's kill (by ${c.by}) is already out; following it` },
      });
      setNotice(this.session.store, `the room's kill-switch was sent by ${c.by}: following it`, 'warn');
      this.follower.follow(c.key ?? key, c.by, "KILL-SWITCH (the room's)");
    });
  }

  dispose(): void {
    this.off();
    this.armed?.disarm();
    this.armed = undefined;
  }
}
