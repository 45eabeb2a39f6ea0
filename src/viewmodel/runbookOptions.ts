/** What the flows are told about each configured runbook, with this actor's rights to run it. */
import { showDuration } from '../actions/scrub.js';
import type { RunbookConfig } from '../config/types.js';
import { actRefusal, type Actor } from '../flows/permissions.js';
import type { RunbookOption } from '../flows/palette.js';
import { displayUrl } from '../util/url.js';

/** `sends POST http://host/path` (no query, no credentials) or `runs make (no shell)`: never a header or a body, which may hold secrets. */
export function sendsText(rb: RunbookConfig): string {
  return rb.action.kind === 'http' ? `sends ${rb.action.method} ${displayUrl(rb.action.url)}` : `runs ${rb.action.argv[0] ?? '?'} (no shell)`;
}

export function runbookLabel(rb: Pick<RunbookConfig, 'title'>): string {
  return `runbook "${rb.title}"`;
}

export function runbookOptions(runbooks: Record<string, RunbookConfig>, actor: Actor): RunbookOption[] {
  return Object.values(runbooks).map((rb) => {
    const v = rb.action.verify;
    const why = actRefusal('runbook', actor, { label: runbookLabel(rb), ...(rb.roles ? { roles: rb.roles } : {}) });
    const o: RunbookOption = { id: rb.id, title: rb.title, params: rb.params, usesReason: rb.usesReason, sends: sendsText(rb) };
    if (rb.confirm) o.confirm = rb.confirm;
    if (rb.reasonInArgv) o.reasonInArgv = true;
    if (v) o.verifies = `${v.metric ?? v.query ?? v.key ?? v.source} ${v.expect} within ${showDuration(v.within)}`;
    if (why) o.refusal = why;
    return o;
  });
}
