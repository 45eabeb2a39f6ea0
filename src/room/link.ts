/**
 * The console's thin link to the room on NATS (SPEC §10.1): the session publishes to the room
 * and takes its frames in through the feed's path; the ledger's lines go to the stream; the
 * header shows the room; auto-rollback kills are claimed; room-wide notifications follow the
 * speaker key. Loaded only when `room.nats` is set.
 */
import type { Ledger } from '../audit/ledger.js';
import type { Clock } from '../core/clock.js';
import type { Session } from '../session/session.js';
import type { Controller } from '../input/controller.js';
import { setRoomHeader } from '../store/store.js';
import { oneLine } from '../util/sanitize.js';
import { roomText } from './people.js';
import { KILL_CLAIM_BUDGET_MS, Room } from './room.js';
import type { KillClaim } from './killClaims.js';
import type { RoomKillAnswer } from '../acts/roomKillClaim.js';

export interface RoomLink {
  room: Room;
  speaks(): boolean;
  stop(): Promise<void>;
}

export async function startRoomLink(session: Session, ledger: Ledger | undefined, clock: Clock): Promise<RoomLink | undefined> {
  const { config, actor } = session.opts;
  const nats = config.room.nats;
  if (!nats) return undefined;
  const writes = !session.opts.readOnly && session.opts.mode !== 'replay';
  const role = session.store.getState().role;
  const room = new Room({ nats, deployment: config.deployment.name, actor, ...(role ? { role } : {}), readOnly: !writes, clock, secrets: config.secrets });
  const offs: (() => void)[] = [];
  offs.push(
    room.on('view', (v) => setRoomHeader(session.store, { online: v.state === 'online', backlog: v.backlog, people: roomText(v.people, v.speaker), dropped: v.dropped })),
    room.on('frame', (f) => session.receive('room', f)),
  );
  // Each (reason, origin) said once: a flood is counted in the header, not written to the log.
  const said = new Set<string>();
  offs.push(
    room.on('drop', (d) => {
      const key = `${d.reason}:${d.origin ?? ''}`;
      if (said.size > 200 || said.has(key)) return;
      said.add(key);
      session.live.event({ kind: 'feed', level: 'warn', text: `room: frame dropped (${d.reason})${d.origin ? ` from ${oneLine(d.origin, 64)}` : ''}; not counted` });
    }),
  );
  let lastState = room.current().state;
  offs.push(
    room.on('view', (v) => {
      if (v.state === lastState) return;
      const was = lastState;
      lastState = v.state;
      if (v.state === 'online') session.live.event({ kind: 'system', level: 'ok', text: `room ${nats.room} online (${nats.servers.length} server(s))` });
      else if (v.state === 'offline' && was !== 'connecting') session.live.event({ kind: 'system', level: 'warn', text: `ROOM OFFLINE: acts go on and are written locally; they reach the room when it returns` });
      else if (v.state === 'offline') session.live.event({ kind: 'system', level: 'warn', text: `ROOM OFFLINE: cannot reach ${nats.servers.length} server(s)${v.lastError ? `: ${v.lastError}` : ''}` });
    }),
  );
  setRoomHeader(session.store, { online: false, backlog: 0, people: roomText([], undefined), dropped: 0 });
  session.useRoom((msg) => room.publish(msg));
  if (ledger && writes) await room.attachLedger(ledger);
  room.start();
  return {
    room,
    speaks: () => room.isSpeaker(),
    stop: async () => {
      for (const o of offs) o();
      await room.stop();
    },
  };
}

/**
 * A kill (by hand or auto-rollback): the room's claim first (its own 250 ms budget), then send or
 * stand down. A kill by hand is claimed when its confirm opens, so y does not wait on the room.
 */
export function linkRoomKill(controller: Controller, link: RoomLink | undefined): void {
  if (!link) return;
  const answer = (c: KillClaim): RoomKillAnswer => (c.outcome === 'lost' ? { by: c.by, self: c.self, key: c.key } : {});
  controller.useRoomKill({
    claim: async (key, prev) => answer(await link.room.claimKill(key, undefined, prev)),
    arm: (key, prev) => {
      const a = link.room.armKill(key, prev);
      return { key: a.key, fire: async () => answer(await a.fire(KILL_CLAIM_BUDGET_MS)), disarm: () => a.disarm() };
    },
  });
}
