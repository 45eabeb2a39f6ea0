/** What the flows need to know about the console right now, derived from the store state. */
import type { FlowContext } from '../flows/types.js';
import { actionInFlight, type WarroomState } from '../store/store.js';
import { filterGates } from './selectors.js';

/** The next stage by the observed influence: the first stage above it. */
export function nextStageInfluence(s: WarroomState): number | undefined {
  const stages = s.config.ramp?.stages;
  if (!stages) return undefined;
  const pct = s.influence.pct ?? 0;
  return stages.find((st) => st.influence > pct)?.influence;
}

export function flowContextOf(s: WarroomState, now: number, wallNow: number): FlowContext {
  const cfg = s.config;
  const gate = filterGates(cfg.gates, s.ui.filter)[s.ui.selected];
  const actorRoles = Object.entries(cfg.roles ?? {})
    .filter(([, people]) => people.includes(s.actor))
    .map(([role]) => role);
  const ctx: FlowContext = {
    now,
    wallNow,
    overall: s.overall.overall,
    influencePct: s.influence.error ? undefined : s.influence.pct,
    maxStep: cfg.ramp?.maxStep ?? 100,
    actorRoles,
    rolesConfigured: cfg.roles !== undefined,
    readOnly: s.readOnly,
    requiredSignoffs: cfg.decision.requireSignoffs,
    missingSignoffs: s.overall.missingSignoffs,
    actionInFlight: actionInFlight(s),
  };
  const next = nextStageInfluence(s);
  if (next !== undefined) ctx.nextStageInfluence = next;
  if (gate) {
    ctx.selectedGate = { id: gate.id, title: gate.title, manual: gate.source === 'manual' };
    if (gate.signoffRole) ctx.selectedGate.signoffRole = gate.signoffRole;
  }
  return ctx;
}
