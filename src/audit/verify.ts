/** `warroom audit verify`: the ledger chain and every decision record, named file:line. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { chainedLines, readLedgers, type LedgerFileRead } from './ledgerSet.js';
import { invalidatedText, judgeInvalidations, type AuthorityRules } from './authority.js';
import { join } from 'node:path';
import { stripControl } from '../util/sanitize.js';
import { DECISION_SCHEMA, DECISION_SUFFIX, hashDecisionRecord, type DecisionRecord } from './decisionFile.js';
import { describe } from './fsutil.js';
import { GENESIS_HASH, LEDGER_FILE, type VerifyResult } from './types.js';
import { claimText, judgeLine, type SignerRules } from './judge.js';

export interface AuditVerifyResult {
  ok: boolean;
  /** One line per finding (or one summary line when ok); file names and line numbers included. */
  message: string;
  exitCode: 0 | 1;
}

export interface AuditDirRead {
  /** ledger.jsonl's text, or undefined when it does not exist. */
  text?: string;
  chain?: VerifyResult;
  /** Every ledger of the dir: ledger.jsonl and each ledger-<actor>.jsonl. */
  files: LedgerFileRead[];
  problems: string[];
  decisionFiles: number;
}

/** Reads and checks an audit directory, every ledger in it; shared by verify and report. */
export async function inspectAuditDir(dir: string, signing: Partial<SignerRules> = {}): Promise<AuditDirRead> {
  const problems: string[] = [];
  try {
    if (!(await stat(dir)).isDirectory()) return { problems: [`${dir}: not a directory`], decisionFiles: 0, files: [] };
  } catch (e) {
    return { problems: [`audit directory ${dir} not found (${describe(e)})`], decisionFiles: 0, files: [] };
  }
  const read = await readLedgers(dir, signing);
  problems.push(...read.problems);
  const main = read.files.find((f) => f.name === LEDGER_FILE);
  if (read.files.length === 0) problems.push(`${LEDGER_FILE}: not found in ${dir}`);
  for (const h of read.orphanHeads) problems.push(`${h}: its ledger ${h.replace(/\.head$/, '.jsonl')} is missing (deleted?)`);
  for (const f of read.files) {
    if (!f.chain.ok) problems.push(`${f.name}:${f.chain.line}: ${f.chain.reason}`);
    if (f.headProblem) problems.push(`${f.name}: ${f.headProblem}`);
  }
  problems.push(...claimProblems(read.files, signing));

  // Decision lines as written (even in a ledger that failed verification, to say what we can).
  const all = read.files.flatMap((f) => f.lines.map((x) => ({ ...x, file: f.name })));
  const ledgerHashes = new Set<string>([GENESIS_HASH, ...all.map((x) => x.line.hash)]);
  const recordHashes = new Set<string>();
  for (const { line: l } of all) if (l.type === 'decision') recordHashes.add(l.record_hash);

  let names: string[] = [];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(DECISION_SUFFIX)).sort();
  } catch (e) {
    problems.push(`${dir}: cannot list (${describe(e)})`);
  }
  const present = new Set(names);
  for (const name of names) {
    const p = await checkDecisionFile(join(dir, name), name, recordHashes, ledgerHashes, read.files.length > 0);
    if (p) problems.push(p);
  }
  for (const { lineNo, line: l, file } of all) {
    if (l.type !== 'decision') continue;
    const name = typeof l.file === 'string' ? l.file : '';
    if (!present.has(name)) problems.push(`${file}:${lineNo}: decision record ${clean(name) || '(unnamed)'} is missing`);
  }
  const out: AuditDirRead = { files: read.files, problems, decisionFiles: names.length };
  if (main) {
    out.text = main.text;
    out.chain = main.chain;
  }
  return out;
}

async function checkDecisionFile(
  path: string,
  name: string,
  recordHashes: Set<string>,
  ledgerHashes: Set<string>,
  haveLedger: boolean,
): Promise<string | undefined> {
  let rec: DecisionRecord;
  try {
    const v: unknown = JSON.parse(await readFile(path, 'utf8'));
    if (!v || typeof v !== 'object' || Array.isArray(v)) return `${name}: not a JSON object`;
    rec = v as DecisionRecord;
  } catch (e) {
    return `${name}: unparsable JSON (${clean(describe(e))})`;
  }
  if (rec.schema !== DECISION_SCHEMA) return `${name}: not a ${DECISION_SCHEMA} record`;
  let actual: string;
  try {
    actual = hashDecisionRecord(rec);
  } catch (e) {
    return `${name}: cannot hash (${describe(e)})`;
  }
  if (actual !== rec.hash) return `${name}: hash mismatch (file edited)`;
  if (!haveLedger) return undefined;
  if (!recordHashes.has(rec.hash)) return `${name}: no ${LEDGER_FILE} decision line carries its hash (record not in the ledger)`;
  if (!ledgerHashes.has(rec.prev_hash)) return `${name}: prev_hash is not the hash of any ${LEDGER_FILE} line`;
  return undefined;
}

const clean = (s: string): string => stripControl(s, { keepNewlines: false });

/**
 * In a signed room, every line of an act of authority that no listed key signed for its actor,
 * named file:line, wherever it sits (the judge's verdict, judge.ts).
 */
export function claimProblems(files: readonly LedgerFileRead[], signing: Partial<SignerRules>): string[] {
  if (!signing.signers) return [];
  const rules = { signers: signing.signers, now: signing.now ?? Date.now() };
  const out: string[] = [];
  for (const f of files) {
    for (const { lineNo, line } of f.lines) {
      const v = judgeLine(line, rules);
      if (!v.ok) out.push(clean(`${claimText(f.name, lineNo, line)} carries no authority: ${v.why}`));
    }
  }
  return out;
}

/**
 * SPEC §9.5: what stands invalidated, and invalidations that do not count, one line each
 * (`ledger.jsonl:7 decision GO by alice invalidated by carol at …: reason`). Without the
 * config's rules, the ledger's own deployment and no roles.
 */
export function invalidationReport(files: readonly LedgerFileRead[], rules?: Omit<AuthorityRules, 'now' | 'maxAgeMs'>): string[] {
  const lines = files.flatMap(chainedLines);
  const r = rules ?? { deployment: lines[0]?.line.deployment ?? '' };
  // Named by where the invalidation points; it removes the act wherever copies of it sit.
  const { counted, refused } = judgeInvalidations(lines, r);
  const out = [...counted.values()].map((i) => clean(`${i.target.file}:${i.target.line} ${i.targetWhat} by ${i.targetActor} ${invalidatedText(i)}`));
  for (const x of refused) {
    const t = x.target as { file?: unknown; line?: unknown } | undefined;
    out.push(clean(`invalidation of ${String(t?.file ?? '?')}:${String(t?.line ?? '?')} by ${x.actor} not counted: ${x.why}`));
  }
  return out;
}

/** Exit 0 when the ledger (possibly empty) and every decision record verify; else 1. */
export async function verifyAuditDir(dir: string, rules?: Omit<AuthorityRules, 'now' | 'maxAgeMs'> & { now?: number }): Promise<AuditVerifyResult> {
  const r = await inspectAuditDir(dir, { ...(rules?.signers ? { signers: rules.signers } : {}), now: rules?.now ?? Date.now() });
  const inv = invalidationReport(r.files, rules);
  if (r.problems.length > 0) return { ok: false, message: [...r.problems, ...inv].join('\n'), exitCode: 1 };
  const counts = r.files.map((f) => `${f.name} ${f.chain.ok ? f.chain.count : 0} line(s) chained`).join(', ');
  return {
    ok: true,
    message: [`ok: ${counts || `${LEDGER_FILE} 0 line(s)`}, ${r.decisionFiles} decision record(s) verified${rules?.signers ? ', every act signed by a key allowed_signers lists for its actor' : ''}`, ...inv].join('\n'),
    exitCode: 0,
  };
}
