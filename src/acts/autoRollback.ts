/**
 * The auto-rollback policy (SPEC §9.1): what this console does when a gate's rollback trigger
 * raises, arms, fires, is cancelled or clears. A console that may not fire the kill only
 * watches; one that sees the room's kill for the same gate on the feed stands down; every
 * console derives the same idempotency key for one trigger episode, so the room sends one kill.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { actRefusal } from '../flows/permissions.js';
import { AUTO_DELAY_MS, type TriggerEffect } from '../ramp/triggers.js';
import type { Session } from '../session/session.js';
import { ringBell } from '../store/store.js';
import { actorOf } from '../viewmodel/flowContext.js';
import type { ActionRunner } from './actionRunner.js';
import type { Acts } from './acts.js';
import type { KillFollower } from './killFollow.js';
import type { RoomKillClaim } from './roomKillClaim.js';

/** How long a kill the room announced makes other consoles stand down for the same gate. */
const ROOM_KILL_WINDOW_MS = 10 * 60_000;
/** Episodes are 5-minute buckets of the arming time: consoles arming a second apart agree. */
const EPISODE_MS = 5 * 60_000;

/** The idempotency key every console derives for one trigger episode (SPEC §9.1). */
export function roomKillKey(deployment: string, gate: string, armedAt: number): string {
  const episode = Math.floor(armedAt / EPISODE_MS);
  return 'warroom-' + createHash('sha256').update(`${deployment}\0${gate}\0${episode}`).digest('hex').slice(0, 32);
}

export class AutoRollback {
  /** Auto-rollback kills the room already sent, by gate: a console that sees one stands down. */
  private roomFired = new Map<string, { actor: string; at: number }>();
  private unsubscribe: (() => void)[] = [];

  constructor(
    private readonly session: Session,
    private readonly runner: ActionRunner,
    private readonly acts: Acts,
    private readonly clock: Clock,
  ) {
    this.unsubscribe.push(session.live.on('triggers', (effects) => this.onTriggers(effects)));
    this.unsubscribe.push(
      session.on('feed', ({ msg: m }) => {
        if (m.type === 'event' && typeof m.trigger === 'string' && m.actor && m.actor !== session.opts.actor) {
          this.roomFired.set(m.trigger, { actor: m.actor, at: clock.now() });
        }
      }),
    );
  }

  dispose(): void {
    for (const u of this.unsubscribe) u();
  }

  /**
   * The room on NATS: one kill per room. The claim resolves within its own budget (250 ms), with
   * `by` when another console holds the key; otherwise this console sends.
   */
  private claimKill: RoomKillClaim | undefined;
  private follower: KillFollower | undefined;
  useRoomKill(claim: RoomKillClaim, follower?: KillFollower): void {
    this.claimKill = claim;
    this.follower = follower;
  }

  private standDown(gate: string, what: string, by: string, key: string): void {
    this.follower?.follow(key, by, `AUTO-ROLLBACK ${gate} (the room's)`);
    this.acts.record({
      what: 'note',
      line: { type: 'note', text: `auto-rollback for ${gate} not sent: the room's kill by ${by} is already out`, actor: this.session.opts.actor },
      event: { kind: 'gate', level: 'warn', text: `AUTO-ROLLBACK ${what}: the room's kill (by ${by}) is already out; standing down` },
    });
  }

  private onTriggers(effects: TriggerEffect[]): void {
    const s = this.session.store.getState();
    // A console that may not fire the kill only watches: it records and sends nothing.
    const watchOnly = actRefusal('kill', actorOf(s));
    for (const e of effects) {
      const phase = ({ raise: 'raised', arm: 'armed', fire: 'fired', cancel: 'cancelled', clear: 'cleared' } as const)[e.type];
      const what = `${e.gate} = ${String(e.value)} fails ${e.threshold}`;
      if (watchOnly) {
        if (e.type === 'fire') this.session.live.event({ kind: 'gate', level: 'error', text: `AUTO-ROLLBACK due ${what}: armed by the room; this console sends nothing (${watchOnly})` });
        if (e.type === 'raise' || e.type === 'arm') ringBell(this.session.store);
        continue;
      }
      const room = this.roomFired.get(e.gate);
      if (e.type === 'fire' && room && this.clock.now() - room.at < ROOM_KILL_WINDOW_MS) {
        this.acts.record({
          what: 'note',
          line: { type: 'note', text: `auto-rollback for ${e.gate} not sent: the room's kill by ${room.actor} is already out`, actor: s.actor },
          event: { kind: 'gate', level: 'warn', text: `AUTO-ROLLBACK ${what}: the room's kill (by ${room.actor}) is already out; standing down` },
        });
        continue;
      }
      const level = e.type === 'clear' ? 'ok' : e.type === 'cancel' ? 'warn' : 'error';
      const text =
        e.type === 'raise' ? `ROLLBACK TRIGGER ${what}: press K`
        : e.type === 'arm' ? `AUTO-ROLLBACK ARMED ${what}: fires in 30s unless a cancels`
        : e.type === 'fire' ? `AUTO-ROLLBACK FIRED ${what}`
        : e.type === 'cancel' ? `auto-rollback for ${e.gate} cancelled by ${s.actor}`
        : `rollback trigger for ${e.gate} cleared`;
      this.acts.record({
        ...(e.type === 'cancel' ? { right: 'cancelTrigger' as const } : {}),
        what: 'trigger',
        line: {
          type: 'trigger',
          phase,
          gate: e.gate,
          mode: e.mode,
          value: typeof e.value === 'number' && !Number.isFinite(e.value) ? null : (e.value as never),
          threshold: e.threshold,
          actor: e.type === 'cancel' ? s.actor : 'warroom',
          ...(e.type === 'cancel' && s.role ? { role: s.role } : {}),
        },
        event: { kind: 'gate', level, text },
      });
      if (e.type === 'raise' || e.type === 'arm') ringBell(this.session.store);
      if (e.type === 'fire') {
        const armedAt = (s.banner.find((t) => t.gate === e.gate)?.firesAt ?? this.clock.now()) - AUTO_DELAY_MS;
        const key = roomKillKey(s.config.deployment.name, e.gate, armedAt);
        const fire = () => {
          const sent = this.runner.kill({ reason: `auto-rollback: ${what}`, trigger: e.gate, idempotencyKey: key, ...(s.influence.pct !== undefined ? { from: s.influence.pct } : {}) });
          if (sent) this.session.publish({ type: 'event', ts: new Date(this.clock.now()).toISOString(), text: `auto-rollback for ${e.gate} sent the kill-switch`, actor: s.actor, trigger: e.gate });
        };
        if (this.claimKill) void this.claimKill(key).then((c) => (c.by !== undefined && !c.self ? this.standDown(e.gate, what, c.by, key) : fire()));
        else fire();
      }
    }
  }
}
