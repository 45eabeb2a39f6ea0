/** What the flows need to know about the console right now, derived from the store state. */
import type { Actor } from '../flows/permissions.js';
import type { FlowContext } from '../flows/types.js';
import { runbookOptions } from './runbookOptions.js';
import { actionInFlight, type WarroomState } from '../store/store.js';
import { filterGates, orderedGates } from './selectors.js';
import { openRequests } from '../acts/requestStanding.js';
export { openRequests, whenText } from '../acts/requestStanding.js';

/** The next stage by the observed influence: the first stage above it. */
export function nextStageInfluence(s: WarroomState): number | undefined {
  const stages = s.config.ramp?.stages;
  if (!stages) return undefined;
  const pct = s.influence.pct ?? 0;
  return stages.find((st) => st.influence > pct)?.influence;
}

export function rolesOf(s: Pick<WarroomState, 'config' | 'actor'>): string[] {
  return Object.entries(s.config.roles ?? {})
    .filter(([, people]) => people.includes(s.actor))
    .map(([role]) => role);
}

/** Who this console acts as, for actRefusal. */
export function actorOf(s: WarroomState): Actor {
  return { readOnly: s.readOnly, replay: s.mode === 'replay', rolesConfigured: s.config.roles !== undefined, actorRoles: rolesOf(s) };
}

/** Manual gates whose light is not in (no counted sign-off, no waiver), in display order. */
function unsignedManualGates(s: WarroomState): NonNullable<FlowContext['unsignedManualGates']> {
  return orderedGates(s.config.gates)
    .filter((g) => g.source === 'manual' && s.gates[g.id]?.status !== 'PASS' && s.gates[g.id]?.status !== 'WAIVED')
    .map((g) => ({ id: g.id, title: g.title, ...(g.signoffRole ? { signoffRole: g.signoffRole } : {}) }));
}

export function flowContextOf(s: WarroomState, now: number, wallNow: number): FlowContext {
  const cfg = s.config;
  const gate = filterGates(cfg.gates, s.ui.filter)[s.ui.selected];
  const actorRoles = rolesOf(s);
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
    killInFlight: s.actions.some((a) => a.name === 'kill_switch' && a.state === 'running'),
    quitWaiting: s.audit.quitWaiting === true,
    auditPending: s.audit.error !== undefined ? s.audit.pending : 0,
    ...(s.audit.error ? { auditError: s.audit.error } : {}),
  };
  if (cfg.decision.override) ctx.override = cfg.decision.override;
  if (cfg.waiver?.approvals) ctx.waiverApprovals = cfg.waiver.approvals;
  ctx.actor = s.actor;
  // The oldest open request: the one the banner shows (requestStanding.ts).
  const [open, ...others] = openRequests(s.overrides);
  if (open) {
    ctx.openRequest = {
      id: open.id,
      kind: open.kind,
      requestedBy: open.requestedBy,
      overridden: open.overridden,
      ...(open.gate ? { gate: open.gate } : {}),
      justification: open.justification,
      counted: open.approvers.length,
      need: open.need,
      expires: open.expires,
      approvers: open.approvers.map((a) => a.actor),
      ...(others.length ? { others: others.map((o) => ({ id: o.id, requestedBy: o.requestedBy })) } : {}),
    };
  }
  const next = nextStageInfluence(s);
  if (next !== undefined) ctx.nextStageInfluence = next;
  if (gate) {
    ctx.selectedGate = { id: gate.id, title: gate.title, manual: gate.source === 'manual' };
    if (gate.signoffRole) ctx.selectedGate.signoffRole = gate.signoffRole;
    if (gate.remedy) ctx.selectedGate.remedy = gate.remedy;
  }
  ctx.unsignedManualGates = unsignedManualGates(s);
  if (cfg.actions.runbooks) ctx.runbooks = runbookOptions(cfg.actions.runbooks, actorOf(s));
  // Several banners: the first whose gate has a remedy is the one x acts on.
  const up = s.banner.filter((t) => t.phase !== 'idle');
  const gateOf = (id: string) => cfg.gates.find((g) => g.id === id);
  const bannerGate = up.map((t) => gateOf(t.gate)).find((g) => g?.remedy !== undefined) ?? (up[0] ? gateOf(up[0].gate) : undefined);
  if (bannerGate) ctx.bannerGate = { id: bannerGate.id, title: bannerGate.title, ...(bannerGate.remedy ? { remedy: bannerGate.remedy } : {}) };
  return ctx;
}
