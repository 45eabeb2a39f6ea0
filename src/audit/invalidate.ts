/**
 * Which line `audit invalidate [FILE:]LINE` may mark (SPEC §9.5), pure over the dir's ledgers as
 * read: the line must exist, lie inside its file's verified chain (and anchored tail), be for
 * this deployment, be a decision, sign-off or waiver, and not be invalidated already.
 */
import { describeTarget, INVALIDATABLE_TYPES, invalidatedText, judgeInvalidations, type AuthorityRules } from './authority.js';
import { chainedLines, type LedgerFileRead } from './ledgerSet.js';
import { actHash } from './judge.js';
import { LEDGER_FILE, type InvalidateEvent, type LedgerLine } from './types.js';

export interface TargetRef {
  file: string;
  line: number;
}

/** `ledger.jsonl:7`, `ledger-bob.jsonl:3`, or `7` (ledger.jsonl). */
export function parseTargetRef(text: string): TargetRef | undefined {
  const m = /^(?:([^:/\\]+):)?([1-9]\d{0,8})$/.exec(text.trim());
  return m ? { file: m[1] ?? LEDGER_FILE, line: Number(m[2]) } : undefined;
}

export type TargetCheck =
  | { ok: true; target: InvalidateEvent['target']; line: LedgerLine; what: string }
  | { ok: false; why: string };

export function checkTarget(files: readonly LedgerFileRead[], ref: TargetRef, rules: Omit<AuthorityRules, 'now' | 'maxAgeMs'> & { now?: number }): TargetCheck {
  const name = `${ref.file}:${ref.line}`;
  const f = files.find((x) => x.name === ref.file);
  if (!f) return { ok: false, why: `${ref.file}: no such ledger in the audit dir (ledgers: ${files.map((x) => x.name).join(', ') || 'none'})` };
  const found = f.lines.find((x) => x.lineNo === ref.line);
  if (!found) return { ok: false, why: `${name}: no such line (${f.raw.length} line(s) in ${ref.file})` };
  const inChain = chainedLines(f).find((x) => x.line === found.line)?.inChain ?? false;
  if (!inChain) return { ok: false, why: `${name}: not in the verified chain (${f.headProblem ?? (f.chain.ok ? 'unverified' : `${ref.file} fails verification at line ${f.chain.line}: ${f.chain.reason}`)}); run warroom audit verify` };
  const l = found.line;
  if (l.type === 'invalidate') return { ok: false, why: `${name}: an invalidation cannot be invalidated` };
  if (!INVALIDATABLE_TYPES.includes(l.type)) return { ok: false, why: `${name}: a ${l.type} line cannot be invalidated (only ${INVALIDATABLE_TYPES.join(', ')})` };
  if (l.deployment !== rules.deployment) return { ok: false, why: `${name}: for deployment ${JSON.stringify(l.deployment)}, not ${rules.deployment}` };
  // The act, not the line: a copy recorded by another console names the same act as the original.
  const act = actHash(l);
  const already = judgeInvalidations(files.flatMap(chainedLines), rules).counted.get(act);
  if (already) return { ok: false, why: `${name}: already ${invalidatedText(already)}` };
  return { ok: true, target: { file: ref.file, line: ref.line, hash: l.hash, act }, line: l, what: describeTarget(l) };
}
