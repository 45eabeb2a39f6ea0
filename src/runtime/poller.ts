/**
 * Schedules each source at its interval. A read never overlaps the previous one of the same
 * source (a slow source never stacks requests), every read is bounded by the source timeout,
 * and `refresh()` runs everything now (or right after an in-flight read finishes).
 */
import type { Clock, TimerHandle } from '../core/clock.js';
import type { Probe, SourceAdapter, SourceResult } from '../sources/types.js';

export interface PolledSource {
  id: string;
  adapter: SourceAdapter;
  probes: Probe[];
  interval: number;
  timeout: number;
}

export interface PollOutcome {
  sourceId: string;
  result: SourceResult;
  startedAt: number;
  finishedAt: number;
}

interface Slot {
  src: PolledSource;
  timer?: TimerHandle;
  inFlight?: Promise<void>;
  again: boolean;
}

export class Poller {
  private slots = new Map<string, Slot>();
  private running = false;
  private ctrl = new AbortController();

  constructor(
    private readonly clock: Clock,
    sources: PolledSource[],
    private readonly onResult: (o: PollOutcome) => void,
  ) {
    for (const s of sources) this.slots.set(s.id, { src: s, again: false });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (const slot of this.slots.values()) void this.run(slot);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.ctrl.abort(new Error('shutting down'));
    for (const slot of this.slots.values()) this.clock.clearTimeout(slot.timer);
    await Promise.allSettled([...this.slots.values()].map((s) => s.inFlight));
    await Promise.allSettled([...this.slots.values()].map((s) => s.src.adapter.close?.()));
  }

  /** Reads every source now; an in-flight source reads again as soon as it finishes. */
  refresh(sourceId?: string): void {
    for (const slot of this.slots.values()) {
      if (sourceId && slot.src.id !== sourceId) continue;
      if (slot.inFlight) slot.again = true;
      else {
        this.clock.clearTimeout(slot.timer);
        void this.run(slot);
      }
    }
  }

  /** One read of every source in parallel, for `check`: resolves when all have answered or timed out. */
  async readAllOnce(): Promise<PollOutcome[]> {
    const out: PollOutcome[] = [];
    await Promise.all([...this.slots.values()].map(async (slot) => out.push(await this.readOne(slot.src))));
    return out;
  }

  /**
   * One read of `sourceId` with other probes (an action's verify): the same timeout, abort
   * and error handling as every poll; not given to the engine (these are not the gates' probes).
   */
  async readProbes(sourceId: string, probes: Probe[]): Promise<SourceResult | undefined> {
    const slot = this.slots.get(sourceId);
    if (!slot) return undefined;
    const o = await this.readOne({ ...slot.src, probes });
    return o.result;
  }

  private run(slot: Slot): Promise<void> {
    const started = this.clock.now();
    const p = this.readOne(slot.src).then((o) => {
      if (this.running) this.onResult(o);
    });
    slot.inFlight = p.finally(() => {
      slot.inFlight = undefined;
      if (!this.running) return;
      if (slot.again) {
        slot.again = false;
        void this.run(slot);
        return;
      }
      const wait = started + slot.src.interval - this.clock.now();
      // Overdue (the read took longer than the interval): go again now, once.
      if (wait <= 0) void this.run(slot);
      else slot.timer = this.clock.setTimeout(() => void this.run(slot), wait);
    });
    return slot.inFlight;
  }

  private async readOne(src: PolledSource): Promise<PollOutcome> {
    const startedAt = this.clock.now();
    const ctrl = new AbortController();
    let timer: TimerHandle | undefined;
    let onStop = () => {};
    // Settles on timeout or shutdown even if the adapter ignores its abort signal.
    const timedOut = new Promise<SourceResult>((resolve) => {
      onStop = () => {
        ctrl.abort(this.ctrl.signal.reason);
        resolve({ ok: false, error: 'stopped', readings: {} });
      };
      timer = this.clock.setTimeout(() => {
        ctrl.abort(new Error(`timed out after ${src.timeout} ms`));
        // One beat for the adapter to answer the abort with its own reason ("connection
        // refused"), which says more than the timeout alone.
        timer = this.clock.setTimeout(() => resolve({ ok: false, error: `timed out after ${fmtSeconds(src.timeout)}`, readings: {} }), 0);
      }, src.timeout);
    });
    this.ctrl.signal.addEventListener('abort', onStop, { once: true });
    let result: SourceResult;
    try {
      result = await Promise.race([
        src.adapter.read(src.probes, { clock: this.clock, signal: ctrl.signal }),
        timedOut,
      ]);
      if (ctrl.signal.aborted && !result.ok && result.error && /abort/i.test(result.error)) {
        // An adapter reporting our own abort: the timeout is the reason.
        result = { ...result, error: `timed out after ${fmtSeconds(src.timeout)}` };
      }
    } catch (err) {
      // An adapter should not throw, but a bug in one must not take the console down.
      result = { ok: false, error: `internal error in ${src.id}: ${err instanceof Error ? err.message : String(err)}`, readings: {} };
    } finally {
      this.clock.clearTimeout(timer);
      this.ctrl.signal.removeEventListener('abort', onStop);
    }
    return { sourceId: src.id, result, startedAt, finishedAt: this.clock.now() };
  }
}

function fmtSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
