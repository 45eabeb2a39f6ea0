/**
 * `deployment.gate.criteria_hash`: sha256 over the canonical JSON (audit/canonical.ts) of the
 * criteria snapshot a decision record carries, so a trace names exactly the gate states the
 * room decided on, and anyone holding the record can check it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson, jsonSafe, sha256Tagged } from '../audit/canonical.js';
import { hashDecisionRecord, type DecisionRecord } from '../audit/decisionFile.js';
import type { DecisionEvent } from '../audit/types.js';

/** Pure. */
export function criteriaHash(criteria: DecisionRecord['criteria']): string {
  return sha256Tagged(canonicalJson(jsonSafe(criteria)));
}

/**
 * Reads the record a decision line names and hashes its criteria; undefined unless the file
 * is there within `waitMs` and hashes to the line's record_hash (a record the ledger does not
 * vouch for is not told as the decision's criteria).
 */
export async function decisionCriteriaHash(auditDir: string, line: Pick<DecisionEvent, 'file' | 'record_hash'>, waitMs: number, sleep: (ms: number) => Promise<void>): Promise<string | undefined> {
  // The ledger names a file in the audit dir, never a path elsewhere.
  if (!/^[\w.-]+$/.test(line.file) || line.file.startsWith('.')) return undefined;
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const record = JSON.parse(await readFile(join(auditDir, line.file), 'utf8')) as DecisionRecord;
      return hashDecisionRecord(record) === line.record_hash ? criteriaHash(record.criteria) : undefined;
    } catch {
      // written in the background (decisionFile.ts): may not be there yet
    }
    if (Date.now() >= deadline) return undefined;
    await sleep(100);
  }
}
