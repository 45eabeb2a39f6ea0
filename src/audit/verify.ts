/** `warroom audit verify`: the ledger chain and every decision record, named file:line. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { stripControl } from '../util/sanitize.js';
import { parseLedgerLinesNumbered, splitLines, verifyChain } from './chain.js';
import { DECISION_SCHEMA, DECISION_SUFFIX, hashDecisionRecord, type DecisionRecord } from './decisionFile.js';
import { describe } from './fsutil.js';
import { GENESIS_HASH, LEDGER_FILE, type VerifyResult } from './types.js';

export interface AuditVerifyResult {
  ok: boolean;
  /** One line per finding (or one summary line when ok); file names and line numbers included. */
  message: string;
  exitCode: 0 | 1;
}

export interface AuditDirRead {
  /** Ledger text, or undefined when ledger.jsonl does not exist. */
  text?: string;
  chain?: VerifyResult;
  problems: string[];
  decisionFiles: number;
}

/** Reads and checks an audit directory; shared by verify and report. */
export async function inspectAuditDir(dir: string): Promise<AuditDirRead> {
  const problems: string[] = [];
  try {
    if (!(await stat(dir)).isDirectory()) return { problems: [`${dir}: not a directory`], decisionFiles: 0 };
  } catch (e) {
    return { problems: [`audit directory ${dir} not found (${describe(e)})`], decisionFiles: 0 };
  }
  let text: string | undefined;
  try {
    text = await readFile(join(dir, LEDGER_FILE), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    problems.push(
      code === 'ENOENT' ? `${LEDGER_FILE}: not found in ${dir}` : `${LEDGER_FILE}: cannot read (${describe(e)})`,
    );
  }
  const raw = text === undefined ? [] : splitLines(text);
  const chain = text === undefined ? undefined : verifyChain(raw);
  if (chain && !chain.ok) problems.push(`${LEDGER_FILE}:${chain.line}: ${chain.reason}`);

  // Decision lines as written (even in a ledger that failed verification, to say what we can).
  const numbered = parseLedgerLinesNumbered(raw);
  const lines = numbered.map((x) => x.line);
  const ledgerHashes = new Set<string>([GENESIS_HASH, ...lines.map((l) => l.hash)]);
  const recordHashes = new Set<string>();
  for (const l of lines) if (l.type === 'decision') recordHashes.add(l.record_hash);

  let names: string[] = [];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(DECISION_SUFFIX)).sort();
  } catch (e) {
    problems.push(`${dir}: cannot list (${describe(e)})`);
  }
  const present = new Set(names);
  for (const name of names) {
    const p = await checkDecisionFile(join(dir, name), name, recordHashes, ledgerHashes, text !== undefined);
    if (p) problems.push(p);
  }
  for (const { lineNo, line: l } of numbered) {
    if (l.type !== 'decision') continue;
    const file = typeof l.file === 'string' ? l.file : '';
    if (!present.has(file)) {
      problems.push(`${LEDGER_FILE}:${lineNo}: decision record ${clean(file) || '(unnamed)'} is missing`);
    }
  }
  return { text, chain, problems, decisionFiles: names.length };
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

/** Exit 0 when the ledger (possibly empty) and every decision record verify; else 1. */
export async function verifyAuditDir(dir: string): Promise<AuditVerifyResult> {
  const r = await inspectAuditDir(dir);
  if (r.problems.length > 0) return { ok: false, message: r.problems.join('\n'), exitCode: 1 };
  const count = r.chain?.ok ? r.chain.count : 0;
  return {
    ok: true,
    message: `ok: ${LEDGER_FILE} ${count} line(s) chained, ${r.decisionFiles} decision record(s) verified`,
    exitCode: 0,
  };
}
