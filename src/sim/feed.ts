/**
 * The simulator's status feed (SPEC §3): assigns seq and ts, keeps a replay ring and the
 * retained state (latest status per key, firing alerts), and fans messages out to clients.
 *
 * Ordering rule: a client never receives a seq at or below one it was already sent, so a
 * console's gap/duplicate logic stays truthful. On connect the server waits briefly for the
 * client's `resume` so it can answer with exactly what the client lacks (retained state plus
 * ring entries after N, in seq order); a client that never sends `resume` gets the retained
 * snapshot once the wait is over. A `resume` whose N is beyond this server's last seq comes
 * from an earlier server instance, so the client gets everything from seq 1 on (which lets it
 * recognise the restart).
 */
import { WebSocket } from 'ws';
import type { Clock } from '../core/clock.js';
import { parseFrame, type AlertMsg, type FeedMessage, type StatusMsg } from '../feed/protocol.js';

export const RING_SIZE = 1000;
/** Types a console may publish; anything else from a client is ignored. */
const PUBLISHABLE = new Set(['influence', 'ack', 'decision', 'event', 'override']);
/** Fields kept per published type (anything else a client sends is not re-broadcast). */
const FIELDS: Record<string, readonly string[]> = {
  influence: ['pct', 'actor', 'reason'],
  ack: ['role', 'actor', 'gate', 'line'],
  decision: ['decision', 'actor', 'id'],
  event: ['text', 'actor', 'trigger'],
  // SPEC §9.5: requests and approvals travel with their signed ledger line, as acks do.
  override: ['action', 'id', 'actor', 'line'],
};

/** A message before the hub stamps it. */
export type Unstamped = FeedMessage extends infer M ? (M extends FeedMessage ? Omit<M, 'seq' | 'ts'> : never) : never;

interface Client {
  ws: WebSocket;
  ready: boolean;
  lastSent: number;
  timer?: ReturnType<typeof setTimeout>;
}

export interface FeedHubOptions {
  clock: Clock;
  /** Wall ms to wait for a client's `resume` before sending the retained snapshot. */
  resumeWaitMs?: number;
  ringSize?: number;
}

export class FeedHub {
  private seq = 0;
  private readonly ring: FeedMessage[] = [];
  private readonly statuses = new Map<string, StatusMsg>();
  private readonly firing = new Map<string, AlertMsg>();
  private readonly clients = new Set<Client>();
  private readonly clock: Clock;
  private readonly resumeWaitMs: number;
  private readonly ringSize: number;
  /** Counts of client frames ignored, by reason (for state and tests). */
  readonly ignored: Record<string, number> = {};

  constructor(opts: FeedHubOptions) {
    this.clock = opts.clock;
    this.resumeWaitMs = opts.resumeWaitMs ?? 150;
    this.ringSize = opts.ringSize ?? RING_SIZE;
  }

  lastSeq(): number {
    return this.seq;
  }

  clientCount(): number {
    return this.clients.size;
  }

  firingAlerts(): AlertMsg[] {
    return [...this.firing.values()];
  }

  /** Stamps, retains, records and broadcasts one message. */
  publish(msg: Unstamped): FeedMessage {
    const stamped = { ...msg, seq: ++this.seq, ts: new Date(this.clock.now()).toISOString() } as FeedMessage;
    this.ring.push(stamped);
    if (this.ring.length > this.ringSize) this.ring.splice(0, this.ring.length - this.ringSize);
    if (stamped.type === 'status') this.statuses.set(stamped.key, stamped);
    if (stamped.type === 'alert') {
      if (stamped.state === 'firing') this.firing.set(stamped.id, stamped);
      else this.firing.delete(stamped.id);
    }
    for (const c of this.clients) if (c.ready) this.send(c, [stamped]);
    return stamped;
  }

  /** Messages with seq > after, as held in the ring. */
  replay(after: number): FeedMessage[] {
    return this.ring.filter((m) => m.seq > after);
  }

  private retained(): FeedMessage[] {
    return [...this.statuses.values(), ...this.firing.values()].sort((a, b) => a.seq - b.seq);
  }

  private send(c: Client, msgs: FeedMessage[]): void {
    for (const m of msgs) {
      if (m.seq <= c.lastSent || c.ws.readyState !== WebSocket.OPEN) continue;
      c.ws.send(JSON.stringify(m));
      c.lastSent = m.seq;
    }
  }

  private answer(c: Client, after: number | undefined): void {
    if (c.timer) clearTimeout(c.timer);
    c.timer = undefined;
    c.ready = true;
    let msgs: FeedMessage[];
    if (after === undefined) {
      msgs = this.retained();
    } else {
      const from = after > this.seq ? 0 : after;
      const bySeq = new Map<number, FeedMessage>();
      for (const m of this.retained()) if (m.seq > from) bySeq.set(m.seq, m);
      for (const m of this.replay(from)) bySeq.set(m.seq, m);
      msgs = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
    }
    this.send(c, msgs);
  }

  /** Takes over a connected socket. */
  attach(ws: WebSocket): void {
    const c: Client = { ws, ready: false, lastSent: 0 };
    this.clients.add(c);
    c.timer = setTimeout(() => this.answer(c, undefined), this.resumeWaitMs);
    c.timer.unref?.();
    ws.on('error', () => undefined);
    ws.on('close', () => {
      if (c.timer) clearTimeout(c.timer);
      this.clients.delete(c);
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return this.ignore('binary');
      this.onClientFrame(c, data.toString());
    });
  }

  private ignore(reason: string): void {
    this.ignored[reason] = (this.ignored[reason] ?? 0) + 1;
  }

  private onClientFrame(c: Client, text: string): void {
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch {
      return this.ignore('not-json');
    }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return this.ignore('invalid');
    const m = obj as Record<string, unknown>;
    if (m.type === 'resume') {
      const after = typeof m.after === 'number' && Number.isFinite(m.after) && m.after >= 0 ? Math.floor(m.after) : 0;
      return this.answer(c, after);
    }
    if (typeof m.type !== 'string' || !PUBLISHABLE.has(m.type)) return this.ignore('unknown-type');
    // Keep only the known fields, then reuse the protocol's validator on the result.
    const picked: Record<string, unknown> = { type: m.type };
    for (const f of FIELDS[m.type]!) if (m[f] !== undefined) picked[f] = m[f];
    // A placeholder seq and ts (publish assigns both); the parser refuses a seq below 1.
    const check = parseFrame(JSON.stringify({ ...picked, seq: 1, ts: 'x' }));
    if (!check.ok) return this.ignore(check.reason);
    for (const f of ['actor', 'reason', 'gate', 'id'] as const) {
      if (picked[f] !== undefined && typeof picked[f] !== 'string') return this.ignore('invalid');
    }
    this.publish(picked as Unstamped);
  }

  /** feed-flap: sends one raw (invalid) frame to every client. */
  sendRaw(text: string): void {
    for (const c of this.clients) if (c.ws.readyState === WebSocket.OPEN) c.ws.send(text);
  }

  /** feed-flap: drops every connection abruptly, as a network blip would. */
  dropAll(): number {
    const n = this.clients.size;
    for (const c of this.clients) c.ws.terminate();
    return n;
  }

  close(): void {
    for (const c of this.clients) {
      if (c.timer) clearTimeout(c.timer);
      c.ws.terminate();
    }
    this.clients.clear();
  }
}
