/**
 * What every report format is made from: every ledger of the audit dir merged in time order,
 * the integrity verdict, and the one authority rule's judgement (sign-offs that count, those
 * that do not, invalidations). Markdown, HTML and JSON all read this, so they never disagree.
 */
import type { Signoff } from '../core/types.js';
import { judgeInvalidations, judgeSignoffs, type AuthorityRules, type ChainedLine, type Invalidation, type RefusedInvalidation, type Unverified } from '../audit/authority.js';
import { actHash, judgeLine, SIGNED_NOTICE, UNSIGNED_NOTICE } from '../audit/judge.js';
import { chainedLines } from '../audit/ledgerSet.js';
import type { LedgerLine } from '../audit/types.js';
import { inspectAuditDir } from '../audit/verify.js';
import { judgeCheckpointAcks } from '../audit/checkpointAcks.js';
import type { CheckpointAck } from '../audit/state.js';

/** A line that records an act no listed key signed: where it sits and why it does not count. */
export interface Claim {
  origin: string;
  line: LedgerLine;
  why: string;
}

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
  /** In a signed room: acts no listed key signed, shown with their origin and never counted. */
  claims: Claim[];
  /** Who could have written the lines: signed acts only, or anyone who can write the dir. */
  attribution: string;
  /** Checkpoint acks that count, by the console's rule (checkpointAcks.ts), in time order. */
  acks?: CheckpointAck[];
}

/** No directory or no ledger: the message is for the user. */
export class NoLedgerError extends Error {}

export async function reportInputs(dir: string, given?: Omit<AuthorityRules, 'now'> & { now?: number }): Promise<ReportInputs> {
  const now = given?.now ?? Date.now();
  const signing = given?.signers ? { signers: given.signers, now } : {};
  const r = await inspectAuditDir(dir, signing);
  if (r.files.length === 0) throw new NoLedgerError(r.problems[0] ?? `no ledger in ${dir}`);
  // Every console's ledger of the window, merged in time order.
  const lines = r.files.flatMap((f) => f.lines.map((x) => x.line)).sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts));
  const end = Math.max(0, ...lines.map((l) => Date.parse(l.ts)).filter(Number.isFinite));
  const rules: AuthorityRules = { deployment: lines[0]?.deployment ?? '', maxAgeMs: 12 * 3600_000, ...given, now: given?.now ?? end };
  const chained = r.files.flatMap(chainedLines);
  const inv = judgeInvalidations(chained, { ...rules, now });
  // Invalidated sign-offs are listed in their own section, not as unverified ones.
  const judged = judgeSignoffs(chained.filter((l) => !inv.counted.has(actHash(l.line))), rules);
  // The judge's verdict (judge.ts): in a signed room, acts no listed key signed are claims, shown with their origin.
  const claims: Claim[] = [];
  if (signing.signers) {
    for (const f of r.files) for (const { lineNo, line } of f.lines) {
      const v = judgeLine(line, { signers: signing.signers, now });
      if (!v.ok) claims.push({ origin: `${f.name}:${lineNo}`, line, why: v.why });
    }
  }
  return {
    lines,
    chained,
    rules,
    invalidated: [...inv.counted.values()],
    refusedInvalidations: inv.refused,
    counted: judged.counted,
    unverified: judged.unverified,
    claims,
    acks: judgeCheckpointAcks(chained, { ...rules, now }).counted.sort((a, b) => a.at - b.at),
    attribution: signing.signers ? SIGNED_NOTICE : UNSIGNED_NOTICE,
    integrity: r.problems.length === 0 ? { ok: true, text: `verified: ${lines.length} ledger line(s) chained, ${r.decisionFiles} decision record(s)` } : { ok: false, text: r.problems.join('; ') },
  };
}
