/**
 * The action-key flows as a state machine (SPEC §4). Pure: no I/O, no timers; time comes
 * in through FlowContext. Every flow ends in at most one effect; Esc ends any flow with none.
 */
import { refusal, signoffTarget } from './permissions.js';
import { editDraft } from './text.js';
import { decisionKey, isPromptKey } from '../input/promptKeys.js';
import {
  CONFIRM_GUARD_MS,
  DEFAULT_KILL_REASON,
  READ_ONLY_MESSAGE,
  type Flow,
  type FlowContext,
  type FlowKind,
  type FlowResult,
  type Key,
} from './types.js';
import { argvTextRefusal } from './runbookParams.js';
import { parseExpiry, parsePct, parseReview, parseText, reasonRequired } from './validate.js';
import { isChoiceParam, openPalette, paletteKey, paramKey } from './runbookFlow.js';
import { openInvalidate, targetKey } from './invalidateFlow.js';

export { CONFIRM_GUARD_MS } from './types.js';

const refused = (message: string): FlowResult => ({ flow: null, effect: { type: 'refused', message } });

function start(kind: FlowKind, step: Flow['step'], data: Flow['data'], ctx: FlowContext): Flow {
  return step === 'confirm'
    ? { kind, step, draft: '', data, confirmShownAt: ctx.wallNow }
    : { kind, step, draft: '', data };
}

function toConfirm(flow: Flow, data: Flow['data'], ctx: FlowContext): Flow {
  return { kind: flow.kind, step: 'confirm', draft: '', data, confirmShownAt: ctx.wallNow };
}

function toStep(flow: Flow, step: Flow['step'], data: Flow['data']): Flow {
  return { kind: flow.kind, step, draft: '', data };
}

/** Influence and advance share the tail: a reason when the step or the light asks for one, then confirm. */
function afterTarget(flow: Flow, to: number, ctx: FlowContext): Flow {
  const why = reasonRequired(flow.data.from, to, ctx);
  const data = { ...flow.data, to, reasonRequired: why };
  return why ? toStep(flow, 'reason', data) : toConfirm(flow, data, ctx);
}

export { isCtrlK } from '../input/promptKeys.js';

export function openFlow(kind: FlowKind, ctx: FlowContext): FlowResult {
  if (kind === 'palette') return openPalette();
  // A runbook opens by id (openRunbook, from the palette or `x`), never bare.
  if (kind === 'runbook') return refused('choose a runbook from the palette (:) or press x for a gate\'s remedy');
  const no = refusal(kind, ctx);
  if (no) return refused(no);
  switch (kind) {
    case 'kill':
      return { flow: start('kill', 'confirm', { from: ctx.influencePct, to: 0, reason: DEFAULT_KILL_REASON }, ctx) };
    case 'influence':
      return { flow: start('influence', 'pct', { from: ctx.influencePct }, ctx) };
    case 'advance': {
      if (ctx.nextStageInfluence === undefined) return refused('already at the last ramp stage');
      const flow = start('advance', 'pct', { from: ctx.influencePct }, ctx);
      return { flow: afterTarget(flow, ctx.nextStageInfluence, ctx) };
    }
    case 'decision':
      return { flow: start('decision', 'choice', {}, ctx) };
    case 'signoff': {
      const target = signoffTarget(ctx);
      if ('refused' in target) return refused(target.refused);
      return { flow: start('signoff', 'confirm', { ...target }, ctx) };
    }
    case 'waive': {
      const gate = ctx.selectedGate;
      if (!gate) return refused('waiver: select a gate first');
      return { flow: start('waive', 'reason', { gate: gate.id, gateTitle: gate.title }, ctx) };
    }
    case 'invalidate':
      return openInvalidate(ctx);
    case 'approve':
      return { flow: start('approve', 'confirm', { request: ctx.openRequest! }, ctx) };
    case 'quit':
      if (!ctx.actionInFlight && !ctx.auditPending) return { flow: null, effect: { type: 'quit' } };
      return { flow: start('quit', 'confirm', {}, ctx) };
  }
}

/** Esc (or `n` at a confirm): nothing is sent; a flow suspended by Ctrl+K comes back as it was. */
function cancel(flow: Flow, ctx: FlowContext): FlowResult {
  const back = flow.suspended;
  if (!back) return { flow: null };
  // Shown again, so the guard starts again: keys typed at the kill confirm must not confirm it.
  return { flow: back.step === 'confirm' ? { ...back, confirmShownAt: ctx.wallNow } : back };
}

/** Steps where keys are typed as text: there a bare K is a letter, and only Ctrl+K is the kill key. */
function isTextStep(flow: Flow): boolean {
  return flow.step !== 'confirm' && flow.step !== 'choice' && flow.step !== 'target' && !isChoiceParam(flow);
}

/** The kill key inside a prompt: Ctrl+K anywhere; a bare K where nothing is being typed. */
function isKillKey(flow: Flow, key: Key): boolean {
  return isPromptKey('kill', key, { typing: isTextStep(flow) });
}

export function flowKey(flow: Flow, key: Key, ctx: FlowContext): FlowResult {
  if (isKillKey(flow, key)) {
    if (flow.kind === 'kill') return { flow };
    const kill = openFlow('kill', ctx);
    // Refused (role): the open prompt stays, and the refusal says why.
    if (!kill.flow) return { flow, effect: kill.effect };
    return { flow: { ...kill.flow, suspended: flow } };
  }
  if (isPromptKey('cancel', key)) return cancel(flow, ctx);
  switch (flow.step) {
    case 'confirm':
      return confirmKey(flow, key, ctx);
    case 'choice':
      return choiceKey(flow, key, ctx);
    case 'filter':
      return paletteKey(flow, key, ctx, openFlow);
    case 'param':
      return paramKey(flow, key, ctx);
    case 'target':
      return targetKey(flow, key);
    default:
      return textKey(flow, key, ctx);
  }
}

function confirmKey(flow: Flow, key: Key, ctx: FlowContext): FlowResult {
  if (isPromptKey('reject', key)) return cancel(flow, ctx);
  const confirming = isPromptKey('confirm', key, { kind: flow.kind });
  if (!confirming) return { flow };
  const shownAt = flow.confirmShownAt;
  // Never shown, or the wall clock stepped back: arm the guard from now rather than confirm.
  if (shownAt === undefined || ctx.wallNow < shownAt) return { flow: { ...flow, confirmShownAt: ctx.wallNow } };
  if (ctx.wallNow - shownAt < CONFIRM_GUARD_MS) return { flow };
  return { flow: null, effect: effectOf(flow, ctx) };
}

function effectOf(flow: Flow, ctx: FlowContext): NonNullable<FlowResult['effect']> {
  const d = flow.data;
  if (flow.kind !== 'quit' && ctx.readOnly) return { type: 'refused', message: READ_ONLY_MESSAGE };
  switch (flow.kind) {
    case 'kill':
      return { type: 'kill', from: d.from, reason: d.reason ?? DEFAULT_KILL_REASON };
    case 'influence':
    case 'advance':
      if (d.to === undefined) return { type: 'refused', message: 'no target influence' };
      return { type: 'setInfluence', from: d.from, to: d.to, reason: d.reason, advance: flow.kind === 'advance' };
    case 'decision':
      if (!d.decision || !d.justification) return { type: 'refused', message: 'decision incomplete' };
      // An override request asks the room; it decides nothing by itself.
      if (d.override) return { type: 'overrideRequest', justification: d.justification };
      // The light may have turned while the prompt was open.
      if (d.decision === 'GO' && ctx.overall === 'NO-GO') return { type: 'refused', message: 'GO refused: the light is NO-GO' };
      return d.decision === 'NO-GO'
        ? { type: 'decision', decision: d.decision, justification: d.justification, nextReview: d.nextReview }
        : { type: 'decision', decision: d.decision, justification: d.justification };
    case 'signoff':
      return d.gate === undefined ? { type: 'signoff', role: d.role ?? '' } : { type: 'signoff', role: d.role ?? '', gate: d.gate };
    case 'waive':
      if (!d.gate || !d.reason || d.expires === undefined) return { type: 'refused', message: 'waiver incomplete' };
      return { type: 'waive', gate: d.gate, reason: d.reason, expires: d.expires };
    case 'approve':
      if (!d.request) return { type: 'refused', message: 'approval incomplete' };
      return { type: 'approve', request: d.request.id };
    case 'quit':
      return { type: 'quit' };
    case 'runbook':
      if (!d.runbook) return { type: 'refused', message: 'no runbook' };
      return {
        type: 'runbook',
        id: d.runbook.id,
        params: { ...(d.params ?? {}) },
        ...(d.reason !== undefined ? { reason: d.reason } : {}),
        ...(d.gate !== undefined ? { gate: d.gate } : {}),
      };
    case 'palette':
      return { type: 'refused', message: 'the palette has no confirm step' };
    case 'invalidate': {
      if (!d.target || !d.reason) return { type: 'refused', message: 'invalidation incomplete' };
      const { file, line, hash } = d.target;
      return { type: 'invalidate', target: { file, line, hash }, reason: d.reason };
    }
  }
}

function choiceKey(flow: Flow, key: Key, ctx: FlowContext): FlowResult {
  const decision = decisionKey(key);
  if (!decision) return { flow };
  if (decision === 'GO' && ctx.overall === 'NO-GO') {
    if (!ctx.override) return refused('GO refused: the light is NO-GO');
    const open = ctx.openRequest;
    if (open?.kind === 'go') return refused(`an override request is already open (${open.id.slice(0, 8)} by ${open.requestedBy})`);
    return { flow: toStep(flow, 'justification', { ...flow.data, decision, override: true }) };
  }
  return { flow: toStep(flow, 'justification', { ...flow.data, decision }) };
}

function textKey(flow: Flow, key: Key, ctx: FlowContext): FlowResult {
  if (isPromptKey('submit', key)) return submit(flow, ctx);
  const draft = editDraft(flow.draft, key);
  if (draft === undefined || draft === flow.draft) return { flow };
  // Typing clears a stale error: the person is fixing it.
  return { flow: { ...flow, draft, error: undefined } };
}

function submit(flow: Flow, ctx: FlowContext): FlowResult {
  const stay = (error: string): FlowResult => ({ flow: { ...flow, error } });
  const d = flow.data;
  switch (flow.step) {
    case 'pct': {
      const p = parsePct(flow.draft);
      return p.ok ? { flow: afterTarget(flow, p.value, ctx) } : stay(p.error);
    }
    case 'reason': {
      const r = parseText(flow.draft, flow.kind === 'waive' ? 'a reason for the waiver' : `a reason (${d.reasonRequired ?? 'required'})`);
      if (!r.ok) return stay(r.error);
      const lead = flow.kind === 'runbook' && d.runbook?.reasonInArgv ? argvTextRefusal('the reason', r.value) : undefined;
      if (lead) return stay(lead);
      const data = { ...d, reason: r.value };
      return { flow: flow.kind === 'waive' ? toStep(flow, 'expiry', data) : toConfirm(flow, data, ctx) };
    }
    case 'justification': {
      const j = parseText(flow.draft, 'a justification');
      if (!j.ok) return stay(j.error);
      const data = { ...d, justification: j.value };
      return { flow: d.decision === 'NO-GO' ? toStep(flow, 'review', data) : toConfirm(flow, data, ctx) };
    }
    case 'review': {
      const t = parseReview(flow.draft, ctx);
      return t.ok ? { flow: toConfirm(flow, { ...d, nextReview: t.value }, ctx) } : stay(t.error);
    }
    case 'expiry': {
      const t = parseExpiry(flow.draft, ctx);
      return t.ok ? { flow: toConfirm(flow, { ...d, expires: t.value }, ctx) } : stay(t.error);
    }
    default:
      return { flow };
  }
}
