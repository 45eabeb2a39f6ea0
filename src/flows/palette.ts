/**
 * The `:` command palette's entries (SPEC §9.5), modelled on k9s' command prompt and lazygit's
 * command menus: every built-in action with its key, then every runbook, each with why this
 * console may not run it (shown dimmed, refused if chosen). A new act is one more entry in
 * PALETTE_BUILTINS. Pure.
 */
import { fuzzyRank, type FuzzyMatch } from './fuzzy.js';
import { refusal } from './permissions.js';
import { READ_ONLY_MESSAGE, type FlowContext, type FlowKind, type PaletteCommand } from './types.js';

// Defined with the flow types (which carry them); named here for the palette's callers.
export type { PaletteCommand, RunbookOption } from './types.js';

export type PaletteTarget = { flow: Exclude<FlowKind, 'palette' | 'runbook' | 'quit'> } | { command: PaletteCommand } | { runbook: string };

export interface PaletteEntry {
  /** Unique among entries: the action name, or `runbook:<id>`. */
  id: string;
  title: string;
  /** The key that does the same on the main screen, or the runbook id. */
  hint: string;
  target: PaletteTarget;
  refusal?: string;
}

interface BuiltinEntry {
  id: string;
  title: string;
  key: string;
  target: Exclude<PaletteTarget, { runbook: string }>;
  /** Why not now; default: the flow's own refusal (read-only, roles). */
  refusal?: (ctx: FlowContext) => string | undefined;
}

const readOnlyOnly = (ctx: FlowContext) => (ctx.readOnly ? READ_ONLY_MESSAGE : undefined);

/** The built-ins, in the order the palette lists them. */
export const PALETTE_BUILTINS: readonly BuiltinEntry[] = [
  { id: 'kill', title: 'Kill-switch: influence to 0%', key: 'K', target: { flow: 'kill' } },
  { id: 'influence', title: 'Set influence', key: 'i', target: { flow: 'influence' } },
  { id: 'advance', title: 'Advance to the next ramp stage', key: 'n', target: { flow: 'advance' } },
  { id: 'decision', title: 'Record a decision (GO / NO-GO / HOLD)', key: 'd', target: { flow: 'decision' } },
  { id: 'signoff', title: 'Sign off', key: 's', target: { flow: 'signoff' } },
  { id: 'waive', title: 'Waive the selected gate', key: 'w', target: { flow: 'waive' } },
  { id: 'approve', title: 'Approve the open override / waiver request', key: 'o', target: { flow: 'approve' } },
  { id: 'acknowledge', title: 'Acknowledge checkpoint / cancel auto-rollback', key: 'a', target: { command: 'acknowledge' }, refusal: readOnlyOnly },
  { id: 'invalidate', title: 'Invalidate a decision, sign-off or waiver', key: '-', target: { flow: 'invalidate' } },
  { id: 'refresh', title: 'Refresh all sources', key: 'r', target: { command: 'refresh' }, refusal: () => undefined },
  { id: 'help', title: 'Help: all keys', key: '?', target: { command: 'help' }, refusal: () => undefined },
];

export function paletteEntries(ctx: FlowContext): PaletteEntry[] {
  const out: PaletteEntry[] = PALETTE_BUILTINS.map((b) => {
    const why = b.refusal ? b.refusal(ctx) : 'flow' in b.target ? refusal(b.target.flow, ctx) : undefined;
    return { id: b.id, title: b.title, hint: b.key, target: b.target, ...(why ? { refusal: why } : {}) };
  });
  for (const rb of ctx.runbooks ?? []) {
    const why = ctx.readOnly ? READ_ONLY_MESSAGE : rb.refusal;
    out.push({ id: `runbook:${rb.id}`, title: rb.title, hint: rb.id, target: { runbook: rb.id }, ...(why ? { refusal: why } : {}) });
  }
  return out;
}

/** Letters and digits only, lower-cased: `Kill-switch: influence` → `killswitchinfluence`. */
const squash = (s: string): string => s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/** A built-in the query names: its key, or the start of its id or title (`kill`, `kill-sw`, `K`). */
function namesBuiltin(e: PaletteEntry, query: string): boolean {
  if ('runbook' in e.target) return false;
  const q = squash(query);
  if (query.trim().toLowerCase() === e.hint.toLowerCase()) return true;
  return q !== '' && (squash(e.id).startsWith(q) || squash(e.title).startsWith(q));
}

/**
 * The entries matching `query`, best first (title and id are both searched). Built-ins the
 * query names come before everything else: a tired `:kill`, Enter must reach the kill-switch,
 * never a runbook that happens to be titled "Kill canary pods" and scores as well.
 */
export function paletteMatches(ctx: FlowContext, query: string): { entry: PaletteEntry; match: FuzzyMatch }[] {
  const ranked = fuzzyRank(paletteEntries(ctx), query, (e) => `${e.title} ${e.hint}`).map(({ item, match }) => ({ entry: item, match }));
  if (query.trim() === '') return ranked;
  const named = ranked.filter((m) => namesBuiltin(m.entry, query));
  return [...named, ...ranked.filter((m) => !named.includes(m))];
}
