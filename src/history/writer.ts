/**
 * Appends history lines with the ledger's care, but never in anyone's way: `write` only queues;
 * a timer puts each batch on disk in one append and one datasync; a failed write is retried
 * with backoff and said once through `onHealth`, never thrown. While the disk refuses, at most
 * `maxQueue` lines wait (the oldest are dropped and counted): history must never grow the
 * console's memory without bound.
 *
 * Bounded on disk too: past `thinBytes` the caller writes status changes only (`thinned`);
 * past `fullBytes` nothing more is written (`full`). Each is marked once in the file.
 */
import { mkdir, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Clock, TimerHandle } from '../core/clock.js';
import { describe, fsyncDir } from '../audit/fsutil.js';
import type { HistoryLine } from './format.js';

export interface HistoryWriterOptions {
  /** Paces the batches and retries (wall time in the console). */
  cadence: Clock;
  /** Timestamps of the cap marks. */
  clock: Clock;
  batchMs?: number;
  thinBytes?: number;
  fullBytes?: number;
  maxQueue?: number;
  /** Called with the error when writing starts failing, and with undefined once it works again. */
  onHealth?: (error: string | undefined) => void;
}

export type CapState = 'ok' | 'thinned' | 'full';

/** About 21 KB per gate-hour at worst (history-writer.test.ts): 8 hours of 48 gates before thinning. */
export const THIN_BYTES = 8 * 1024 * 1024;
export const FULL_BYTES = 16 * 1024 * 1024;
const BACKOFF_START_MS = 1000;
const BACKOFF_CAP_MS = 30_000;

export class HistoryWriter {
  private readonly queue: string[] = [];
  private size: number | undefined;
  /** Bytes queued or written: what the caps are judged on, so a burst cannot overshoot them. */
  private accounted = 0;
  private timer: TimerHandle | undefined;
  private inFlight: Promise<void> | undefined;
  private backoffMs = 0;
  private error: string | undefined;
  private stopped = false;
  dropped = 0;
  cap: CapState = 'ok';

  constructor(
    readonly path: string,
    private readonly opts: HistoryWriterOptions,
  ) {}

  /** Queues lines for the next batch; never throws, never waits. */
  write(lines: readonly HistoryLine[]): void {
    if (this.stopped || this.cap === 'full') return;
    for (const l of lines) {
      const text = JSON.stringify(l) + '\n';
      this.accounted += Buffer.byteLength(text);
      this.queue.push(text);
      this.checkCap();
      if ((this.cap as CapState) === 'full') break;
    }
    while (this.queue.length > (this.opts.maxQueue ?? 20_000)) {
      this.queue.shift();
      this.dropped++;
    }
    this.schedule(this.opts.batchMs ?? 2000);
  }

  /** Writes what is queued (bounded by `maxWaitMs` of cadence time) and stops. */
  async stop(maxWaitMs = 1000): Promise<void> {
    this.opts.cadence.clearTimeout(this.timer);
    this.timer = undefined;
    let timeout: TimerHandle | undefined;
    const flush = (async () => {
      await this.inFlight;
      if (this.queue.length) await this.drain();
    })();
    await Promise.race([flush, new Promise<void>((r) => (timeout = this.opts.cadence.setTimeout(r, maxWaitMs)))]);
    this.opts.cadence.clearTimeout(timeout);
    this.stopped = true;
  }

  /** Lines waiting for the disk. */
  pending(): number {
    return this.queue.length;
  }

  private checkCap(): void {
    const base = this.size ?? 0;
    const total = base + this.accounted;
    const mark = (k: 'thinned' | 'full') => {
      const text = JSON.stringify({ t: this.opts.clock.now(), k }) + '\n';
      this.accounted += Buffer.byteLength(text);
      this.queue.push(text);
    };
    if (this.cap === 'ok' && total >= (this.opts.thinBytes ?? THIN_BYTES)) {
      this.cap = 'thinned';
      mark('thinned');
    }
    if (this.cap === 'thinned' && total >= (this.opts.fullBytes ?? FULL_BYTES)) {
      this.cap = 'full';
      mark('full');
    }
  }

  private schedule(ms: number): void {
    if (this.timer || this.inFlight || this.stopped) return;
    this.timer = this.opts.cadence.setTimeout(() => {
      this.timer = undefined;
      this.inFlight = this.drain().finally(() => {
        this.inFlight = undefined;
        if (this.queue.length && !this.stopped) this.schedule(this.backoffMs || (this.opts.batchMs ?? 2000));
      });
    }, ms);
  }

  private async drain(): Promise<void> {
    const count = this.queue.length;
    if (count === 0) return;
    const data = this.queue.slice(0, count).join('');
    try {
      await this.append(data);
    } catch (e) {
      this.backoffMs = this.backoffMs ? Math.min(this.backoffMs * 2, BACKOFF_CAP_MS) : BACKOFF_START_MS;
      const msg = `cannot write ${this.path}: ${describe(e)}`;
      if (this.error === undefined) this.health(msg);
      this.error = msg;
      return;
    }
    this.queue.splice(0, count);
    this.backoffMs = 0;
    if (this.error !== undefined) {
      this.error = undefined;
      this.health(undefined);
    }
  }

  private async append(data: string): Promise<void> {
    if (this.size === undefined) {
      await mkdir(dirname(this.path), { recursive: true });
      this.size = await stat(this.path).then((s) => s.size, () => 0);
      // Appending after a restart: the caps count what the file already holds, and a line torn
      // by a crash is ended so it costs only itself.
      this.checkCap();
      if (this.size > 0 && !(await endsWithNewline(this.path, this.size))) data = '\n' + data;
    }
    const fh = await open(this.path, 'a');
    let before: number;
    try {
      before = (await fh.stat()).size;
      await fh.writeFile(data, 'utf8');
      await fh.datasync();
    } finally {
      await fh.close();
    }
    if (before === 0) await fsyncDir(dirname(this.path));
  }

  private health(error: string | undefined): void {
    try {
      this.opts.onHealth?.(error);
    } catch {
      // a broken listener must not stop the history
    }
  }
}

async function endsWithNewline(path: string, size: number): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(1);
    await fh.read(b, 0, 1, size - 1);
    return b[0] === 0x0a;
  } finally {
    await fh.close();
  }
}
