/**
 * What every report format is made from: every ledger of the audit dir merged in time order,
 * the integrity verdict, and the one authority rule's judgement (sign-offs that count, those
 * that do not, invalidations). Markdown, HTML and JSON all read this, so they never disagree.
 */
import type { Signoff } from '../core/types.js';
import { judgeInvalidations, judgeSignoffs, type AuthorityRules, type ChainedLine, type Invalidation, type RefusedInvalidation, type Unverified } from '../audit/authority.js';
import { chainedLines } from '../audit/ledgerSet.js';
import type { LedgerLine } from '../audit/types.js';
import { inspectAuditDir } from '../audit/verify.js';

export interface ReportInputs {
  lines: LedgerLine[];
  /** Each line with whether its chain vouches for it. */
  chained: ChainedLine[];
  rules: AuthorityRules;
  integrity: { ok: boolean; text: string };
  counted: Signoff[];
  unverified: Unverified[];
  invalidated: Invalidation[];
  refusedInvalidations: RefusedInvalidation[];
}

/** No directory or no ledger: the message is for the user. */
export class NoLedgerError extends Error {}

export async function reportInputs(dir: string, given?: Omit<AuthorityRules, 'now'> & { now?: number }): Promise<ReportInputs> {
  const r = await inspectAuditDir(dir);
  if (r.files.length === 0) throw new NoLedgerError(r.problems[0] ?? `no ledger in ${dir}`);
  // Every console's ledger of the window, merged in time order.
  const lines = r.files.flatMap((f) => f.lines.map((x) => x.line)).sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts));
  const end = Math.max(0, ...lines.map((l) => Date.parse(l.ts)).filter(Number.isFinite));
  const rules: AuthorityRules = { deployment: lines[0]?.deployment ?? '', maxAgeMs: 12 * 3600_000, ...given, now: given?.now ?? end };
  const chained = r.files.flatMap(chainedLines);
  const inv = judgeInvalidations(chained, rules);
  // Invalidated sign-offs are listed in their own section, not as unverified ones.
  const judged = judgeSignoffs(chained.filter((l) => !inv.counted.has(l.line.hash)), rules);
  return {
    lines,
    chained,
    rules,
    invalidated: [...inv.counted.values()],
    refusedInvalidations: inv.refused,
    counted: judged.counted,
    unverified: judged.unverified,
    integrity: r.problems.length === 0 ? { ok: true, text: `verified: ${lines.length} ledger line(s) chained, ${r.decisionFiles} decision record(s)` } : { ok: false, text: r.problems.join('; ') },
  };
}
