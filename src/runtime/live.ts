/**
 * The live loop: poll outcomes and ledger changes come in at any rate; the engine evaluates
 * and the store is written on the 1 s tick that ages data, and in between only when the last
 * write is at least `minGapMs` old (never sooner than `flushMs` after the change). Every store
 * write is a full-screen render (ink rasterises the whole frame: ~15–40 ms of CPU here), so
 * with sources polled at 1 s this keeps the screen at about one commit per second instead of
 * three (tick + scrape + feed source), whatever the feed does.
 */
import { every, type Clock, type TimerHandle } from '../core/clock.js';
import { Emitter } from '../core/emitter.js';
import type { Reading, Signoff, SourceHealth, Waiver } from '../core/types.js';
import { LIGHT_WORD } from '../core/status.js';
import { evaluateAll } from '../engine/evaluate.js';
import type { GateMemory } from '../engine/gate.js';
import { gateProbeId, INFLUENCE_PROBE } from '../engine/probes.js';
import { setBanner, EVENT_LIMIT, HISTORY_LIMIT, withEvents, type EventEntry, type FeedView, type WarroomStore } from '../store/store.js';
import type { PollOutcome } from './poller.js';
import { RampLoop } from './rampLoop.js';
import type { TriggerEffect } from '../ramp/triggers.js';
import type { CheckpointAck } from '../ramp/timeline.js';

/** The tick skips its write when the last one is younger than this (half the tick). */
const TICK_SKIP_MS = 500;

export class LiveEngine {
  private readings: Record<string, Reading> = {};
  private health: Record<string, SourceHealth>;
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
  private readonly events = new Emitter<{ triggers: TriggerEffect[] }>();

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
    this.health = { ...store.getState().sources };
    this.ramp = new RampLoop(store.getState().config, clock.now());
  }

  /** Trigger effects (raise, arm, fire, cancel, clear) as they happen, for the console to act on. */
  on(name: 'triggers', listener: (e: TriggerEffect[]) => void): () => void {
    return this.events.on(name, listener);
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
    const prev = this.health[o.sourceId];
    const h: SourceHealth = { id: o.sourceId, type: prev?.type ?? '?', state: o.result.ok ? 'up' : 'down', lastAttempt: o.finishedAt };
    const lastSuccess = o.result.ok ? o.finishedAt : prev?.lastSuccess;
    if (lastSuccess !== undefined) h.lastSuccess = lastSuccess;
    if (o.result.error) h.error = o.result.error;
    if (prev?.state !== h.state && prev?.state !== 'pending' && prev) {
      this.pendingEvents.push({
        at: o.finishedAt,
        kind: 'system',
        level: h.state === 'up' ? 'ok' : 'error',
        text: h.state === 'up' ? `source ${o.sourceId} is up again` : `source ${o.sourceId} down: ${h.error ?? 'no answer'}`,
      });
    }
    this.health[o.sourceId] = h;
    for (const [probeId, r] of Object.entries(o.result.readings)) {
      const before = this.readings[probeId];
      this.readings[probeId] = r;
      if (probeId.startsWith('gate:') && typeof r.value === 'number' && Number.isFinite(r.value) && !r.error) {
        if (before?.observedAt !== r.observedAt || before?.value !== r.value) {
          const gid = probeId.slice(5);
          const hist = (this.history[gid] ?? []).concat(r.value);
          this.history[gid] = hist.length > HISTORY_LIMIT ? hist.slice(-HISTORY_LIMIT) : hist;
        }
      }
    }
    this.schedule();
  }

  setAuthority(signoffs: Signoff[], waivers: Waiver[]): void {
    this.signoffs = signoffs;
    this.waivers = waivers;
    this.schedule();
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

  private schedule(): void {
    if (this.flushTimer) return;
    const wait = Math.max(this.flushMs, this.lastFlushAt + this.minGapMs - this.cadence.now());
    this.flushTimer = this.cadence.setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, wait);
  }

  /** Evaluates everything and writes the store once. */
  flush(): void {
    const now = this.clock.now();
    // Whatever was waiting is in this write.
    this.cadence.clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.lastFlushAt = this.cadence.now();
    const state = this.store.getState();
    const cfg = state.config;
    const sourceErrors: Record<string, string> = {};
    for (const [id, h] of Object.entries(this.health)) if (h.state === 'down') sourceErrors[id] = h.error ?? 'no answer';
    const out = evaluateAll(cfg, { now, readings: this.readings, signoffs: this.signoffs, waivers: this.waivers, sourceErrors, repeatedLooks: true }, this.memory);
    this.memory = out.memory;
    const events = this.pendingEvents;
    this.pendingEvents = [];
    for (const g of cfg.gates) {
      const before = state.gates[g.id];
      const after = out.results[g.id]!;
      if (before && before.status !== after.status) {
        events.push({
          at: now,
          kind: 'gate',
          level: after.status === 'FAIL' ? 'error' : after.status === 'PASS' || after.status === 'WAIVED' ? 'ok' : 'warn',
          text: `${g.title}: ${LIGHT_WORD[before.status]} → ${LIGHT_WORD[after.status]} (${after.reason})`,
        });
      }
    }
    if (state.overall.overall !== out.overall.overall && Object.keys(state.gates).length > 0) {
      events.push({ at: now, kind: 'gate', level: out.overall.overall === 'GO' ? 'ok' : out.overall.overall === 'WARN' ? 'warn' : 'error', text: `overall ${state.overall.overall} → ${out.overall.overall}` });
    }
    const sources: Record<string, SourceHealth> = {};
    for (const [id, h] of Object.entries(this.health)) {
      const src = cfg.sources[id];
      const stale = h.state === 'up' && src && h.lastSuccess !== undefined && now - h.lastSuccess > src.staleAfter;
      sources[id] = stale ? { ...h, state: 'stale' } : h;
    }
    const inf = this.readings[INFLUENCE_PROBE];
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
      readings: { ...this.readings },
      history: { ...this.history },
      gates: out.results,
      overall: out.overall,
      sources,
      influence,
      signoffs: this.signoffs,
      waivers: this.waivers,
      events: withEvents(state.events, events),
      ...(this.feeds ? { feeds: this.feeds } : {}),
    });
    this.feeds = undefined;
    this.emitTriggers(rampStep.effects);
  }

  readingFor(gateId: string): Reading | undefined {
    return this.readings[gateProbeId(gateId)];
  }
}
