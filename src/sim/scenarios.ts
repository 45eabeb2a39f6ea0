/**
 * Scenario definitions for the simulator: plain data plus small curves of "time since the
 * scenario started". Kept apart from the model so the numbers are easy to read and tune.
 */

export const SCENARIOS = ['healthy', 'entropy-collapse', 'page-alert', 'feed-flap', 'slow-control', 'canary-healthy', 'canary-regression'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export function isScenario(name: unknown): name is ScenarioName {
  return typeof name === 'string' && (SCENARIOS as readonly string[]).includes(name);
}

/** The error for a bad name always lists the valid ones, so the user can fix it at once. */
export function unknownScenario(name: unknown): Error {
  return new Error(`unknown scenario "${String(name)}"; valid scenarios: ${SCENARIOS.join(', ')}`);
}

/** Upper bounds (seconds) of the request_latency_seconds histogram, +Inf implied. */
export const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5] as const;

export interface ServiceProfile {
  errorRatio: number;
  /** Cumulative fraction of requests at or under each LATENCY_BUCKETS bound. */
  bucketFractions: readonly number[];
  meanLatency: number;
  p99: number;
}

/**
 * Fractions chosen so that histogram_quantile(0.99, …) lands near `p99`
 * (healthy: 0.1 + (0.99-0.98)/(0.9988-0.98)·0.15 ≈ 0.18 s).
 */
export const HEALTHY_SERVICE: ServiceProfile = {
  errorRatio: 0.002,
  bucketFractions: [0.6, 0.98, 0.9988, 0.9998, 1, 1],
  meanLatency: 0.055,
  p99: 0.18,
};
export const DEGRADED_SERVICE: ServiceProfile = {
  errorRatio: 0.06,
  bucketFractions: [0.35, 0.75, 0.93, 0.995, 0.999, 1],
  meanLatency: 0.12,
  p99: 0.45,
};

export interface AlertDef {
  id: string;
  severity: string;
  summary: string;
}

export interface ScenarioDef {
  /** How long the control API takes to answer, sim ms. */
  controlDelayMs: number;
  /** How long after the answer a kill-switch / influence change takes effect, sim ms. */
  killMoveMs: number;
  setMoveMs: number;
  /** Step function of service health: each phase holds from `from` (ms into the scenario). */
  service: ReadonlyArray<{ from: number; profile: ServiceProfile }>;
  /** Alerts firing from `from` ms into the scenario until the scenario ends. */
  alerts: ReadonlyArray<{ from: number; alert: AlertDef }>;
  /** Noise-free live entropy and q-value spread at `e` ms into the scenario. */
  entropy(e: number): number;
  qSpread(e: number): number;
  /** feed-flap: the WS server drops every client this often (wall ms). */
  flapsFeed: boolean;
  /**
   * Canary scenarios: p99 latency of the canary and the stable track, as factors of the healthy p99 at `e` ms
   * (each sample also gets its own noise). Absent: no `track` series are served.
   */
  tracks?: { canary(e: number): number; stable(e: number): number };
}

/** Per-sample noise of the track series, as a share of their level (uniform, ±). */
export const TRACK_NOISE = 0.1;
/** canary-regression: the canary's p99 is this much worse from REGRESSION_AT into the scenario. */
export const REGRESSION_FACTOR = 1.25;
export const REGRESSION_AT = 60_000;

const HEALTHY_ENTROPY = 0.93;
const HEALTHY_Q_SPREAD = 1.5;

const flat = (v: number) => () => v;

/** Linear from `a` to `b` between `t0` and `t1`, flat outside. */
function ramp(a: number, b: number, t0: number, t1: number): (e: number) => number {
  return (e) => (e <= t0 ? a : e >= t1 ? b : a + ((b - a) * (e - t0)) / (t1 - t0));
}

const base: ScenarioDef = {
  controlDelayMs: 0,
  killMoveMs: 500,
  setMoveMs: 1000,
  service: [{ from: 0, profile: HEALTHY_SERVICE }],
  alerts: [],
  entropy: flat(HEALTHY_ENTROPY),
  qSpread: flat(HEALTHY_Q_SPREAD),
  flapsFeed: false,
};

export const PAGE_ALERT: AlertDef = { id: 'a-17', severity: 'page', summary: 'checkout error budget burn' };

export const SCENARIO_DEFS: Record<ScenarioName, ScenarioDef> = {
  healthy: base,
  'entropy-collapse': {
    ...base,
    // healthy for 20 s, then a linear fall over 40 s
    entropy: ramp(HEALTHY_ENTROPY, 0.55, 20_000, 60_000),
    qSpread: ramp(HEALTHY_Q_SPREAD, 4.5, 20_000, 60_000),
  },
  'page-alert': {
    ...base,
    service: [
      { from: 0, profile: HEALTHY_SERVICE },
      { from: 10_000, profile: DEGRADED_SERVICE },
    ],
    alerts: [{ from: 10_000, alert: PAGE_ALERT }],
  },
  'feed-flap': { ...base, flapsFeed: true },
  'slow-control': { ...base, controlDelayMs: 4000, killMoveMs: 15_000, setMoveMs: 15_000 },
  // Canary and baseline from one distribution: a compare gate must not cry wolf.
  'canary-healthy': { ...base, tracks: { canary: flat(1), stable: flat(1) } },
  // The canary's p99 steps up by 25 % a minute in: a compare gate must FAIL soon after.
  'canary-regression': { ...base, tracks: { canary: (e) => (e >= REGRESSION_AT ? REGRESSION_FACTOR : 1), stable: flat(1) } },
};
