/**
 * The ledger's lines on their way to the room's stream (SPEC §10.1): published in order, one at
 * a time, only once on disk (the local write is first), each with `Nats-Msg-Id` = its hash so a
 * re-publish is a duplicate the stream drops. The hash of the last line JetStream acknowledged is
 * kept in a cursor file beside the ledger, so lines not yet acknowledged when the console quit go
 * at the next start; on connect the stream's last message on our subject moves the cursor past
 * lines that reached it before the cursor was saved. Nothing lost, nothing doubled.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { Emitter } from '../core/emitter.js';


/** Backoff of a failed publish on a live connection. */
const RETRY_START_MS = 500;
const RETRY_CAP_MS = 10_000;
export interface LineSource {
  readonly path: string;
  lines(): readonly { hash: string }[];
  /** Appended but not yet on disk (the tail of lines()). */
  pending(): number;
  on(name: 'change', listener: () => void): () => void;
}

export interface StreamSink {
  /** Resolves once JetStream has the message (a duplicate counts as had). */
  publish(subject: string, data: string, msgId: string): Promise<void>;
  /** The hash (Nats-Msg-Id) of the last message on `subject`, if any. */
  lastId(subject: string): Promise<string | undefined>;
}

export interface Cursor {
  stream: string;
  subject: string;
  hash: string;
}

export const cursorPathFor = (ledgerPath: string) => ledgerPath.replace(/\.jsonl$/, '') + '.nats-cursor';

export async function readCursor(path: string): Promise<Cursor | undefined> {
  try {
    const c = JSON.parse(await readFile(path, 'utf8')) as Partial<Cursor>;
    return typeof c.hash === 'string' && typeof c.stream === 'string' && typeof c.subject === 'string' ? (c as Cursor) : undefined;
  } catch {
    return undefined;
  }
}

export class Backlog {
  /** Index of the last line the stream has; -1 before the first. */
  private acked = -1;
  private sink: StreamSink | undefined;
  private pumping = false;
  private saving: Promise<void> | undefined;
  private saveAgain = false;
  private readonly off: () => void;
  private readonly events = new Emitter<{ backlog: number; error: string }>();
  private lastCount = -1;
  private stopped = false;
  /** A publish failed on a live connection (a stream leader being elected, a timeout): try again later. */
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryMs = RETRY_START_MS;

  constructor(
    private readonly ledger: LineSource,
    private readonly stream: string,
    private readonly subject: string,
    private readonly cursorPath: string,
    cursor: Cursor | undefined,
  ) {
    if (cursor && cursor.stream === stream && cursor.subject === subject) this.acked = this.indexOf(cursor.hash);
    this.off = ledger.on('change', () => {
      this.report();
      this.pump();
    });
  }

  static async open(ledger: LineSource, stream: string, subject: string): Promise<Backlog> {
    const path = cursorPathFor(ledger.path);
    return new Backlog(ledger, stream, subject, path, await readCursor(path));
  }

  on<K extends 'backlog' | 'error'>(name: K, fn: (v: K extends 'backlog' ? number : string) => void): () => void {
    return this.events.on(name, fn as never);
  }

  /** Lines on disk the stream has not acknowledged. */
  count(): number {
    return Math.max(0, this.written() - 1 - this.acked);
  }

  /** The connection is up (again): reconcile with the stream, then publish what waits. */
  async online(sink: StreamSink): Promise<void> {
    this.sink = sink;
    try {
      const last = await sink.lastId(this.subject);
      const i = last ? this.indexOf(last) : -1;
      if (i > this.acked) {
        this.acked = i;
        this.save();
      }
    } catch (e) {
      this.events.emit('error', (e as Error).message);
    }
    this.report();
    this.pump();
  }

  offline(): void {
    this.sink = undefined;
  }

  /** Resolves when the backlog is empty, or after `ms`. */
  async drain(ms: number): Promise<void> {
    const end = Date.now() + ms;
    while (this.count() > 0 && this.sink && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    // A save may chain another (lines acked while it was written): wait for the last.
    while (this.saving) await this.saving;
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.off();
  }

  private written(): number {
    return this.ledger.lines().length - this.ledger.pending();
  }

  private indexOf(hash: string): number {
    const ls = this.ledger.lines();
    for (let i = ls.length - 1; i >= 0; i--) if (ls[i]!.hash === hash) return i;
    return -1;
  }

  private report(): void {
    const n = this.count();
    if (n === this.lastCount) return;
    this.lastCount = n;
    this.events.emit('backlog', n);
  }

  private pump(): void {
    if (this.pumping || !this.sink || this.stopped) return;
    this.pumping = true;
    void this.run().finally(() => {
      this.pumping = false;
    });
  }

  private async run(): Promise<void> {
    while (this.sink && !this.stopped && this.acked < this.written() - 1) {
      const sink = this.sink;
      const line = this.ledger.lines()[this.acked + 1]!;
      try {
        await sink.publish(this.subject, JSON.stringify(line), line.hash);
      } catch (e) {
        // Reconnected while this publish was failing: go on with the new connection.
        if (this.sink && this.sink !== sink) continue;
        // Order is kept, nothing skipped: the same line again after a pause (or at the next connect),
        // since the connection may be fine while the stream has no leader yet.
        this.events.emit('error', (e as Error).message);
        this.retryLater();
        return;
      }
      this.retryMs = RETRY_START_MS;
      this.acked++;
      this.save();
      this.report();
    }
  }

  private retryLater(): void {
    if (this.retryTimer || this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.pump();
    }, this.retryMs);
    this.retryTimer.unref?.();
    this.retryMs = Math.min(RETRY_CAP_MS, this.retryMs * 2);
  }

  private save(): void {
    if (this.saving) {
      this.saveAgain = true;
      return;
    }
    const line = this.ledger.lines()[this.acked];
    if (!line) return;
    const data = JSON.stringify({ stream: this.stream, subject: this.subject, hash: line.hash } satisfies Cursor) + '\n';
    const tmp = `${this.cursorPath}.tmp`;
    this.saving = writeFile(tmp, data)
      .then(() => rename(tmp, this.cursorPath))
      .catch((e: Error) => this.events.emit('error', `cannot save the room cursor: ${e.message}`))
      .finally(() => {
        this.saving = undefined;
        if (this.saveAgain) {
          this.saveAgain = false;
          this.save();
        }
      });
  }
}
