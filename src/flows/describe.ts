/**
 * The words of a prompt: what is being asked and what confirming will do (a confirm screen
 * names its effect, so nobody confirms blind). Pure; the view only lays it out.
 */
import { formatDuration } from '../config/duration.js';
import { oneLine, stripControl } from '../util/sanitize.js';
import { KIND_LABEL } from './permissions.js';
import type { ApprovalNeed, Flow, FlowContext } from './types.js';
import { pctText } from './validate.js';
import { currentParam, paletteView } from './runbookFlow.js';
import { invalidateTargets } from './invalidateFlow.js';
import { paramLabel, paramsText } from './runbookParams.js';

/** The palette's hint line, also shown under the list. */
export const PALETTE_HINT = 'type to filter · ↑/↓ move · Enter opens · Esc cancels';

export interface FlowDescription {
  title: string;
  lines: string[];
  input?: { label: string; value: string };
  hint: string;
  /** The validation message of the current step, if any. */
  error?: string;
}

/** What a per-kind describer gets: the flow's error added to a description, and the draft as an input field. */
type Out = (x: Omit<FlowDescription, 'error'>) => FlowDescription;
type Input = (label: string) => { label: string; value: string };

const CONFIRM_Y = 'y to confirm · Esc or n cancels';
const TEXT_HINT = 'type, Enter · Esc cancels';

function iso(ms: number | undefined): string {
  return ms === undefined || !Number.isFinite(ms) ? '?' : new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

function inWords(ms: number, now: number): string {
  const mins = Math.round((ms - now) / 60_000);
  if (mins < 0) return 'already past';
  if (mins < 60) return `in ${mins}m`;
  const h = Math.floor(mins / 60);
  const m = mins % 60;
  return `in ${h}h${m ? `${m}m` : ''}`;
}

const txt = (s: string | undefined, max = 200): string => oneLine(s ?? '', max);

function signoffLine(ctx: FlowContext): string {
  if (ctx.requiredSignoffs.length === 0) return 'sign-offs: none required';
  const parts = ctx.requiredSignoffs.map((r) => `${txt(r, 40)} ${ctx.missingSignoffs.includes(r) ? 'missing' : '✓'}`);
  return `sign-offs: ${parts.join(' · ')}`;
}

/** "needs 3 approvals from cto/senior_engineer within 2h" */
export function needsText(n: ApprovalNeed): string {
  return `needs ${n.count} approval${n.count === 1 ? '' : 's'} from ${n.roles.map((r) => txt(r, 40)).join('/')} within ${formatDuration(n.expiresMs)}`;
}

export function describeFlow(flow: Flow, ctx: FlowContext): FlowDescription {
  const d = flow.data;
  const out = (x: Omit<FlowDescription, 'error'>): FlowDescription => (flow.error ? { ...x, error: txt(flow.error) } : x);
  const input = (label: string) => ({ label, value: stripControl(flow.draft, { keepNewlines: false }) });

  switch (flow.kind) {
    case 'kill': {
      const lines = ['Sets influence to 0% now; retried with backoff until verified.'];
      if (flow.suspended) lines.push(`Cancel returns to your ${KIND_LABEL[flow.suspended.kind]} prompt, draft kept.`);
      return out({
        title: `KILL-SWITCH: influence ${pctText(d.from)} → 0%`,
        lines,
        hint: 'y or Enter to confirm · Esc or n cancels',
      });
    }
    case 'influence':
    case 'advance': {
      const name = flow.kind === 'advance' ? 'ADVANCE TO NEXT STAGE' : 'SET INFLUENCE';
      if (flow.step === 'pct')
        return out({
          title: `${name} (now ${pctText(d.from)})`,
          lines: [`max_step ${ctx.maxStep} · light ${ctx.overall}`],
          input: input('new influence %'),
          hint: 'a whole number 0-100, Enter · Esc cancels',
        });
      const title = `${name} ${pctText(d.from)} → ${pctText(d.to)}`;
      if (flow.step === 'reason')
        return out({ title, lines: [`reason required: ${txt(d.reasonRequired)}`], input: input('reason'), hint: TEXT_HINT });
      const lines = d.reason !== undefined ? [`reason: ${txt(d.reason)}`] : [];
      lines.push(`Sends influence ${pctText(d.to)} and waits for it to be verified.`);
      return out({ title, lines, hint: CONFIRM_Y });
    }
    case 'decision':
      return describeDecision(flow, ctx, out, input);
    case 'signoff': {
      const what = d.gate !== undefined ? `"${txt(d.gateTitle ?? d.gate, 60)}"` : 'the decision';
      return out({
        title: `SIGN OFF ${what} as ${txt(d.role, 40)}`,
        lines: [...(d.note ? [txt(d.note, 300)] : []), 'Records your sign-off in the audit trail.'],
        hint: CONFIRM_Y,
      });
    }
    case 'waive': {
      const title = `WAIVE "${txt(d.gateTitle ?? d.gate, 60)}"`;
      if (flow.step === 'reason') return out({ title, lines: ['The gate counts as PASS until the waiver expires.'], input: input('reason'), hint: TEXT_HINT });
      if (flow.step === 'expiry')
        return out({ title, lines: [`reason: ${txt(d.reason)}`], input: input('expires (2h, 14:30 UTC, ISO; max 7d)'), hint: TEXT_HINT });
      const expires = d.expires === undefined ? '?' : `${iso(d.expires)} (${inWords(d.expires, ctx.now)})`;
      return out({
        title,
        lines: ctx.waiverApprovals
          ? [`reason: ${txt(d.reason)}`, `expires: ${expires}`, `waiver request: ${needsText(ctx.waiverApprovals)}`, 'Pending until approved; then the gate counts as PASS until it expires.']
          : [`reason: ${txt(d.reason)}`, `expires: ${expires}`, 'Counts the gate as PASS until then; recorded.'],
        hint: CONFIRM_Y,
      });
    }
    case 'approve': {
      const r = d.request!;
      const what = r.kind === 'go' ? 'OVERRIDE (GO while NO-GO)' : `WAIVER of ${txt(r.gate, 60)}`;
      return out({
        title: `APPROVE ${what} ${r.id.slice(0, 8)} requested by ${txt(r.requestedBy, 40)}?`,
        lines: [
          `${r.kind === 'go' ? 'overrides NO-GO gates' : 'waives'}: ${r.overridden.map((g) => txt(g, 60)).join(', ') || '(none)'}`,
          `justification: ${txt(r.justification)}`,
          `approvals ${r.counted}/${r.need}, expires ${iso(r.expires)} (${inWords(r.expires, ctx.now)})`,
          ...(r.others?.length ? [`${r.others.length + 1} requests are open; this is the oldest. Also open: ${r.others.slice(0, 3).map((o) => `${o.id.slice(0, 8)} by ${txt(o.requestedBy, 40)}`).join(', ')}`] : []),
          'Records and publishes your signed approval.',
        ],
        hint: CONFIRM_Y,
      });
    }
    case 'quit': {
      const lines: string[] = [];
      if (ctx.killInFlight && ctx.quitWaiting) lines.push('quit NOW? The kill-switch in flight is abandoned (recorded as abandoned).');
      else if (ctx.killInFlight) lines.push('a kill-switch is in flight: y quits once it has an outcome (up to its retry budget).');
      else if (ctx.actionInFlight) lines.push('an action is in flight; quit?', 'It will no longer be followed or verified here.');
      if (ctx.auditPending) lines.push(`${ctx.auditPending} audit line(s) NOT SAVED (${txt(ctx.auditError ?? 'still writing')}): quitting writes them to a rescue file.`);
      return out({ title: 'QUIT', lines, hint: 'y quits · Esc or n stays' });
    }
    case 'palette': {
      // The full list is the palette view's (views/Palette.tsx); these lines serve the small screen.
      const entries = paletteView(flow, ctx);
      const cursor = Math.min(d.cursor ?? 0, Math.max(0, entries.length - 1));
      const lines = entries.slice(cursor, cursor + 3).map((e, i) => `${i === 0 ? '>' : ' '} ${txt(e.title, 60)} (${txt(e.hint, 40)})${e.refusal ? ` - ${txt(e.refusal, 80)}` : ''}`);
      return out({ title: `COMMANDS (${entries.length})`, lines: lines.length ? lines : ['nothing matches'], input: input('filter'), hint: PALETTE_HINT });
    }
    case 'runbook':
      return describeRunbook(flow, ctx, out, input);
    case 'invalidate':
      return describeInvalidate(flow, ctx, out, input);
  }
}

/** `== {{p}}` as it will be checked: the params filled in (a placeholder left over stays as written). */
function filled(text: string, params: Record<string, string | number>): string {
  return text.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (m, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : m));
}

function describeRunbook(flow: Flow, ctx: FlowContext, out: Out, input: Input): FlowDescription {
  const d = flow.data;
  const rb = d.runbook;
  if (!rb) return out({ title: 'RUNBOOK', lines: [], hint: 'Esc cancels' });
  const title = `RUNBOOK ${txt(rb.title, 60)} (${txt(rb.id, 40)})`;
  const remedy = d.gate !== undefined ? [`remedy for "${txt(d.gateTitle ?? d.gate, 60)}"`] : [];
  const sofar = d.params && Object.keys(d.params).length ? [`params: ${txt(paramsText(d.params))}`] : [];
  if (flow.step === 'param') {
    const p = currentParam(flow)!;
    if (p.kind === 'choice') {
      const choices = p.choices ?? [];
      const cursor = d.cursor ?? 0;
      const list = choices.map((c, i) => `${i === cursor ? '>' : ' '} ${i + 1} ${txt(c, 64)}`);
      return out({ title, lines: [...remedy, `${txt(paramLabel(p), 60)}:`, ...list], hint: `↑/↓ or 1-${Math.min(9, choices.length)}, Enter · Esc cancels` });
    }
    const what = p.kind === 'pct' ? 'a whole number 0-100' : `one line, at most ${p.maxLength ?? 80} characters`;
    return out({ title, lines: [...remedy, ...sofar], input: input(txt(paramLabel(p), 60)), hint: `${what}, Enter · Esc cancels` });
  }
  if (flow.step === 'reason') return out({ title, lines: [...remedy, ...sofar, 'a reason is sent with the request'], input: input('reason'), hint: TEXT_HINT });
  const lines = [...remedy, ...sofar];
  if (d.reason !== undefined) lines.push(`reason: ${txt(d.reason)}`);
  const sends = txt(rb.sends, 120);
  lines.push(`${sends.charAt(0).toUpperCase()}${sends.slice(1)}.`);
  if (rb.verifies) lines.push(`Then verifies ${txt(filled(rb.verifies, d.params ?? {}), 120)}.`);
  void ctx;
  return out({ title: txt(rb.confirm ?? `run ${rb.title}?`, 120), lines, hint: CONFIRM_Y });
}

/** The decision prompt: choice, then GO-override request or decision record. */
function describeDecision(flow: Flow, ctx: FlowContext, out: Out, input: Input): FlowDescription {
  const d = flow.data;
  if (flow.step === 'choice')
    return out({
      title: `RECORD DECISION (light ${ctx.overall})`,
      lines: [
        'g GO · n NO-GO · h HOLD',
        ...(ctx.overall !== 'NO-GO' ? [] : ctx.override ? [`g asks for an override: ${needsText(ctx.override)}`] : ['GO is refused while the light is NO-GO']),
      ],
      hint: 'g, n or h · Esc cancels',
    });
  if (d.override && ctx.override) {
    const title = 'OVERRIDE REQUEST: GO while the light is NO-GO';
    const need = `override request: ${needsText(ctx.override)}`;
    if (flow.step === 'justification') return out({ title, lines: [need], input: input('justification'), hint: TEXT_HINT });
    return out({
      title,
      lines: [`justification: ${txt(d.justification)}`, need, 'Records and publishes a signed request; the GO record is written once the approvals are in.'],
      hint: CONFIRM_Y,
    });
  }
  const title = `RECORD DECISION: ${d.decision ?? '?'}`;
  if (flow.step === 'justification') return out({ title, lines: [signoffLine(ctx)], input: input('justification'), hint: TEXT_HINT });
  if (flow.step === 'review')
    return out({
      title,
      lines: [`justification: ${txt(d.justification)}`],
      input: input('next review (4h, 14:30 UTC, ISO)'),
      hint: TEXT_HINT,
    });
  const lines = [`justification: ${txt(d.justification)}`];
  if (d.decision === 'NO-GO' && d.nextReview !== undefined) lines.push(`next review: ${iso(d.nextReview)} (${inWords(d.nextReview, ctx.now)})`);
  lines.push(signoffLine(ctx));
  lines.push('Writes the decision record to the audit trail.');
  return out({ title, lines, hint: CONFIRM_Y });
}

/** The invalidate prompt: pick the entry, give a reason, confirm. */
function describeInvalidate(flow: Flow, ctx: FlowContext, out: Out, input: Input): FlowDescription {
  const d = flow.data;
  const title = 'INVALIDATE (appended, never deleted)';
  if (flow.step === 'target') {
    const targets = invalidateTargets(flow);
    const cursor = Math.min(d.cursor ?? 0, Math.max(0, targets.length - 1));
    const lines = targets.map((t, i) => `${i === cursor ? '›' : ' '} ${i + 1} ${txt(t.label, 100)}`);
    return out({ title, lines: ['Which entry no longer counts?', ...lines], hint: `↑/↓ or 1-${targets.length}, Enter · Esc cancels` });
  }
  const what = txt(d.target?.label, 120);
  if (flow.step === 'reason') return out({ title, lines: [what], input: input('reason'), hint: TEXT_HINT });
  return out({
    title,
    lines: [what, `reason: ${txt(d.reason)}`, 'check, the console and report stop counting it; audit verify shows it.'],
    hint: CONFIRM_Y,
  });
}
