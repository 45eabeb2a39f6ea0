/**
 * What consoles say to each other on `warroom.<room>.room` (SPEC §10.1), pure. Outgoing frames
 * are the feed frames consoles published before, stamped with the sender, a per-sender seq and
 * the deployment. Incoming ones pass the feed's own parser, then two room rules: a frame (or
 * the ledger line it carries) for another deployment, and a replay (a seq or a line already
 * seen from that sender), are dropped and counted like the feed's drops. What passes is still a
 * claim: the judges downstream decide whether its signed line counts.
 */
import { parseFrame, type DropReason, type FeedMessage, type Publishable } from '../feed/protocol.js';

export type RoomDropReason = DropReason | 'other_deployment' | 'replayed';

export interface Origin {
  actor: string;
  host: string;
  /** A random id per console run: one actor may run two consoles. */
  run: string;
}

export type RoomFrame = FeedMessage & { deployment: string; origin: Origin };
export type RoomParse = { ok: true; msg: RoomFrame } | { ok: false; reason: RoomDropReason; origin?: string };

export function stampFrame(msg: Publishable, seq: number, deployment: string, origin: Origin, nowIso: string): string {
  return JSON.stringify({ ...msg, ts: (msg as { ts?: string }).ts ?? nowIso, seq, deployment, origin });
}

/** A bounded memory of what was seen: per-run last seq, and line hashes. */
export class Seen {
  private readonly seqs = new Map<string, number>();
  private readonly hashes = new Set<string>();
  constructor(private readonly max = 10_000) {}

  replay(run: string, seq: number, hash: string | undefined): boolean {
    const last = this.seqs.get(run) ?? 0;
    if (seq <= last) return true;
    if (hash !== undefined && this.hashes.has(hash)) return true;
    this.seqs.set(run, seq);
    if (hash !== undefined) {
      if (this.hashes.size >= this.max) this.hashes.delete(this.hashes.values().next().value as string);
      this.hashes.add(hash);
    }
    return false;
  }
}

const originText = (o: unknown): string | undefined => {
  if (!o || typeof o !== 'object') return undefined;
  const { actor, host } = o as Record<string, unknown>;
  return typeof actor === 'string' ? `${actor}${typeof host === 'string' ? `@${host}` : ''}` : undefined;
};

export function parseRoomFrame(data: Uint8Array, opts: { deployment: string; maxPayload: number; seen: Seen }): RoomParse {
  if (data.length > opts.maxPayload) return { ok: false, reason: 'oversize' };
  const p = parseFrame(Buffer.from(data.buffer, data.byteOffset, data.length));
  if (!p.ok) return p;
  const m = p.msg as FeedMessage & { deployment?: unknown; origin?: unknown; line?: unknown };
  // Consoles say what they did; gate readings come from sources, never from another console.
  if (m.type === 'status' || m.type === 'alert') return { ok: false, reason: 'unknown_type' };
  const origin = originText(m.origin);
  const o = m.origin as Partial<Origin> | undefined;
  if (!origin || typeof o?.run !== 'string') return { ok: false, reason: 'invalid' };
  const line = m.line as { deployment?: unknown; hash?: unknown } | undefined;
  if (m.deployment !== opts.deployment || (line && typeof line === 'object' && line.deployment !== opts.deployment)) return { ok: false, reason: 'other_deployment', origin };
  const hash = line && typeof line === 'object' && typeof line.hash === 'string' ? line.hash : undefined;
  if (opts.seen.replay(o.run, m.seq, hash)) return { ok: false, reason: 'replayed', origin };
  return { ok: true, msg: m as RoomFrame };
}
