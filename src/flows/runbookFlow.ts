/**
 * The palette and runbook flows (SPEC §9.5): `:` opens the palette; Enter on an entry opens its
 * flow (a built-in's own prompt, or a runbook's params → reason when it sends one → confirm);
 * `x` opens the remedy runbook of the banner's gate, else of the selected gate. Pure, like the
 * reducer it plugs into; the effect names what to run and the console checks rights again.
 */
import { paletteMatches, type PaletteEntry, type RunbookOption } from './palette.js';
import { paramLabel, parseParam } from './runbookParams.js';
import { editDraft } from './text.js';
import { isPromptKey, listKey, moveKey } from '../input/promptKeys.js';
import type { Flow, FlowContext, FlowResult, Key } from './types.js';

type OpenFlow = (kind: 'kill' | 'influence' | 'advance' | 'decision' | 'signoff' | 'waive' | 'invalidate' | 'approve', ctx: FlowContext) => FlowResult;

const refused = (message: string): FlowResult => ({ flow: null, effect: { type: 'refused', message } });

/** The palette opens for every console: a read-only one lists what it may not run, and why. */
export function openPalette(): FlowResult {
  return { flow: { kind: 'palette', step: 'filter', draft: '', data: { cursor: 0 } } };
}

/** The first step of a runbook: its first param, else a reason when it sends one, else the confirm screen. */
function runbookStep(rb: RunbookOption, index: number, data: Flow['data'], ctx: FlowContext): Flow {
  const base = { ...data, runbook: rb, paramIndex: index };
  if (index < rb.params.length) return { kind: 'runbook', step: 'param', draft: '', data: { ...base, cursor: 0 } };
  if (rb.usesReason && data.reason === undefined) return { kind: 'runbook', step: 'reason', draft: '', data: { ...base, reasonRequired: 'it is sent with the request' } };
  return { kind: 'runbook', step: 'confirm', draft: '', data: base, confirmShownAt: ctx.wallNow };
}

export function openRunbook(id: string, ctx: FlowContext, gate?: { id: string; title: string }): FlowResult {
  const rb = ctx.runbooks?.find((r) => r.id === id);
  if (!rb) return refused(`runbook ${id} is not configured`);
  if (rb.refusal) return refused(`${rb.title} refused: ${rb.refusal}`);
  return { flow: runbookStep(rb, 0, { params: {}, ...(gate ? { gate: gate.id, gateTitle: gate.title } : {}) }, ctx) };
}

/** `x`: the remedy of the gate whose banner is up, else of the selected gate. */
export function openRemedy(ctx: FlowContext): FlowResult {
  const g = ctx.bannerGate ?? ctx.selectedGate;
  if (!g) return refused('no gate is selected: x runs the selected gate\'s remedy');
  if (!g.remedy) return refused(`"${g.title}" has no remedy (a gate's remedy: names a runbook)`);
  return openRunbook(g.remedy, ctx, { id: g.id, title: g.title });
}

/** The palette's entries for the current filter (the view lists the same ones). */
export function paletteView(flow: Flow, ctx: FlowContext): PaletteEntry[] {
  return paletteMatches(ctx, flow.draft).map((m) => m.entry);
}

function choose(flow: Flow, entry: PaletteEntry | undefined, ctx: FlowContext, openFlow: OpenFlow): FlowResult {
  if (!entry) return { flow: { ...flow, error: 'nothing matches the filter' } };
  if (entry.refusal) {
    // Stays open, so the next entry can be picked; the refusal is also said and logged.
    const message = `${entry.title} refused: ${entry.refusal}`;
    return { flow: { ...flow, error: message }, effect: { type: 'refused', message } };
  }
  const t = entry.target;
  if ('flow' in t) return openFlow(t.flow, ctx);
  if ('command' in t) return { flow: null, effect: { type: 'command', command: t.command } };
  return openRunbook(t.runbook, ctx);
}

export function paletteKey(flow: Flow, key: Key, ctx: FlowContext, openFlow: OpenFlow): FlowResult {
  const entries = paletteView(flow, ctx);
  const cursor = Math.min(flow.data.cursor ?? 0, Math.max(0, entries.length - 1));
  const next = moveKey(key, cursor, entries.length);
  if (next !== undefined) return { flow: { ...flow, data: { ...flow.data, cursor: next } } };
  // Digits are filter text here: only Enter picks.
  if (isPromptKey('submit', key)) return choose(flow, entries[cursor], ctx, openFlow);
  const draft = editDraft(flow.draft, key);
  if (draft === undefined || draft === flow.draft) return { flow };
  // A new filter lists new entries: the highlight goes back to the best match.
  return { flow: { ...flow, draft: Array.from(draft).slice(0, 60).join(''), error: undefined, data: { ...flow.data, cursor: 0 } } };
}

export function currentParam(flow: Flow) {
  const rb = flow.data.runbook;
  return rb && flow.step === 'param' ? rb.params[flow.data.paramIndex ?? 0] : undefined;
}

/** At a choice param nothing is typed, so there a bare K is the kill key. */
export function isChoiceParam(flow: Flow): boolean {
  return currentParam(flow)?.kind === 'choice';
}

function accept(flow: Flow, value: string | number, ctx: FlowContext): FlowResult {
  const rb = flow.data.runbook!;
  const p = currentParam(flow)!;
  const data = { ...flow.data, params: { ...(flow.data.params ?? {}), [p.name]: value } };
  return { flow: runbookStep(rb, (flow.data.paramIndex ?? 0) + 1, data, ctx) };
}

export function paramKey(flow: Flow, key: Key, ctx: FlowContext): FlowResult {
  const p = currentParam(flow);
  if (!p) return { flow };
  if (p.kind === 'choice') {
    const choices = p.choices ?? [];
    const cursor = flow.data.cursor ?? 0;
    const k = listKey(key, cursor, choices.length);
    if (k && 'cursor' in k) return { flow: { ...flow, data: { ...flow.data, cursor: k.cursor } } };
    if (!k || choices[k.pick] === undefined) return { flow };
    return accept(flow, choices[k.pick]!, ctx);
  }
  if (isPromptKey('submit', key)) {
    const r = parseParam(p, flow.draft);
    return r.ok ? accept(flow, r.value, ctx) : { flow: { ...flow, error: r.error } };
  }
  const draft = editDraft(flow.draft, key);
  if (draft === undefined || draft === flow.draft) return { flow };
  return { flow: { ...flow, draft, error: undefined } };
}

export { paramLabel };
