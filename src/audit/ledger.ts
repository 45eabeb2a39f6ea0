/**
 * The append-only audit ledger (ledger.jsonl). `append` is synchronous so a caller can act
 * at once and nothing is ever lost from memory; one background writer puts lines on disk in
 * order, fsync'd, retrying a failed write with backoff for as long as the process lives.
 */
import { mkdir, open } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { jsonSafe } from './canonical.js';
import { headPathFor, writeHead, type LedgerHead } from './head.js';
import type { HeldLock } from './lock.js';
import { signMessage, type AllowedSigner, type SigningKey } from './sshsig.js';
import { claimLedgerFile, headFrozenAtOpen, readLedgerText, setTornAside, tornTail } from './ledgerOpen.js';
import { writeRescue } from './ledgerRescue.js';
import { canonicalJson } from './canonical.js';
import { systemClock, type Clock, type TimerHandle } from '../core/clock.js';
import { Emitter } from '../core/emitter.js';
import { describe, fsyncDir } from './fsutil.js';
import { hashEntry, parseLedgerLines, signedMessage, splitLines, verifyChain } from './chain.js';
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
  /**
   * The console's actor: take the dir's writer lock as them. When another live console holds
   * `ledger.jsonl`, this one writes `ledger-<actor>.jsonl` beside it instead of forking the chain.
   */
  lockAs?: string;
  /** Signs sign-off, decision, waiver and action lines (SPEC §9.1). */
  signer?: SigningKey;
  /**
   * room.allowed_signers, when configured: a head found unsigned (or signed by an unlisted key)
   * is never rewritten, so re-signing it cannot launder a tail cut while nobody was writing.
   */
  headSigners?: readonly AllowedSigner[];
}

/** Line types that carry an actor's signature when a signing key is set. */
const SIGNED_TYPES = new Set(['signoff', 'decision', 'waiver', 'action', 'invalidation', 'invalidate', 'override.request', 'override.approve', 'checkpoint.ack']);

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
  /** The hash of each queued line, so the anchor names the last line really on disk. */
  private readonly queueHashes: string[] = [];
  private lastWrittenHash: string;
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
  private readonly events = new Emitter<{ change: undefined; line: LedgerLine }>();
  private readonly waiters = new Set<FlushWaiter>();
  private readonly signer: SigningKey | undefined;
  /** Who writes this file: named in (and, with a key, signing) its head. */
  private readonly writer: string | undefined;
  private lock: HeldLock | undefined;
  private readonly headPath: string;
  /** Lines in the file (as read, plus written since): what the head anchor records. */
  private fileLines: number;
  /** The anchor disagreed at open: never rewrite it, or the evidence of a cut tail would go. */
  private headFrozen = false;
  /** Said once at open: another console holds the dir, a torn line was set aside, the tail is cut. */
  readonly notes: string[] = [];

  private constructor(path: string, opts: LedgerOptions, text: string) {
    this.path = path;
    this.signer = opts.signer;
    this.writer = opts.lockAs;
    this.headPath = headPathFor(path);
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
    this.fileLines = raw.length;
    this.lastWrittenHash = this.prevHash;
  }

  /** This console holds the dir's lock on ledger.jsonl: it speaks for the room (room-wide notifications). */
  get primary(): boolean {
    return this.lock !== undefined && this.file === LEDGER_FILE;
  }

  /** The ledger file's name within the dir (ledger.jsonl, or ledger-<actor>.jsonl). */
  get file(): string {
    return basename(this.path);
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
    const clock = opts.clock ?? systemClock;
    const notes: string[] = [];
    const { path, lock } = await claimLedgerFile(dir, opts.lockAs, clock, notes);
    let text = await readLedgerText(path, lock);
    // A crash mid-append leaves a torn last line; set it aside (kept, not lost) so the chain
    // verifies again. Only the writer may do this.
    const torn = lock ? tornTail(text) : undefined;
    let tornSide: string | undefined;
    if (torn) {
      tornSide = await setTornAside(dir, path, torn, clock, notes);
      if (tornSide !== undefined) text = torn.keep;
    }
    const ledger = new Ledger(path, { ...opts, clock }, text);
    ledger.lock = lock;
    ledger.notes.push(...notes);
    const frozen = await headFrozenAtOpen(ledger.headPath, ledger.all, opts.headSigners, clock);
    if (frozen) {
      ledger.headFrozen = true;
      ledger.notes.push(frozen);
    }
    if (torn && tornSide) {
      ledger.append({ type: 'note', text: `torn last line (${torn.fragment.length} bytes) set aside in ${tornSide}`, actor: opts.lockAs ?? 'warroom' });
    }
    return ledger;
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
    delete (body as { sig?: unknown }).sig;
    const withPrev = jsonSafe({ ...body, prev_hash: this.prevHash }) as Record<string, unknown>;
    // The signature covers seq and prev_hash too, so a signed line cannot be moved elsewhere.
    if (this.signer && SIGNED_TYPES.has(body.type) && !('remote_line' in body)) withPrev.sig = signMessage(signedMessage(withPrev), this.signer);
    const line = Object.freeze({ ...withPrev, hash: hashEntry(withPrev) }) as unknown as LedgerLine;
    this.seq = line.seq;
    this.prevHash = line.hash;
    this.all.push(line);
    this.queue.push(JSON.stringify(line) + '\n');
    this.queueHashes.push(line.hash);
    this.appended++;
    this.events.emit('line', line);
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

  /**
   * Writes the lines not yet on disk to a rescue file beside the ledger, else under
   * $XDG_STATE_HOME/warroom; returns its path, or undefined when nothing is pending.
   * Throws when neither place takes them.
   */
  async rescue(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
    if (this.queue.length === 0) return undefined;
    return writeRescue(this.path, this.queue.join(''), this.clock.now(), env);
  }

  /** The last write error, cleared once a write succeeds. */
  lastError(): string | undefined {
    return this.error;
  }

  /** Every line: those read at open (corrupt ones skipped) and those appended since. */
  lines(): readonly LedgerLine[] {
    return this.all;
  }

  /**
   * Every line, marked whether the chain vouches for it: none when the tail was cut (the
   * anchor disagrees), those before the first bad line when the file failed verification.
   */
  chained(): { line: LedgerLine; inChain: boolean }[] {
    const trusted = this.headFrozen ? 0 : this.integrity.ok ? Infinity : this.integrity.line - 1;
    return this.all.map((line, i) => ({ line, inChain: i < trusted }));
  }

  /** The hash the next line will chain from. */
  lastHash(): string {
    return this.prevHash;
  }

  /**
   * `line`: each line as it is appended (before the write), so a reader keeps no cursor;
   * `change`: after every append, successful write and failed write.
   */
  on(name: 'line', listener: (line: LedgerLine) => void): () => void;
  on(name: 'change', listener: () => void): () => void;
  on(name: 'change' | 'line', listener: (line: LedgerLine) => void): () => void {
    return this.events.on(name, listener as (e: unknown) => void);
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
    this.events.clear();
    await this.lock?.release();
  }

  private kick(): void {
    if (this.inFlight || this.retryTimer !== undefined || this.queue.length === 0) return;
    if (this.closed && this.lastAttemptFailed) return;
    this.inFlight = this.drain().finally(() => {
      this.inFlight = undefined;
      // A line appended after the last write told its waiters, but before this write ended
      // (`await ledger.flush(); ledger.append(…)`), found the writer busy: it is written now.
      this.kick();
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
      this.lastWrittenHash = this.queueHashes.splice(0, count)[count - 1]!;
      this.written += count;
      this.fileLines += count;
      await this.anchor();
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

  /** The head follows the file; a failure here only weakens tail detection, so it is noted, not retried. */
  private async anchor(): Promise<void> {
    if (this.headFrozen) return;
    try {
      const head: LedgerHead = { schema: 'warroom.ledger-head/v1', count: this.fileLines, last_hash: this.lastWrittenHash, ts: new Date(this.clock.now()).toISOString(), ...(this.writer ? { actor: this.writer } : {}) };
      // Signed, a head cannot be rewritten after a cut tail by anyone without the writer's key.
      if (this.signer && this.writer) head.sig = signMessage(canonicalJson(head), this.signer);
      await writeHead(this.headPath, head);
    } catch {
      // The ledger itself is on disk; verify will report the stale head as a shorter anchor.
    }
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
    // The emitter isolates a broken listener: it must not stop the audit trail.
    this.events.emit('change', undefined);
  }
}
