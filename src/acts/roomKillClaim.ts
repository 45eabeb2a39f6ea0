/**
 * One kill per room for a kill pressed by hand (SPEC §10.1): two consoles pressing K at nearly the
 * same moment derive the same key from the deployment and a 30 s bucket, so the room's claim lets
 * one send. A press just after a bucket's edge also reads the bucket before: a kill claimed there
 * by another console within SAME_MOMENT_MS is the room's one; an older claim is not.
 */
import { createHash } from 'node:crypto';

export const MANUAL_KILL_BUCKET_MS = 30_000;
/**
 * Claims younger than this are the same moment's kill; an older one (a kill that is done, the
 * room ramped up again) does not hold a new kill back.
 */
export const SAME_MOMENT_MS = 10_000;

/** What the room answers a claim (within its own budget): `by` when another console holds it. */
export interface RoomKillAnswer {
  by?: string;
  /** Held by this very console run: its own earlier kill, so a retry sends again. */
  self?: boolean;
  /** The key of the kill that is out (the bucket before, when that one was the room's). */
  key?: string;
}
export type RoomKillClaim = (key: string, prev?: { key: string; withinMs: number }) => Promise<RoomKillAnswer>;

/** A claim made when the kill confirm opens: `fire` at y (no round trip left), `disarm` on cancel. */
export interface ArmedRoomKill {
  readonly key: string;
  fire(): Promise<RoomKillAnswer>;
  disarm(): void;
}

/** The room's kill: `claim` claims a kill about to be sent; `arm` claims at the confirm screen. */
export interface RoomKill {
  claim: RoomKillClaim;
  arm(key: string, prev?: { key: string; withinMs: number }): ArmedRoomKill;
}

function keyOf(deployment: string, bucket: number): string {
  return 'warroom-manual-' + createHash('sha256').update(`${deployment}\0manual\0${bucket}`).digest('hex').slice(0, 24);
}

/** The key of this moment's bucket and of the one before. */
export function manualKillKeys(deployment: string, now: number): { key: string; prev: string } {
  const b = Math.floor(now / MANUAL_KILL_BUCKET_MS);
  return { key: keyOf(deployment, b), prev: keyOf(deployment, b - 1) };
}
