/**
 * Rollback triggers (SPEC §4): while influence > 0, a gate with `rollback:` whose shown
 * status turns FAIL raises a banner. `prompt` waits for the kill-switch key (the console
 * handles K); `auto` arms a visible countdown and then asks the caller to fire the
 * kill-switch, unless `a` cancels it first.
 *
 * A pure state machine per gate: the caller feeds each evaluation in and performs the
 * returned effects (banner, audit record, kill-switch). No I/O, no timers.
 *
 * Fail-safe choices:
 * - Influence unknown (no reading) counts as > 0: a rollback that is not needed costs
 *   less than one that never happens.
 * - Only a shown FAIL triggers. UNKNOWN (no data) does not start a trigger — it is a data
 *   problem, handled by the decision rule — and a WAIVED gate was accepted by a person.
 * - A raised/armed trigger whose gate goes UNKNOWN is held, not cleared: the countdown
 *   does not fire on missing data, but fires as soon as FAIL is seen again after firesAt.
 * - WAIVED while raised/armed clears it: the waiver is a recorded human decision.
 * - A fired or cancelled trigger re-arms only after the gate recovers (PASS/WARN), so one
 *   failure fires at most once and a cancel is respected. Exception for `fired`: once the
 *   influence is observed at 0 the rollback has done its job and the trigger returns to
 *   idle, so raising influence again while the gate is still FAIL triggers again.
 */
import { judgedValueText } from '../judge/display.js';
import type { GateResult } from '../core/types.js';

export type TriggerPhase = 'idle' | 'raised' | 'armed' | 'fired' | 'cancelled';
export type TriggerMode = 'prompt' | 'auto';
export interface TriggerState {
  gate: string;
  mode: TriggerMode;
  phase: TriggerPhase;
  /** When the current phase began. */
  since?: number;
  /** Auto mode: when the kill-switch fires (kept after firing/cancelling for the record). */
  firesAt?: number;
  value?: unknown;
  threshold?: string;
}
export type TriggerEffect = {
  type: 'raise' | 'arm' | 'fire' | 'cancel' | 'clear';
  gate: string;
  mode: TriggerMode;
  value: unknown;
  threshold: string;
  at: number;
};
export interface TriggerInput {
  gates: { id: string; rollback?: TriggerMode }[];
  results: Record<string, GateResult>;
  /** undefined = unknown, treated as > 0 (fail safe). */
  influencePct: number | undefined;
  now: number;
  /** Auto countdown, default 30 s. */
  autoDelayMs?: number;
}
export interface TriggerStep {
  states: Record<string, TriggerState>;
  effects: TriggerEffect[];
}

export const AUTO_DELAY_MS = 30_000;

/** Influence > 0, or unknown/unreadable (fail safe). */
export function influenceLive(pct: number | undefined): boolean {
  if (pct === undefined || typeof pct !== 'number' || Number.isNaN(pct)) return true;
  return pct > 0;
}

function effect(type: TriggerEffect['type'], s: TriggerState, at: number): TriggerEffect {
  return { type, gate: s.gate, mode: s.mode, value: s.value ?? null, threshold: s.threshold ?? '', at };
}

function idle(gate: string, mode: TriggerMode, now: number): TriggerState {
  return { gate, mode, phase: 'idle', since: now };
}

export function stepTriggers(prev: Record<string, TriggerState>, input: TriggerInput): TriggerStep {
  const { gates, results, now } = input;
  const delay = input.autoDelayMs ?? AUTO_DELAY_MS;
  const live = influenceLive(input.influencePct);
  const states: Record<string, TriggerState> = {};
  const effects: TriggerEffect[] = [];

  for (const g of gates) {
    if (!g.rollback) continue;
    const mode = g.rollback;
    const res = results[g.id];
    const status = res?.status;
    const failing = status === 'FAIL';
    const recovered = status === 'PASS' || status === 'WARN';
    const before = prev[g.id];
    // A mode change (config reload) starts over rather than mixing semantics.
    let s: TriggerState = before && before.mode === mode ? { ...before } : idle(g.id, mode, now);
    if (res) {
      // A judged gate's value is its effect in words ("+31% [+22%, +40%] vs baseline"), for the banner and messages.
      s.value = res.judgment ? judgedValueText(res.judgment) : res.value;
      s.threshold = res.threshold;
    }

    const toIdle = (): void => {
      effects.push(effect('clear', s, now));
      s = { ...idle(g.id, mode, now), value: s.value, threshold: s.threshold };
    };

    switch (s.phase) {
      case 'raised':
      case 'armed':
        if (!live || recovered || status === 'WAIVED') toIdle();
        break;
      case 'fired':
        if (recovered || !live) toIdle();
        break;
      case 'cancelled':
        if (recovered) toIdle();
        break;
      case 'idle':
        break;
    }

    if (s.phase === 'idle' && live && failing) {
      if (mode === 'prompt') {
        s = { ...s, phase: 'raised', since: now, firesAt: undefined };
        effects.push(effect('raise', s, now));
      } else {
        s = { ...s, phase: 'armed', since: now, firesAt: now + delay };
        effects.push(effect('arm', s, now));
      }
    }

    if (s.phase === 'armed' && failing && live && s.firesAt !== undefined && now >= s.firesAt) {
      s = { ...s, phase: 'fired', since: now };
      effects.push(effect('fire', s, now));
    }

    states[g.id] = s;
  }

  // Gates that lost their `rollback:` (config reload): an active banner must not vanish silently.
  for (const [id, s] of Object.entries(prev)) {
    if (id in states) continue;
    if (s.phase !== 'idle') effects.push(effect('clear', s, now));
  }
  return { states, effects };
}

/**
 * Cancel an armed auto-rollback (`a`): the named gate's, or the soonest to fire. The
 * caller records the returned `cancel` effect. Nothing armed → no change, no effects.
 */
export function cancelArmed(prev: Record<string, TriggerState>, gateId: string | undefined, now: number): TriggerStep {
  let target: TriggerState | undefined;
  if (gateId !== undefined) {
    const s = prev[gateId];
    if (s && s.phase === 'armed') target = s;
  } else {
    for (const s of Object.values(prev)) {
      if (s.phase !== 'armed') continue;
      if (!target || (s.firesAt ?? Infinity) < (target.firesAt ?? Infinity)) target = s;
    }
  }
  if (!target) return { states: prev, effects: [] };
  const cancelled: TriggerState = { ...target, phase: 'cancelled', since: now };
  return { states: { ...prev, [target.gate]: cancelled }, effects: [effect('cancel', cancelled, now)] };
}

const BANNER_ORDER: Record<TriggerPhase, number> = { armed: 0, raised: 1, fired: 2, cancelled: 3, idle: 9 };

/** Triggers to show on the banner, most urgent first (armed by soonest firesAt). */
export function bannerOf(states: Record<string, TriggerState>): TriggerState[] {
  return Object.values(states)
    .filter((s) => s.phase !== 'idle')
    .sort(
      (a, b) =>
        BANNER_ORDER[a.phase] - BANNER_ORDER[b.phase] ||
        (a.firesAt ?? Infinity) - (b.firesAt ?? Infinity) ||
        (a.since ?? 0) - (b.since ?? 0) ||
        a.gate.localeCompare(b.gate),
    );
}

/** The armed trigger that fires soonest, for the countdown and the `a` key. */
export function soonestArmed(states: Record<string, TriggerState>): TriggerState | undefined {
  return bannerOf(states).find((s) => s.phase === 'armed');
}
