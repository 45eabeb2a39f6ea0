/**
 * The paced loop (the console's live loop): poll outcomes and ledger changes come in at any rate; the engine evaluates
 * and the store is written on the 1 s tick that ages data, and in between only when the last
 * write is at least `minGapMs` old (never sooner than `flushMs` after the change). Every store
 * write is a full-screen render (ink rasterises the whole frame: ~15–40 ms of CPU here), so
 * with sources polled at 1 s this keeps the screen at about one commit per second instead of
 * three (tick + scrape + feed source), whatever the feed does.
 */
import { every, type Clock, type TimerHandle } from '../core/clock.js';
import { Emitter } from '../core/emitter.js';
import type { Reading, Signoff, Waiver } from '../core/types.js';
import { EvaluationWindow } from '../engine/window.js';
import type { GateMemory } from '../engine/gate.js';
import { gateProbeId, INFLUENCE_PROBE } from '../engine/probes.js';
import { setAuditHealth, setBanner, EVENT_LIMIT, HISTORY_LIMIT, withEvents, type EventEntry, type FeedView, type WarroomStore } from '../store/store.js';
import type { PollOutcome } from './poller.js';
import { RampLoop } from './rampLoop.js';
import type { TriggerEffect } from '../ramp/triggers.js';
import { AuditWatch, auditLogEntry, CheckpointWatch, lightChanges, lightLogEntries, StageWatch, type LoopEvents } from './loopEvents.js';
import type { CheckpointAck } from '../ramp/timeline.js';

/** The tick skips its write when the last one is younger than this (half the tick). */
const TICK_SKIP_MS = 500;

export class PacedLoop {
  private readonly window: EvaluationWindow;
  private history: Record<string, number[]> = {};
  private memory: Record<string, GateMemory> = {};
  private signoffs: Signoff[] = [];
  private waivers: Waiver[] = [];
  private pendingEvents: Omit<EventEntry, 'id'>[] = [];
  private feeds: Record<string, FeedView> | undefined;
  private flushTimer: TimerHandle | undefined;
  private lastFlushAt = -Infinity;
  private stopTick: (() => void) | undefined;
  private readonly ramp: RampLoop;
  private readonly events = new Emitter<LoopEvents>();
  private readonly checkpoints = new CheckpointWatch();
  private readonly stages = new StageWatch();
  private readonly auditHealth = new AuditWatch();

  /**
   * `clock` is the engine's time (scaled in `demo --speed N`); `cadence` paces the store
   * writes and defaults to it (tests), but the console passes wall time so a fast demo clock
   * never means more renders.
   */
  constructor(
    private readonly store: WarroomStore,
    private readonly clock: Clock,
    private readonly flushMs = 250,
    private readonly cadence: Clock = clock,
    private readonly minGapMs = 1000,
  ) {
    this.window = new EvaluationWindow(store.getState().config, store.getState().sources, { repeatedLooks: true });
    this.ramp = new RampLoop(store.getState().config, clock.now());
  }

  /**
   * Typed events, emitted after the store write they belong to: `stage` (the ramp stage moved),
   * `gate` and `overall` (a light changed), `checkpoint` (due, missed), `triggers` (rollback-trigger
   * effects as they happen), `audit` (the audit trail's writes fail, or are saved again).
   */
  on<K extends keyof LoopEvents>(name: K, listener: (e: LoopEvents[K]) => void): () => void {
    return this.events.on(name, listener);
  }

  /**
   * The audit trail's health (the ledger's pending lines and last write error): written to the
   * store at once, so the header says it before the next evaluation; `audit` on each edge.
   */
  setAuditHealth(pending: number, error: string | undefined): void {
    setAuditHealth(this.store, pending, error);
    const e = this.auditHealth.step(this.clock.now(), pending, error);
    if (!e) return;
    this.event(auditLogEntry(e));
    this.events.emit('audit', e);
  }

  setCheckpointAcks(acks: CheckpointAck[]): void {
    this.ramp.setAcks(acks);
    this.schedule();
  }

  /** Cancels the soonest armed auto-rollback; false when none is armed. */
  cancelArmedTrigger(): boolean {
    const step = this.ramp.cancel(this.clock.now());
    setBanner(this.store, step.banner);
    this.emitTriggers(step.effects);
    return step.effects.length > 0;
  }

  private emitTriggers(effects: TriggerEffect[]): void {
    if (effects.length === 0) return;
    this.events.emit('triggers', effects);
  }

  start(): void {
    this.flush();
    this.stopTick = every(this.cadence, 1000, () => {
      // A data write just happened (it was due at about this tick): this tick has nothing new to show.
      if (this.cadence.now() - this.lastFlushAt >= TICK_SKIP_MS) this.flush();
    });
  }

  stop(): void {
    this.stopTick?.();
    this.cadence.clearTimeout(this.flushTimer);
  }

  ingest(o: PollOutcome): void {
    for (const [probeId, r] of Object.entries(o.result.readings)) this.remember(probeId, r);
    const { before: prev, after: h } = this.window.ingest(o);
    if (prev?.state !== h.state && prev?.state !== 'pending' && prev) {
      this.pendingEvents.push({
        at: o.finishedAt,
        kind: 'system',
        level: h.state === 'up' ? 'ok' : 'error',
        text: h.state === 'up' ? `source ${o.sourceId} is up again` : `source ${o.sourceId} down: ${h.error ?? 'no answer'}`,
      });
    }
    this.schedule();
  }

  /** A gate's value history (the detail's sparkline): each new finite value, once. */
  private remember(probeId: string, r: Reading): void {
    if (!probeId.startsWith('gate:') || typeof r.value !== 'number' || !Number.isFinite(r.value) || r.error) return;
    const before = this.window.reading(probeId);
    if (before?.observedAt === r.observedAt && before?.value === r.value) return;
    const gid = probeId.slice(5);
    const hist = (this.history[gid] ?? []).concat(r.value);
    this.history[gid] = hist.length > HISTORY_LIMIT ? hist.slice(-HISTORY_LIMIT) : hist;
  }

  /**
   * Sign-offs and waivers change at a human's pace (an act here or in the room), and the room
   * waits on seeing them: written `flushMs` after the change, not held back to the minimum gap.
   */
  setAuthority(signoffs: Signoff[], waivers: Waiver[]): void {
    const changed = JSON.stringify([signoffs, waivers]) !== JSON.stringify([this.signoffs, this.waivers]);
    this.signoffs = signoffs;
    this.waivers = waivers;
    this.schedule(changed);
  }

  event(e: Omit<EventEntry, 'id' | 'at'> & { at?: number }): void {
    this.pendingEvents.push({ ...e, at: e.at ?? this.clock.now() });
    // The log keeps the newest EVENT_LIMIT lines, so older pending ones would be dropped at the
    // write anyway; dropping them now keeps a feed storm from piling objects up between writes.
    if (this.pendingEvents.length >= 2 * EVENT_LIMIT) this.pendingEvents = this.pendingEvents.slice(-EVENT_LIMIT);
    this.schedule();
  }

  /**
   * A feed's health and counts, written with the next store write: during a flood or a storm
   * of dropped frames they change per frame, and a store write per frame is a render per frame.
   */
  setFeed(view: FeedView): void {
    this.feeds = { ...(this.feeds ?? this.store.getState().feeds), [view.sourceId]: view };
    this.schedule();
  }

  private schedule(soon = false): void {
    const now = this.cadence.now();
    const at = now + (soon ? this.flushMs : Math.max(this.flushMs, this.lastFlushAt + this.minGapMs - now));
    if (this.flushTimer && this.flushDueAt <= at) return;
    this.cadence.clearTimeout(this.flushTimer);
    this.flushDueAt = at;
    this.flushTimer = this.cadence.setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, at - now);
  }
  private flushDueAt = Infinity;

  /** Evaluates everything and writes the store once. */
  flush(): void {
    const now = this.clock.now();
    // Whatever was waiting is in this write.
    this.cadence.clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.lastFlushAt = this.cadence.now();
    const state = this.store.getState();
    const cfg = state.config;
    const out = this.window.evaluate(now, { signoffs: this.signoffs, waivers: this.waivers }, this.memory);
    this.memory = out.memory;
    const events = this.pendingEvents;
    this.pendingEvents = [];
    const lights = lightChanges(now, cfg.gates, { gates: state.gates, overall: state.overall.overall }, { gates: out.results, overall: out.overall.overall });
    events.push(...lightLogEntries(lights.gates, lights.overall));
    const inf = this.window.reading(INFLUENCE_PROBE);
    const influence: typeof state.influence = {};
    if (inf) {
      const fresh = now - inf.observedAt <= (cfg.influence ? cfg.sources[cfg.influence.source]?.staleAfter ?? 30_000 : 30_000);
      if (typeof inf.value === 'number' && Number.isFinite(inf.value) && !inf.error) influence.pct = inf.value;
      influence.observedAt = inf.observedAt;
      if (inf.error) influence.error = inf.error;
      else if (!fresh) influence.error = 'stale';
    }
    const rampStep = this.ramp.step(now, out.results, { ...(influence.pct !== undefined && !influence.error ? { pct: influence.pct } : {}), ...(inf ? { at: inf.observedAt } : {}) });
    const rampPatch = rampStep.view ? { ramp: rampStep.view } : {};
    this.store.setState({
      ...rampPatch,
      banner: rampStep.banner,
      now,
      readings: this.window.allReadings(),
      history: { ...this.history },
      gates: out.results,
      overall: out.overall,
      sources: out.sources,
      influence,
      signoffs: this.signoffs,
      waivers: this.waivers,
      events: withEvents(state.events, events),
      ...(this.feeds ? { feeds: this.feeds } : {}),
    });
    this.feeds = undefined;
    // The stage first, so a light that changed with the move is told in the stage it happened in.
    const moved = this.stages.step(now, rampStep.view);
    if (moved) this.events.emit('stage', moved);
    for (const e of lights.gates) this.events.emit('gate', e);
    if (lights.overall) this.events.emit('overall', lights.overall);
    for (const e of this.checkpoints.step(now, rampStep.view)) this.events.emit('checkpoint', e);
    this.emitTriggers(rampStep.effects);
  }

  readingFor(gateId: string): Reading | undefined {
    return this.window.reading(gateProbeId(gateId));
  }
}
