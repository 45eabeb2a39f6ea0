/**
 * The window a report is made of, read from where it lives: today an audit dir (every ledger
 * and the gate history beside them). `--room` (the room's JetStream stream) plugs in here as a
 * second reader returning the same `ReportInputs` and history.
 */
import type { AuthorityRules } from '../audit/authority.js';
import { reportInputs, type ReportInputs } from './inputs.js';
import { buildModel, type WindowModel } from './model.js';
import { readHistory, type HistoryRead } from './readHistory.js';

export interface WindowRead {
  inputs: ReportInputs;
  history: HistoryRead;
}

export async function readWindowDir(dir: string, rules?: Omit<AuthorityRules, 'now'> & { now?: number }): Promise<WindowRead> {
  const [inputs, history] = await Promise.all([reportInputs(dir, rules), readHistory(dir)]);
  return { inputs, history };
}

export function windowModel(w: WindowRead, opts: { generatedAt?: number } = {}): WindowModel {
  return buildModel(w.inputs, w.history, opts);
}
