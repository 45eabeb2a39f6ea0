/**
 * The append-only audit ledger (ledger.jsonl). `append` is synchronous so a caller can act
 * at once and nothing is ever lost from memory; one background writer puts lines on disk in
 * order, fsync'd, retrying a failed write with backoff for as long as the process lives.
 */
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock, type Clock, type TimerHandle } from '../core/clock.js';
import { describe, fsyncDir } from './fsutil.js';
import { chainEntry, parseLedgerLines, splitLines, verifyChain } from './chain.js';
import {
  GENESIS_HASH,
  LEDGER_FILE,
  LEDGER_SCHEMA,
  type AppendInput,
  type LedgerBody,
  type LedgerLine,
  type VerifyResult,
} from './types.js';

export interface LedgerOptions {
  clock?: Clock;
  deployment: string;
  environment: string;
}

const BACKOFF_START_MS = 1000;
const BACKOFF_CAP_MS = 30_000;

interface FlushWaiter {
  target: number;
  resolve: () => void;
  reject: (e: Error) => void;
  timer?: TimerHandle;
}

export class Ledger {
  readonly path: string;
  /** The verify result of the ledger as found at open (a corrupt one is kept, not rewritten). */
  readonly integrity: VerifyResult;

  private readonly clock: Clock;
  private readonly deployment: string;
  private readonly environment: string;
  private readonly all: LedgerLine[];
  private seq: number;
  private prevHash: string;
  /** Serialized lines appended but not yet confirmed on disk, oldest first. */
  private readonly queue: string[] = [];
  private appended = 0;
  private written = 0;
  private error: string | undefined;
  private backoffMs = 0;
  private retryTimer: TimerHandle | undefined;
  private inFlight: Promise<void> | undefined;
  private closed = false;
  /** Bytes of the file known to be good; a failed write may leave a partial line past it. */
  private goodSize: number;
  private lastAttemptFailed = false;
  /** The file as found ended mid-line: start our first write on a fresh line. */
  private needsNewline: boolean;
  private readonly listeners = new Set<() => void>();
  private readonly waiters = new Set<FlushWaiter>();

  private constructor(path: string, opts: LedgerOptions, text: string) {
    this.path = path;
    this.clock = opts.clock ?? systemClock;
    this.deployment = opts.deployment;
    this.environment = opts.environment;
    const raw = splitLines(text);
    this.integrity = verifyChain(raw);
    this.all = parseLedgerLines(raw);
    const last = this.all[this.all.length - 1];
    this.seq = last && typeof last.seq === 'number' && Number.isInteger(last.seq) ? last.seq : this.all.length;
    this.prevHash = last?.hash ?? GENESIS_HASH;
    this.goodSize = Buffer.byteLength(text, 'utf8');
    this.needsNewline = text.length > 0 && !text.endsWith('\n');
  }

  /**
   * Opens (creating the directory) and reads any existing ledger so seq and prev_hash
   * continue. Rejects only when an existing ledger cannot be read at all: continuing blind
   * would fork the chain.
   */
  static async open(dir: string, opts: LedgerOptions): Promise<Ledger> {
    if (!opts || typeof opts.deployment !== 'string' || typeof opts.environment !== 'string') {
      throw new Error('Ledger.open needs deployment and environment names');
    }
    try {
      await mkdir(dir, { recursive: true });
    } catch (e) {
      throw new Error(`cannot create audit directory ${dir}: ${describe(e)}`);
    }
    const path = join(dir, LEDGER_FILE);
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new Error(`cannot read audit ledger ${path}: ${describe(e)}`);
      }
    }
    return new Ledger(path, opts, text);
  }

  /**
   * Records an event: seq, ts and hashes are assigned now and the line is kept in memory;
   * the disk write follows in the background (see `flush`, `pending`, `lastError`).
   */
  append(event: AppendInput): LedgerLine {
    if (this.closed) throw new Error('audit ledger is closed');
    if (!event || typeof event.type !== 'string') throw new Error('ledger event needs a type');
    if (typeof event.actor !== 'string' || event.actor === '') throw new Error('ledger event needs an actor');
    const { actor, role, ...payload } = event as AppendInput & { role?: string };
    // Key order only makes the file readable; the hash is over canonical (sorted) JSON.
    // The header is applied again after the payload so no payload can forge seq, ts or names.
    const fixed = {
      schema: LEDGER_SCHEMA,
      seq: this.seq + 1,
      ts: new Date(this.clock.now()).toISOString(),
    };
    const names = { deployment: this.deployment, environment: this.environment };
    const header: Record<string, unknown> = { ...fixed, type: payload.type, actor, role, ...names };
    const body = Object.assign(header, payload, fixed, names) as unknown as LedgerBody;
    const line = Object.freeze(chainEntry(this.prevHash, body)) as LedgerLine;
    this.seq = line.seq;
    this.prevHash = line.hash;
    this.all.push(line);
    this.queue.push(JSON.stringify(line) + '\n');
    this.appended++;
    this.notify();
    this.kick();
    return line;
  }

  /**
   * Resolves when every line appended so far is on disk. With `maxWaitMs` (clock time), rejects
   * with the current write error (or "still writing") if that takes longer. A pending retry
   * is tried at once rather than after its backoff.
   */
  flush(maxWaitMs?: number): Promise<void> {
    if (this.written >= this.appended) return Promise.resolve();
    if (this.closed) return Promise.reject(new Error(`audit ledger closed with ${this.pending()} line(s) not written`));
    if (this.retryTimer !== undefined && !this.inFlight) {
      this.clock.clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      this.kick();
    }
    return new Promise<void>((resolve, reject) => {
      const w: FlushWaiter = { target: this.appended, resolve, reject };
      if (maxWaitMs !== undefined) {
        w.timer = this.clock.setTimeout(() => {
          this.waiters.delete(w);
          const n = this.appended - this.written;
          reject(new Error(`${n} audit line(s) not yet written to ${this.path}: ${this.error ?? 'still writing'}`));
        }, maxWaitMs);
      }
      this.waiters.add(w);
    });
  }

  /** Lines appended but not yet on disk. */
  pending(): number {
    return this.appended - this.written;
  }

  /** The last write error, cleared once a write succeeds. */
  lastError(): string | undefined {
    return this.error;
  }

  /** Every line: those read at open (corrupt ones skipped) and those appended since. */
  lines(): readonly LedgerLine[] {
    return this.all;
  }

  /** The hash the next line will chain from. */
  lastHash(): string {
    return this.prevHash;
  }

  /** Called after every append, successful write and failed write. Returns an unsubscribe. */
  onChange(cb: () => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /**
   * Stops the writer after the write in progress; further appends throw. Lines still pending
   * stay unwritten (call `flush` first); waiting flushes reject.
   */
  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer !== undefined) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await this.inFlight;
    for (const w of this.waiters) {
      this.clock.clearTimeout(w.timer);
      w.reject(new Error(`audit ledger closed with ${this.pending()} line(s) not written`));
    }
    this.waiters.clear();
    this.listeners.clear();
  }

  private kick(): void {
    if (this.inFlight || this.retryTimer !== undefined || this.queue.length === 0) return;
    if (this.closed && this.lastAttemptFailed) return;
    this.inFlight = this.drain().finally(() => {
      this.inFlight = undefined;
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      // Everything queued goes in one write: order is kept and a burst costs one fsync.
      const count = this.queue.length;
      const data = (this.needsNewline ? '\n' : '') + this.queue.slice(0, count).join('');
      try {
        await this.writeOnce(data);
      } catch (e) {
        this.lastAttemptFailed = true;
        this.error = `cannot write ${this.path}: ${describe(e)}`;
        this.backoffMs = this.backoffMs ? Math.min(this.backoffMs * 2, BACKOFF_CAP_MS) : BACKOFF_START_MS;
        if (!this.closed) {
          this.retryTimer = this.clock.setTimeout(() => {
            this.retryTimer = undefined;
            this.kick();
          }, this.backoffMs);
        }
        this.notify();
        return;
      }
      this.lastAttemptFailed = false;
      this.needsNewline = false;
      this.queue.splice(0, count);
      this.written += count;
      this.error = undefined;
      this.backoffMs = 0;
      this.settleWaiters();
      this.notify();
    }
  }

  private async writeOnce(data: string): Promise<void> {
    const fh = await open(this.path, 'a');
    let size: number;
    try {
      size = (await fh.stat()).size;
      // A failed attempt may have left part of a line: cut back to the last good byte so the
      // retry does not leave a corrupt fragment in the middle of the chain.
      if (this.lastAttemptFailed && size > this.goodSize) {
        await fh.truncate(this.goodSize);
        size = this.goodSize;
      }
      await fh.writeFile(data, 'utf8');
      await fh.datasync();
    } finally {
      await fh.close();
    }
    // A new file's directory entry must be durable too.
    if (size === 0) await fsyncDir(join(this.path, '..'));
    this.goodSize = size + Buffer.byteLength(data, 'utf8');
  }

  private settleWaiters(): void {
    for (const w of this.waiters) {
      if (this.written >= w.target) {
        this.clock.clearTimeout(w.timer);
        this.waiters.delete(w);
        w.resolve();
      }
    }
  }

  private notify(): void {
    for (const cb of this.listeners) {
      try {
        cb();
      } catch {
        // A broken listener must not stop the audit trail.
      }
    }
  }
}
