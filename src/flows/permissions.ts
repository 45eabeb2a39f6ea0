/**
 * Who may open which flow (SPEC §4 "Roles"). Pure: returns a refusal message that says
 * why, or what the flow is allowed to do.
 */
import { oneLine } from '../util/sanitize.js';
import { READ_ONLY_MESSAGE, type FlowContext, type FlowKind } from './types.js';

export const KIND_LABEL: Record<FlowKind, string> = {
  kill: 'kill-switch',
  influence: 'set influence',
  advance: 'advance',
  decision: 'decision',
  signoff: 'sign-off',
  waive: 'waiver',
  approve: 'approval',
  quit: 'quit',
  palette: 'command palette',
  runbook: 'runbook',
  invalidate: 'invalidation',
};

/** The role a GO decision, a waiver, an influence above the step and an invalidation need. */
export const CAPTAIN = 'release_captain';
const KILL_ROLES = ['on_call', CAPTAIN];

function youAre(ctx: FlowContext): string {
  return `(you are: ${ctx.actorRoles.length ? ctx.actorRoles.join(', ') : 'no role'})`;
}

function needs(label: string, roles: string[], ctx: FlowContext): string | undefined {
  if (!ctx.rolesConfigured || roles.some((r) => ctx.actorRoles.includes(r))) return undefined;
  return `${label} needs role ${roles.join(' or ')} ${youAre(ctx)}`;
}

/** Refusal message for opening `kind`, or undefined when allowed (sign-off: see signoffTarget). */
export function refusal(kind: FlowKind, ctx: FlowContext): string | undefined {
  if (kind === 'quit') return undefined;
  if (ctx.readOnly) return READ_ONLY_MESSAGE;
  if (kind === 'kill') return needs(KIND_LABEL.kill, KILL_ROLES, ctx);
  if (kind === 'signoff') return undefined;
  if (kind === 'approve') return approveRefusal(ctx);
  return needs(KIND_LABEL[kind], [CAPTAIN], ctx);
}

/** `o`: an open request, a role its rule names, and not one already counted for this actor. */
function approveRefusal(ctx: FlowContext): string | undefined {
  const req = ctx.openRequest;
  if (!req) return 'nothing to approve: no override or waiver request is open';
  const rule = req.kind === 'go' ? ctx.override : ctx.waiverApprovals;
  if (!rule) return 'nothing to approve: approvals are not configured here';
  if (!ctx.rolesConfigured) return 'approval needs a configured role';
  if (!rule.roles.some((r) => ctx.actorRoles.includes(r))) return `approval needs role ${rule.roles.join(' or ')} ${youAre(ctx)}`;
  if (ctx.actor !== undefined && req.approvers.includes(ctx.actor)) return `you already count as an approver of request ${req.id.slice(0, 8)}`;
  return undefined;
}

export type SignoffTarget = { role: string; gate?: string; gateTitle?: string; note?: string } | { refused: string };

type ManualGate = NonNullable<FlowContext['unsignedManualGates']>[number];

/** The selected manual gate's sign-off: the gate's role, else (no role named) the actor's first. */
function gateSignoff(gate: ManualGate, ctx: FlowContext): SignoffTarget {
  const title = oneLine(gate.title, 80);
  if (!ctx.rolesConfigured) return { role: gate.signoffRole ?? 'operator', gate: gate.id, gateTitle: gate.title };
  if (gate.signoffRole) {
    if (!ctx.actorRoles.includes(gate.signoffRole)) return { refused: `sign-off of "${title}" needs role ${gate.signoffRole} ${youAre(ctx)}` };
    return { role: gate.signoffRole, gate: gate.id, gateTitle: gate.title };
  }
  // A manual gate without a role: any role-holder may sign, as their first role.
  const first = ctx.actorRoles[0];
  if (!first) return { refused: `sign-off of "${title}" needs a configured role ${youAre(ctx)}` };
  return { role: first, gate: gate.id, gateTitle: gate.title };
}

/** Unsigned manual gates this actor may sign (any of them when roles are not configured). */
function waitingForMe(ctx: FlowContext): ManualGate[] {
  return (ctx.unsignedManualGates ?? []).filter((g) => !ctx.rolesConfigured || (g.signoffRole ? ctx.actorRoles.includes(g.signoffRole) : ctx.actorRoles.length > 0));
}

const PICK_ANOTHER = 'to sign another, Esc, select it with j/k and press s';

/** The decision's own sign-off, as the actor's first required role still missing (else the first held). */
function decisionSignoff(ctx: FlowContext, where: string, waiting: ManualGate[]): SignoffTarget {
  const required = ctx.requiredSignoffs;
  const gates = waiting.length
    ? `not a gate: ${waiting.length} manual gates wait for your sign-off (${waiting.map((g) => `"${oneLine(g.title, 40)}"`).join(', ')}); select one with j/k and press s`
    : 'not a gate: no manual gate waits for your sign-off';
  if (required.length === 0) return { refused: `nothing to sign: ${where} and the decision needs no sign-offs` };
  if (ctx.rolesConfigured) {
    const held = required.filter((r) => ctx.actorRoles.includes(r));
    if (held.length === 0)
      return { refused: `nothing for you to sign: ${where} and the decision needs ${required.join(', ')} ${youAre(ctx)}` };
    return { role: held.find((r) => ctx.missingSignoffs.includes(r)) ?? held[0]!, note: `Signs the decision, ${gates}.` };
  }
  // Roles not configured: nobody is checked, so sign the first sign-off still missing.
  const missing = required.find((r) => ctx.missingSignoffs.includes(r));
  if (!missing) return { refused: `nothing to sign: ${where} and every required sign-off (${required.join(', ')}) is in` };
  return { role: missing, note: `Signs the decision, ${gates}.` };
}

/**
 * What `s` signs: the selected manual gate; else the one unsigned manual gate this actor may
 * sign (a newcomer on an unrelated row means that gate, not the decision); else the decision,
 * with the prompt saying so and how to pick a gate instead.
 */
export function signoffTarget(ctx: FlowContext): SignoffTarget {
  const gate = ctx.selectedGate;
  if (gate?.manual) return gateSignoff(gate, ctx);
  const where = gate ? `"${oneLine(gate.title, 80)}" is not a manual gate` : 'no manual gate is selected';
  const waiting = waitingForMe(ctx);
  if (waiting.length === 1) {
    const t = gateSignoff(waiting[0]!, ctx);
    return 'refused' in t ? t : { ...t, note: `The only manual gate waiting for your sign-off (${where}); ${PICK_ANOTHER}.` };
  }
  return decisionSignoff(ctx, where, waiting);
}

/** The acts a console performs, whatever asked for them: a key, a trigger, a timer. */
export type Act = 'kill' | 'influence' | 'decision' | 'signoff' | 'waive' | 'cancelTrigger' | 'acknowledge' | 'invalidate' | 'runbook' | 'approve';

/** What an act is done on, when its rights depend on it: a runbook's own `roles:`, or the roles an approval needs (SPEC §9.5). */
export interface ActTarget {
  label?: string;
  roles?: readonly string[];
}

export interface Actor {
  readOnly: boolean;
  replay: boolean;
  rolesConfigured: boolean;
  actorRoles: readonly string[];
}

/**
 * Why this console may not perform `act` now, checked where the act happens (SPEC §9.1):
 * read-only, replaying and role-less consoles never send, fire or cancel anything.
 * Sign-off roles per gate are checked by signoffTarget; here only "holds any role".
 */
export function actRefusal(act: Act, a: Actor, target: ActTarget = {}): string | undefined {
  if (a.replay) return 'REPLAY: nothing is sent';
  if (a.readOnly) return READ_ONLY_MESSAGE;
  const ctx = { rolesConfigured: a.rolesConfigured, actorRoles: [...a.actorRoles] } as FlowContext;
  switch (act) {
    case 'kill':
    case 'cancelTrigger':
      return needs(act === 'kill' ? KIND_LABEL.kill : 'cancelling an auto-rollback', KILL_ROLES, ctx);
    case 'signoff':
    case 'acknowledge':
      return a.rolesConfigured && a.actorRoles.length === 0 ? `${act === 'signoff' ? 'sign-off' : 'a checkpoint ack'} needs a configured role ${youAre(ctx)}` : undefined;
    case 'influence':
      return needs(KIND_LABEL.influence, [CAPTAIN], ctx);
    case 'decision':
      return needs(KIND_LABEL.decision, [CAPTAIN], ctx);
    case 'waive':
      return needs(KIND_LABEL.waive, [CAPTAIN], ctx);
    case 'invalidate':
      // The decision right (SPEC §9.5): whoever may decide may withdraw what was recorded.
      return needs('invalidation', [CAPTAIN], ctx);
    case 'runbook': {
      const label = target.label ?? KIND_LABEL.runbook;
      if (target.roles) return needs(label, [...target.roles], ctx);
      // No roles on the runbook: the usual rule, any console that may act; a role-less actor may not.
      return a.rolesConfigured && a.actorRoles.length === 0 ? `${label} needs a configured role ${youAre(ctx)}` : undefined;
    }
    case 'approve':
      // Approvals are counted by role: a console without roles approves nothing.
      if (!a.rolesConfigured) return 'approval needs a configured role';
      return needs(KIND_LABEL.approve, [...(target.roles ?? [])], ctx);
  }
}
