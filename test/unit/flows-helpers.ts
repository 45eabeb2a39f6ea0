/** Shared drivers for the flow tests (not a test file itself). */
import { flowKey, openFlow } from '../../src/flows/reducer.js';
import type { Flow, FlowContext, FlowEffect, FlowKind, Key } from '../../src/flows/types.js';

export const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
export const W0 = 1_000_000;

export function ctxOf(over: Partial<FlowContext> = {}): FlowContext {
  return {
    now: T0,
    wallNow: W0,
    overall: 'GO',
    influencePct: 10,
    maxStep: 25,
    nextStageInfluence: 25,
    selectedGate: { id: 'oncall_ack', title: 'On-call ACK', manual: true, signoffRole: 'on_call' },
    actorRoles: ['release_captain', 'on_call'],
    rolesConfigured: true,
    readOnly: false,
    requiredSignoffs: ['release_captain', 'on_call'],
    missingSignoffs: ['on_call'],
    actionInFlight: false,
    ...over,
  };
}

export const ENTER: Key = { input: '\r', return: true };
export const ESC: Key = { input: '', escape: true };
export const BACKSPACE: Key = { input: '', backspace: true };
export const CTRL_K: Key = { input: 'k', ctrl: true };

/** A step of a script: a key, a string typed one character per key, or a pause of wall time. */
export type Step = Key | string | { wait: number };

export interface Run {
  flow: Flow | null;
  effects: FlowEffect[];
  ctx: FlowContext;
  /** Every flow state seen, to check e.g. that an error was set on the way. */
  seen: Flow[];
}

function isWait(s: Step): s is { wait: number } {
  return typeof s === 'object' && 'wait' in s;
}

/**
 * Opens `kind` and plays the script. Each key advances the wall clock by `gap` ms (default
 * 200, past the confirm guard) unless the script pauses explicitly.
 */
export function run(kind: FlowKind, script: Step[], over: Partial<FlowContext> = {}, gap = 200): Run {
  let ctx = ctxOf(over);
  const opened = openFlow(kind, ctx);
  const effects: FlowEffect[] = opened.effect ? [opened.effect] : [];
  let flow = opened.flow;
  const seen: Flow[] = flow ? [flow] : [];
  return play({ flow, effects, ctx, seen }, script, gap);
}

export function play(state: Run, script: Step[], gap = 200): Run {
  let { flow, ctx } = state;
  const effects = [...state.effects];
  const seen = [...state.seen];
  const press = (key: Key) => {
    if (!flow) throw new Error(`key ${JSON.stringify(key)} pressed with no flow open`);
    ctx = { ...ctx, wallNow: ctx.wallNow + gap };
    const r = flowKey(flow, key, ctx);
    if (r.effect) effects.push(r.effect);
    flow = r.flow;
    if (flow) seen.push(flow);
  };
  for (const s of script) {
    if (isWait(s)) ctx = { ...ctx, wallNow: ctx.wallNow + s.wait };
    else if (typeof s === 'string') for (const ch of s) press({ input: ch });
    else press(s);
  }
  return { flow, effects, ctx, seen };
}
