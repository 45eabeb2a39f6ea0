/**
 * `warroom check --watch` (SPEC §9.4), after Argo Rollouts' `status --timeout`: evaluates every
 * `interval` until the verdict is GO (exit 0), until a non-GO verdict has held unchanged for
 * `failAfter` (exit 1 WARN, 2 NO-GO, as --strict), or until `timeout` (exit 124). Unlike a
 * repeated one-shot check it keeps the engine's gate memory and the latest readings across
 * rounds, so `for:` hysteresis and `stale_after` behave as in the console; the adapters (and a
 * feed's connection) live for the whole watch. Sign-offs are re-read every round.
 */
import { sleep, type Clock } from '../core/clock.js';
import type { Config } from '../config/types.js';
import type { CriterionStatus, Overall, Signoff, Waiver } from '../core/types.js';
import { toCriteria, type Criterion } from '../engine/criteria.js';
import { EvaluationWindow } from '../engine/window.js';
import type { GateMemory } from '../engine/gate.js';
import { probesBySource } from '../engine/probes.js';
import { Poller, type PolledSource } from '../runtime/poller.js';
import { createSource } from '../sources/index.js';
import { buildReport, type CheckReport } from './checkFormat.js';
import { strictExitCode } from './check.js';

export const WATCH_DEFAULTS = { intervalMs: 30_000, timeoutMs: 30 * 60_000 } as const;
export const EXIT_TIMEOUT = 124;

export interface WatchOptions {
  intervalMs: number;
  timeoutMs: number;
  /** A non-GO verdict unchanged this long ends the watch with its --strict code; absent: only the timeout ends it. */
  failAfterMs?: number;
}

export interface WatchAuthority {
  signoffs: Signoff[];
  waivers: Waiver[];
}

export interface WatchDeps {
  clock: Clock;
  /** Sign-offs and waivers as they stand now (check/authority.ts readAuthority), each round. */
  authority: (now: number) => Promise<WatchAuthority>;
  /** Aborting ends the watch at once; `reason.exitCode` (130 SIGINT, 143 SIGTERM) is its exit code. */
  signal?: AbortSignal;
  /** The polled sources; by default one adapter per configured source. */
  sources?: PolledSource[];
}

export interface GateChange {
  id: string;
  from: CriterionStatus | null;
  to: CriterionStatus;
  value: Criterion['value'];
  value_text?: string;
  threshold: string;
  reason: string;
}

export interface WatchChange {
  at: number;
  overall: Overall;
  previous: Overall | null;
  /** Gates whose light changed (every gate on the first round). */
  gates: GateChange[];
  report: CheckReport;
}

export type WatchEnd = 'go' | 'held' | 'timeout' | 'signal';

export interface WatchResult {
  exitCode: number;
  end: WatchEnd;
  /** The last evaluation (undefined only if stopped before the first one finished). */
  report?: CheckReport;
  /** How long the final verdict had held, ms. */
  heldMs: number;
}

export interface WatchHooks {
  /** Each change of the overall verdict or of any gate's light; not every round. */
  onChange?(change: WatchChange): void;
  /**
   * The notify seam (`--notify`): called once, with the final report and exit code, before
   * runWatch resolves. Notification sinks plug in here.
   */
  onVerdict?(report: CheckReport | undefined, exitCode: number, end: WatchEnd): void | Promise<void>;
}

/** Pure: the gates whose light differs from the previous round (all of them on the first). */
export function gateChanges(prev: readonly Criterion[] | undefined, next: readonly Criterion[]): GateChange[] {
  const before = new Map((prev ?? []).map((c) => [c.id, c.status]));
  return next
    .filter((c) => !prev || before.get(c.id) !== c.status)
    .map((c) => ({
      id: c.id,
      from: before.get(c.id) ?? null,
      to: c.status,
      value: c.value,
      ...(c.value_text ? { value_text: c.value_text } : {}),
      threshold: c.threshold,
      reason: c.reason,
    }));
}

/** Pure: whether the watch ends now, and how. GO ends it at once; a held non-GO after failAfter. */
export function watchVerdict(overall: Overall, heldMs: number, opts: Pick<WatchOptions, 'failAfterMs'>): { end: 'go' | 'held'; exitCode: number } | undefined {
  if (overall === 'GO') return { end: 'go', exitCode: 0 };
  if (opts.failAfterMs !== undefined && heldMs >= opts.failAfterMs) return { end: 'held', exitCode: strictExitCode(overall) };
  return undefined;
}

function defaultSources(config: Config, clock: Clock): PolledSource[] {
  const probes = probesBySource(config);
  return Object.values(config.sources).map((s) => ({
    id: s.id,
    // oneShot: a feed's first read waits for its keys (bounded by the source timeout), as check does.
    adapter: createSource(s, clock, { oneShot: true }),
    probes: probes[s.id] ?? [],
    interval: s.interval,
    timeout: s.timeout,
  }));
}

export async function runWatch(config: Config, opts: WatchOptions, deps: WatchDeps, hooks: WatchHooks = {}): Promise<WatchResult> {
  const { clock, signal } = deps;
  const poller = new Poller(clock, deps.sources ?? defaultSources(config, clock), () => {});
  const start = clock.now();
  const deadline = start + opts.timeoutMs;
  // Readings and source health persist across rounds: a source that fails keeps its last value,
  // which then ages past stale_after exactly as in the console.
  const window = new EvaluationWindow(config, {}, { repeatedLooks: true });
  let memory: Record<string, GateMemory> = {};
  let last: CheckReport | undefined;
  let hold: { overall: Overall; since: number } | undefined;
  const stopped = () => signal?.aborted === true;
  let stopping: Promise<void> | undefined;
  // Aborts reads in flight at once (SIGINT mid-read), and closes the adapters only once.
  const stopPoller = () => (stopping ??= poller.stop());
  const onAbort = () => void stopPoller();
  signal?.addEventListener('abort', onAbort, { once: true });
  const finish = async (end: WatchEnd, exitCode: number): Promise<WatchResult> => {
    signal?.removeEventListener('abort', onAbort);
    await stopPoller();
    const heldMs = hold ? clock.now() - hold.since : 0;
    await hooks.onVerdict?.(last, exitCode, end);
    return { exitCode, end, ...(last ? { report: last } : {}), heldMs };
  };
  const signalled = () => finish('signal', ((signal?.reason as { exitCode?: unknown } | undefined)?.exitCode as number | undefined) ?? 130);

  for (;;) {
    if (stopped()) return signalled();
    const authority = await deps.authority(clock.now());
    const outcomes = await poller.readAllOnce();
    if (stopped()) return signalled();
    for (const o of outcomes) window.ingest(o);
    const now = clock.now();
    const out = window.evaluate(now, authority, memory);
    memory = out.memory;
    const report = buildReport(config, now, out.overall, toCriteria(config.gates, out.results), out.sourceList);
    const changed = gateChanges(last?.criteria, report.criteria);
    const previous = last?.overall ?? null;
    if (!last || previous !== report.overall || changed.length > 0) hooks.onChange?.({ at: now, overall: report.overall, previous, gates: changed, report });
    last = report;
    if (!hold || hold.overall !== report.overall) hold = { overall: report.overall, since: now };

    const v = watchVerdict(report.overall, now - hold.since, opts);
    if (v) return finish(v.end, v.exitCode);
    if (now >= deadline) return finish('timeout', EXIT_TIMEOUT);
    // Wake for the next round, the deadline, or the moment the verdict has held long enough.
    const failAt = opts.failAfterMs !== undefined ? hold.since + opts.failAfterMs : Infinity;
    const wait = Math.max(0, Math.min(opts.intervalMs, deadline - now, failAt - now));
    try {
      await sleep(clock, wait, signal);
    } catch {
      return signalled();
    }
  }
}
