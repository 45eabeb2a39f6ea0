/**
 * The simulated system: every metric is a pure function of the recorded inputs (scenario
 * switches and control actions, each stamped with clock time) and the time asked about.
 * Nothing here schedules timers, so tests drive it with a FakeClock or plain numbers.
 */
import type { Clock } from '../core/clock.js';
import {
  HEALTHY_SERVICE,
  TRACK_NOISE,
  LATENCY_BUCKETS,
  SCENARIO_DEFS,
  isScenario,
  unknownScenario,
  type AlertDef,
  type ScenarioDef,
  type ScenarioName,
  type ServiceProfile,
} from './scenarios.js';

/** Simulated request throughput; constant so counters are easy to reason about. */
export const REQUESTS_PER_SECOND = 40;
/** Cost model: a base per request plus a share that grows with the policy's influence. */
const COST_PER_REQUEST = 0.0002;
const COST_PER_REQUEST_PER_PCT = 0.00001;
const MAX_IDEMPOTENCY_KEYS = 1000;

export interface LatencySnapshot {
  /** [upper bound, cumulative count]; the last is +Inf. */
  buckets: Array<[number, number]>;
  sum: number;
  count: number;
}

export interface SimSnapshot {
  at: number;
  scenario: ScenarioName;
  scenarioElapsedMs: number;
  influencePct: number;
  killswitchEngaged: boolean;
  entropyLive: number;
  entropyShadow: number;
  qSpread: number;
  errorRatio: number;
  p99Seconds: number;
  requestsOk: number;
  requestsError: number;
  latency: LatencySnapshot;
  costUsd: number;
  pageAlertsFiring: number;
  alerts: AlertDef[];
  /** Canary scenarios: p99 seconds per `track` label. */
  tracks?: { canary: number; stable: number };
}

export type ControlRequest =
  | { kind: 'kill'; enabled: boolean; actor?: string; reason?: string; idempotencyKey?: string }
  | { kind: 'set'; pct: number; actor?: string; reason?: string; idempotencyKey?: string };

/** A change to influence / kill-switch that takes effect at `effectiveAt`. */
export interface InfluenceChange {
  seq: number;
  kind: 'kill' | 'set';
  effectiveAt: number;
  /** New influence, or undefined when the change leaves it (kill-switch disengage). */
  pct?: number;
  engaged?: boolean;
  actor: string;
  reason?: string;
}

export interface ControlOutcome {
  /** False when the idempotency key was seen before: nothing new was applied. */
  applied: boolean;
  idempotencyKey: string;
  status: number;
  body: Record<string, unknown>;
  receivedAt: number;
  /** When the API should answer (after the scenario's control delay). */
  respondAt: number;
  change: InfluenceChange;
}

interface Segment {
  name: ScenarioName;
  start: number;
}

/** Deterministic noise in [-1, 1) for (seed, channel, whole second): stable across calls. */
export function noise(seed: number, channel: number, second: number): number {
  let t = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(channel | 0, 0x85ebca6b) ^ Math.imul(second | 0, 0xc2b2ae35)) | 0;
  // mulberry32 finaliser
  t = (t + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
}

const round = (v: number, digits: number) => Number(v.toFixed(digits));

export class SimModel {
  readonly startedAt: number;
  readonly seed: number;
  private readonly clock: Clock;
  private readonly segments: Segment[] = [];
  private readonly changes: InfluenceChange[] = [];
  private readonly outcomes = new Map<string, ControlOutcome>();
  private changeSeq = 0;
  private keySeq = 0;

  constructor(opts: { clock: Clock; scenario?: string; seed?: number }) {
    this.clock = opts.clock;
    this.seed = opts.seed ?? 42;
    this.startedAt = this.clock.now();
    const name = opts.scenario ?? 'healthy';
    if (!isScenario(name)) throw unknownScenario(name);
    this.segments.push({ name, start: this.startedAt });
  }

  now(): number {
    return this.clock.now();
  }

  scenario(): ScenarioName {
    return this.segments[this.segments.length - 1]!.name;
  }

  def(): ScenarioDef {
    return SCENARIO_DEFS[this.scenario()];
  }

  scenarioStartedAt(): number {
    return this.segments[this.segments.length - 1]!.start;
  }

  /** Switches scenario now; its own timeline (e.g. "after 10 s") starts from this moment. */
  setScenario(name: string): ScenarioName {
    if (!isScenario(name)) throw unknownScenario(name);
    this.segments.push({ name, start: Math.max(this.clock.now(), this.scenarioStartedAt()) });
    return name;
  }

  /** Absolute times at which the current scenario's alerts change (for the server's timers). */
  alertTransitions(): number[] {
    const start = this.scenarioStartedAt();
    return this.def().alerts.map((a) => start + a.from);
  }

  /**
   * Records a control action. A repeated idempotency key (per kind) returns the first outcome
   * with `applied: false` and changes nothing.
   */
  control(req: ControlRequest): ControlOutcome {
    const at = this.clock.now();
    const scope = req.kind;
    if (req.idempotencyKey !== undefined) {
      const prev = this.outcomes.get(`${scope}:${req.idempotencyKey}`);
      if (prev) return { ...prev, applied: false };
    }
    const key = req.idempotencyKey ?? `sim-${this.startedAt.toString(36)}-${++this.keySeq}`;
    const def = this.def();
    const respondAt = at + def.controlDelayMs;
    const actor = req.actor ?? 'control-api';
    let change: InfluenceChange;
    let status: number;
    let body: Record<string, unknown>;
    if (req.kind === 'kill') {
      change = {
        seq: ++this.changeSeq,
        kind: 'kill',
        effectiveAt: respondAt + def.killMoveMs,
        ...(req.enabled ? { pct: 0 } : {}),
        engaged: req.enabled,
        actor,
        ...(req.reason !== undefined ? { reason: req.reason } : {}),
      };
      status = 200;
      body = req.enabled
        ? { ok: true, influence_pct: 0, idempotency_key: key }
        : { ok: true, killswitch_engaged: false, idempotency_key: key };
    } else {
      change = {
        seq: ++this.changeSeq,
        kind: 'set',
        effectiveAt: respondAt + def.setMoveMs,
        pct: req.pct,
        // raising influence is a deliberate re-enable, so it releases the kill-switch
        ...(req.pct > 0 ? { engaged: false } : {}),
        actor,
        ...(req.reason !== undefined ? { reason: req.reason } : {}),
      };
      status = 202;
      body = { ok: true, accepted: true, target_pct: req.pct, effective_in_ms: def.setMoveMs, idempotency_key: key };
    }
    this.changes.push(change);
    const outcome: ControlOutcome = { applied: true, idempotencyKey: key, status, body, receivedAt: at, respondAt, change };
    this.outcomes.set(`${scope}:${key}`, outcome);
    if (this.outcomes.size > MAX_IDEMPOTENCY_KEYS) {
      this.outcomes.delete(this.outcomes.keys().next().value!);
    }
    return outcome;
  }

  /** Changes in the order they take effect (ties: the one received first applies first). */
  private orderedChanges(): InfluenceChange[] {
    return [...this.changes].sort((a, b) => a.effectiveAt - b.effectiveAt || a.seq - b.seq);
  }

  /** Influence and kill-switch state at `t`. */
  controlStateAt(t: number): { influencePct: number; engaged: boolean } {
    let influencePct = 0;
    let engaged = false;
    for (const c of this.orderedChanges()) {
      if (c.effectiveAt > t) break;
      if (c.pct !== undefined) influencePct = c.pct;
      if (c.engaged !== undefined) engaged = c.engaged;
    }
    return { influencePct, engaged };
  }

  influenceAt(t = this.clock.now()): number {
    return this.controlStateAt(t).influencePct;
  }

  private segmentAt(t: number): { seg: Segment; end: number } {
    let i = this.segments.length - 1;
    while (i > 0 && this.segments[i]!.start > t) i--;
    const seg = this.segments[i]!;
    const next = this.segments[i + 1];
    return { seg, end: next ? next.start : Infinity };
  }

  private serviceAt(seg: Segment, e: number): ServiceProfile {
    let p = SCENARIO_DEFS[seg.name].service[0]!.profile;
    for (const ph of SCENARIO_DEFS[seg.name].service) if (e >= ph.from) p = ph.profile;
    return p;
  }

  /** Piecewise-constant service phases over [startedAt, t], for the counters. */
  private servicePieces(t: number): Array<{ seconds: number; profile: ServiceProfile }> {
    const out: Array<{ seconds: number; profile: ServiceProfile }> = [];
    for (let i = 0; i < this.segments.length; i++) {
      const seg = this.segments[i]!;
      if (seg.start >= t) break;
      const end = Math.min(t, this.segments[i + 1]?.start ?? Infinity);
      const phases = SCENARIO_DEFS[seg.name].service;
      for (let j = 0; j < phases.length; j++) {
        const from = seg.start + phases[j]!.from;
        const to = Math.min(end, j + 1 < phases.length ? seg.start + phases[j + 1]!.from : Infinity);
        if (to > from) out.push({ seconds: (to - from) / 1000, profile: phases[j]!.profile });
      }
    }
    return out;
  }

  /** ∫ influence dt over [startedAt, t], in pct·seconds, for the cost counter. */
  private influenceSeconds(t: number): number {
    let total = 0;
    let pct = 0;
    let from = this.startedAt;
    for (const c of this.orderedChanges()) {
      if (c.effectiveAt >= t) break;
      if (c.pct === undefined) continue;
      const at = Math.max(from, c.effectiveAt);
      total += (pct * (at - from)) / 1000;
      from = at;
      pct = c.pct;
    }
    return total + (pct * Math.max(0, t - from)) / 1000;
  }

  snapshot(t = this.clock.now()): SimSnapshot {
    const { seg } = this.segmentAt(t);
    const def = SCENARIO_DEFS[seg.name];
    const e = Math.max(0, t - seg.start);
    const second = Math.floor((t - this.startedAt) / 1000);
    const n = (channel: number) => noise(this.seed, channel, second);
    const service = this.serviceAt(seg, e);
    const { influencePct, engaged } = this.controlStateAt(t);

    // Counters: integrate the piecewise phases, then floor (monotonic, integer-valued).
    let total = 0;
    let errors = 0;
    let latencySum = 0;
    const bucketTotals = LATENCY_BUCKETS.map(() => 0);
    for (const piece of this.servicePieces(t)) {
      const reqs = REQUESTS_PER_SECOND * piece.seconds;
      total += reqs;
      errors += reqs * piece.profile.errorRatio;
      latencySum += reqs * piece.profile.meanLatency;
      piece.profile.bucketFractions.forEach((f, i) => (bucketTotals[i]! += reqs * f));
    }
    const count = Math.floor(total);
    const requestsError = Math.floor(errors);
    const buckets: Array<[number, number]> = LATENCY_BUCKETS.map((le, i) => [le, Math.min(count, Math.floor(bucketTotals[i]!))]);
    buckets.push([Infinity, count]);
    const costUsd = total * COST_PER_REQUEST + REQUESTS_PER_SECOND * COST_PER_REQUEST_PER_PCT * this.influenceSeconds(t);

    const alerts = def.alerts.filter((a) => e >= a.from).map((a) => a.alert);
    return {
      at: t,
      scenario: seg.name,
      scenarioElapsedMs: e,
      influencePct,
      killswitchEngaged: engaged,
      entropyLive: round(def.entropy(e) + 0.01 * n(1), 4),
      entropyShadow: round(0.95 + 0.01 * n(2), 4),
      qSpread: round(def.qSpread(e) + 0.05 * n(3), 4),
      errorRatio: round(Math.max(0, service.errorRatio * (1 + 0.05 * n(4))), 5),
      p99Seconds: round(Math.max(0.001, service.p99 + 0.01 * n(5)), 4),
      requestsOk: count - requestsError,
      requestsError,
      latency: { buckets, sum: round(latencySum, 3), count },
      costUsd: round(costUsd, 6),
      pageAlertsFiring: alerts.filter((a) => a.severity === 'page').length,
      alerts,
      ...(def.tracks
        ? { tracks: {
            canary: round(HEALTHY_SERVICE.p99 * def.tracks.canary(e) * (1 + TRACK_NOISE * n(6)), 4),
            stable: round(HEALTHY_SERVICE.p99 * def.tracks.stable(e) * (1 + TRACK_NOISE * n(7)), 4),
          } }
        : {}),
    };
  }
}
