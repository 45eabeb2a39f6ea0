/**
 * The window a report is made of, read from where it lives: today an audit dir (every ledger
 * and the gate history beside them). `--room` (the room's JetStream stream) plugs in here as a
 * second reader returning the same `ReportInputs` and history.
 */
import type { AuthorityRules } from '../audit/authority.js';
import { UNSIGNED_NOTICE } from '../audit/judge.js';
import { NoLedgerError, reportInputs, type ReportInputs } from './inputs.js';
import { buildModel, type WindowModel } from './model.js';
import { readHistory, type HistoryRead } from './readHistory.js';

export interface WindowRead {
  inputs: ReportInputs;
  history: HistoryRead;
}

export async function readWindowDir(dir: string, rules?: Omit<AuthorityRules, 'now'> & { now?: number }): Promise<WindowRead> {
  const history = await readHistory(dir);
  try {
    return { inputs: await reportInputs(dir, rules), history };
  } catch (e) {
    // A window where nobody acted has no ledger; its charts are still worth a look.
    if (!(e instanceof NoLedgerError) || history.lines.length === 0) throw e;
    return { inputs: withoutLedger(e.message, rules), history };
  }
}

function withoutLedger(why: string, rules?: Omit<AuthorityRules, 'now'> & { now?: number }): ReportInputs {
  return {
    lines: [],
    chained: [],
    rules: { deployment: '', maxAgeMs: 0, ...rules, now: rules?.now ?? 0 },
    integrity: { ok: false, text: `${why}: no act was recorded in this window; the charts are the console's history alone` },
    counted: [],
    unverified: [],
    claims: [],
    attribution: UNSIGNED_NOTICE,
    invalidated: [],
    refusedInvalidations: [],
  };
}

export function windowModel(w: WindowRead, opts: { generatedAt?: number } = {}): WindowModel {
  return buildModel(w.inputs, w.history, opts);
}
