/**
 * The ramp timeline as the console shows it: T+ elapsed, the current stage and its hold,
 * and each checkpoint's state (upcoming → due → acknowledged, or missed).
 *
 * Pure: no I/O, no timers; `now` is an argument.
 */
import type { CheckpointConfig, RampConfig } from '../config/types.js';
import type { RampMemory } from './tracker.js';

export interface CheckpointAck {
  stage: number;
  offsetMs: number;
  actor: string;
  at: number;
}
export type CheckpointState = 'upcoming' | 'due' | 'acknowledged' | 'missed';
export interface CheckpointView {
  stage: number;
  offsetMs: number;
  label: string;
  dueAt?: number;
  state: CheckpointState;
  /** Until due, when upcoming with a known dueAt. */
  countdownMs?: number;
  /** Since due, when due or missed. */
  overdueMs?: number;
  ack?: CheckpointAck;
}
export interface RampView {
  started: boolean;
  /** Influence was live in this window and is now 0 (kill-switch or rollback). */
  rolledBack: boolean;
  /** T+ since the ramp start; 0 before. */
  elapsedMs: number;
  stageIndex: number;
  /** Time in the current stage (or since influence fell to 0 when stageIndex is -1). */
  stageElapsedMs: number;
  /** Hold left in the current stage (0 once complete); absent when not in a stage. */
  stageRemainingMs?: number;
  holdComplete: boolean;
  nextStage?: { index: number; influence: number };
  /** Of the current stage; all stages' (upcoming, no dueAt) when not in a stage. */
  checkpoints: CheckpointView[];
  /** The checkpoint currently due and unacknowledged (at most one per stage, see below). */
  due?: CheckpointView;
  /** The next upcoming checkpoint. */
  next?: CheckpointView;
  /** Scheduled start still in the future: time until it. */
  startsInMs?: number;
}

/** `T+00:31:05` (hours not capped); `T-00:05:00` before the start. */
export function formatT(ms: number): string {
  if (!Number.isFinite(ms)) return 'T+--:--:--';
  const sign = ms < 0 ? '-' : '+';
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const p = (n: number): string => String(n).padStart(2, '0');
  return `T${sign}${p(h)}:${p(m)}:${p(s)}`;
}

/** `T+30`, `T+120` in minutes; offsets that are not whole minutes in seconds (`T+90s`). */
export function checkpointLabel(offsetMs: number): string {
  if (offsetMs % 60_000 === 0) return `T+${offsetMs / 60_000}`;
  return `T+${Math.round(offsetMs / 1000)}s`;
}

function sortedCheckpoints(cfg: RampConfig, stage: number): CheckpointConfig[] {
  return [...(cfg.stages[stage]?.checkpoints ?? [])].sort((a, b) => a.at - b.at);
}

/**
 * An ack belongs to one visit of a stage: it must be made after the stage was entered,
 * so that re-entering a stage after a rollback asks for its checkpoints again.
 */
function findAck(acks: readonly CheckpointAck[], stage: number, offsetMs: number, enteredAt: number): CheckpointAck | undefined {
  return acks.find((a) => a.stage === stage && a.offsetMs === offsetMs && a.at >= enteredAt);
}

/**
 * Checkpoint views of one visit of a stage. `leftAt` is set for a stage already left:
 * time stops there, checkpoints that came due unacknowledged are missed, and the ones
 * that never came due are omitted (they were never asked for).
 *
 * Missed: a later checkpoint of the same stage came due (or the stage was left) while
 * this one was still unacknowledged. Acknowledging it later is still allowed; the state
 * becomes acknowledged (the ack's time tells it was late).
 */
export function stageCheckpoints(
  cfg: RampConfig,
  stage: number,
  enteredAt: number,
  acks: readonly CheckpointAck[],
  now: number,
  leftAt?: number,
): CheckpointView[] {
  const cps = sortedCheckpoints(cfg, stage);
  const t = leftAt === undefined ? now : Math.min(now, leftAt);
  const out: CheckpointView[] = [];
  cps.forEach((cp, i) => {
    const dueAt = enteredAt + cp.at;
    const base = { stage, offsetMs: cp.at, label: cp.label, dueAt };
    const ack = findAck(acks, stage, cp.at, enteredAt);
    if (ack) {
      out.push({ ...base, state: 'acknowledged', ack });
      return;
    }
    if (t < dueAt) {
      if (leftAt === undefined) out.push({ ...base, state: 'upcoming', countdownMs: dueAt - t });
      return;
    }
    const laterDue = cps.slice(i + 1).some((later) => enteredAt + later.at <= t);
    const missed = laterDue || leftAt !== undefined;
    out.push({ ...base, state: missed ? 'missed' : 'due', overdueMs: now - dueAt });
  });
  return out;
}

export function rampView(cfg: RampConfig, mem: RampMemory, acks: readonly CheckpointAck[], now: number): RampView {
  const started = mem.startedAt !== undefined && now >= mem.startedAt;
  const inStage = started && mem.stageIndex >= 0 && mem.stageIndex < cfg.stages.length && mem.stageEnteredAt !== undefined;
  const rolledBack = started && mem.stageIndex < 0 && mem.everLive === true && mem.lastInfluence === 0;

  const elapsedMs = started ? now - (mem.startedAt as number) : 0;
  const stageElapsedMs = started && mem.stageEnteredAt !== undefined ? Math.max(0, now - mem.stageEnteredAt) : 0;

  const view: RampView = {
    started,
    rolledBack,
    elapsedMs,
    stageIndex: inStage ? mem.stageIndex : -1,
    stageElapsedMs,
    holdComplete: false,
    checkpoints: [],
  };
  if (!started && mem.startedAt !== undefined) view.startsInMs = mem.startedAt - now;

  if (inStage) {
    const stage = cfg.stages[mem.stageIndex]!;
    view.holdComplete = stageElapsedMs >= stage.hold;
    view.stageRemainingMs = Math.max(0, stage.hold - stageElapsedMs);
    const following = cfg.stages[mem.stageIndex + 1];
    if (following) view.nextStage = { index: mem.stageIndex + 1, influence: following.influence };
    view.checkpoints = stageCheckpoints(cfg, mem.stageIndex, mem.stageEnteredAt as number, acks, now);
    view.due = view.checkpoints.find((c) => c.state === 'due');
    view.next = view.checkpoints.find((c) => c.state === 'upcoming');
  } else {
    // Not in a stage: show the whole plan, nothing is due.
    const first = cfg.stages[0];
    if (first) view.nextStage = { index: 0, influence: first.influence };
    view.checkpoints = cfg.stages.flatMap((_, s) =>
      sortedCheckpoints(cfg, s).map((cp): CheckpointView => ({ stage: s, offsetMs: cp.at, label: cp.label, state: 'upcoming' })),
    );
    view.next = view.checkpoints[0];
  }
  return view;
}

/**
 * The acknowledgement the `a` key would make: the due checkpoint, else the oldest missed
 * one of the current stage (late acks are allowed and recorded). Undefined when there is
 * nothing to acknowledge.
 */
export function ackCheckpoint(view: RampView, actor: string, now: number): CheckpointAck | undefined {
  const target = view.due ?? view.checkpoints.find((c) => c.state === 'missed');
  if (!target) return undefined;
  return { stage: target.stage, offsetMs: target.offsetMs, actor, at: now };
}

/** The last checkpoint of its stage: acknowledging it offers the continuation-decision prompt. */
export function isFinalCheckpoint(cfg: RampConfig, cp: Pick<CheckpointView, 'stage' | 'offsetMs'>): boolean {
  const cps = cfg.stages[cp.stage]?.checkpoints ?? [];
  if (cps.length === 0) return false;
  return cp.offsetMs === Math.max(...cps.map((c) => c.at)) && cps.some((c) => c.at === cp.offsetMs);
}
