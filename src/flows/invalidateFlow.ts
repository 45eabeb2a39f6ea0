/**
 * The console's invalidation act (SPEC §9.5), opened from the `:` palette: pick one of the
 * decisions, sign-offs or waivers this console's ledger holds, give a reason, confirm. Nothing
 * is deleted: the effect appends an invalidation line that every reader honours. Pure.
 */
import type { Flow, FlowContext, FlowResult, InvalidateTarget, Key } from './types.js';
import { listKey } from '../input/promptKeys.js';

/** Most targets the prompt lists (newest first): 1-9 pick one directly. */
export const MAX_INVALIDATE_TARGETS = 9;

export function openInvalidate(ctx: FlowContext): FlowResult {
  if (!ctx.invalidatable?.length) {
    return { flow: null, effect: { type: 'refused', message: 'nothing to invalidate: this console\'s ledger holds no standing decision, sign-off or waiver' } };
  }
  // A snapshot, like a runbook's: the view and the keys list the same entries while the prompt is open.
  return { flow: { kind: 'invalidate', step: 'target', draft: '', data: { cursor: 0, targets: ctx.invalidatable.slice(0, MAX_INVALIDATE_TARGETS) } } };
}

export function invalidateTargets(flow: Flow): InvalidateTarget[] {
  return flow.data.targets ?? [];
}

export function targetKey(flow: Flow, key: Key): FlowResult {
  const targets = invalidateTargets(flow);
  const cursor = Math.min(flow.data.cursor ?? 0, Math.max(0, targets.length - 1));
  const k = listKey(key, cursor, targets.length);
  if (k && 'cursor' in k) return { flow: { ...flow, data: { ...flow.data, cursor: k.cursor } } };
  const target = k ? targets[k.pick] : undefined;
  if (!target) return { flow };
  return { flow: { kind: 'invalidate', step: 'reason', draft: '', data: { target, reasonRequired: 'it is recorded with the invalidation' } } };
}
