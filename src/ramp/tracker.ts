/**
 * Where the deployment window stands on its ramp, derived from the OBSERVED influence
 * metric. Our own last command is not trusted: an action may fail, another console may
 * act, an operator may use the control API directly — the metric is the truth.
 *
 * Pure: no I/O, no timers; time comes in as `at`/`now` (ms epoch).
 */
import type { RampConfig } from '../config/types.js';

export interface RampMemory {
  /** When the ramp started (first influence > 0, or the configured start time). */
  startedAt?: number;
  /** Index into cfg.stages; -1 = not started, or no stage because influence is 0. */
  stageIndex: number;
  /** When the current stageIndex was entered (also when influence fell to 0). */
  stageEnteredAt?: number;
  /** The last influence observed, percent. */
  lastInfluence?: number;
  /**
   * True once influence > 0 was observed in this window. Lets the view tell "rolled back"
   * (was live, now 0) apart from "scheduled start passed but nobody ramped yet".
   */
  everLive?: boolean;
}

export function initialRamp(cfg: RampConfig, now: number): RampMemory {
  void now; // kept in the signature so callers need not special-case the start mode
  if (typeof cfg.start === 'number' && Number.isFinite(cfg.start)) {
    // A scheduled start is the plan of record: checkpoints count from it even before
    // the first influence reading arrives.
    return { startedAt: cfg.start, stageIndex: cfg.stages.length > 0 ? 0 : -1, stageEnteredAt: cfg.start };
  }
  return { stageIndex: -1 };
}

/**
 * The stage an influence level belongs to: the highest stage whose influence ≤ pct.
 * Any pct > 0 is at least stage 0 (a partial first step is still the first stage);
 * 0 is no stage (-1).
 */
export function stageForInfluence(cfg: RampConfig, pct: number): number {
  if (!(pct > 0) || cfg.stages.length === 0) return -1;
  let idx = 0;
  cfg.stages.forEach((s, i) => {
    if (s.influence <= pct) idx = i;
  });
  return idx;
}

export function observeInfluence(cfg: RampConfig, mem: RampMemory, pct: number, at: number): RampMemory {
  // A reading we cannot interpret tells us nothing about the stage: keep what we know
  // rather than guess (the header shows the bad reading; triggers treat it as live).
  if (typeof pct !== 'number' || !Number.isFinite(pct) || pct < 0 || !Number.isFinite(at)) return mem;

  const live = pct > 0;
  const next: RampMemory = { ...mem, lastInfluence: pct, everLive: mem.everLive || live };

  if (next.startedAt === undefined) {
    if (!live) return { ...next, stageIndex: -1 };
    next.startedAt = at;
  } else if (at < next.startedAt) {
    // Before a scheduled start: 0 is the expected state and changes nothing. Influence
    // already above 0 means the ramp really began earlier than planned.
    if (!live) return next;
    next.startedAt = at;
    next.stageIndex = -1; // force "entered now" below
  }

  const stage = stageForInfluence(cfg, pct);
  if (stage !== next.stageIndex || next.stageEnteredAt === undefined) {
    next.stageIndex = stage;
    next.stageEnteredAt = at;
  }
  return next;
}
