/**
 * `report --room --format html|json` (SPEC §10.1, §10.3): the room's stream as the report
 * model's second reader. It returns the same `ReportInputs` an audit dir gives, judged by the
 * same judges (what counts, what is invalidated, and in a signed room every act no listed key
 * signed as a claim with its stream origin: listed, never counted). The stream carries ledgers
 * only: the gate history comes from a console's audit dir when `--dir` names one, and the
 * report says when there is none.
 */
import { judgeInvalidations, judgeSignoffs } from '../audit/authority.js';
import { judgeCheckpointAcks } from '../audit/checkpointAcks.js';
import { actHash, judgeLine, SIGNED_NOTICE, signedRoom, unsignedNotice } from '../audit/judge.js';
import { renderReportFromLines } from '../audit/report.js';
import type { Claim } from '../audit/report.js';
import { rulesFor } from '../audit/signers.js';
import type { Config } from '../config/types.js';
import type { ReportInputs } from '../report/inputs.js';
import { readHistory, type HistoryRead } from '../report/readHistory.js';
import type { WindowRead } from '../report/window.js';
import { stripControl } from '../util/sanitize.js';
import { readRoom } from './audit.js';
import type { StreamRead } from './chains.js';

const clean = (s: string) => stripControl(s, { keepNewlines: false });

/** What the room's stream alone says, as a report's inputs (pure given the read and rules). */
export function roomInputs(read: StreamRead, rules: Awaited<ReturnType<typeof rulesFor>>['rules']): ReportInputs {
  const lines = read.chained.map((c) => c.line).sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts));
  const inv = judgeInvalidations(read.chained, rules);
  const judged = judgeSignoffs(read.chained.filter((l) => !inv.counted.has(actHash(l.line))), rules);
  const claims: Claim[] = [];
  if (signedRoom(rules)) {
    for (const c of read.chains) {
      for (const { seq, line } of c.lines) {
        const v = judgeLine(line, rules);
        if (!v.ok) claims.push({ origin: clean(`room stream seq ${seq} (chain of ${c.actor})`), line, why: v.why });
      }
    }
  }
  const chainedText = `verified: ${lines.length} line(s) in ${read.chains.length} chain(s) of the room stream${read.copies ? ` (${read.copies} re-published copie(s) counted once)` : ''}`;
  return {
    lines,
    chained: read.chained,
    rules,
    integrity: read.orphans.length === 0
      ? { ok: true, text: chainedText }
      : { ok: false, text: read.orphans.map((o) => clean(`stream seq ${o.seq} (${o.subject}) belongs to no valid chain, not counted: ${o.why}`)).join('; ') },
    counted: judged.counted,
    unverified: judged.unverified,
    invalidated: [...inv.counted.values()],
    refusedInvalidations: inv.refused,
    claims,
    acks: judgeCheckpointAcks(read.chained, rules).counted.sort((a, b) => a.at - b.at),
    attribution: signedRoom(rules) ? SIGNED_NOTICE : unsignedNotice('the room stream'),
  };
}

const NO_HISTORY = "the room's stream carries the ledgers only, not a console's gate history: the charts show what the ledger says (report --room --dir DIR draws that console's history)";

/** The room's stream read and judged at the window's end (its newest line). */
async function readRoomInputs(config: Config): Promise<ReportInputs> {
  const read = await readRoom(config);
  if (read.chained.length === 0 && read.orphans.length === 0) throw new Error(`the room's stream has no ledger line yet`);
  const end = Math.max(0, ...read.chained.map((c) => Date.parse(c.line.ts)).filter(Number.isFinite));
  const { rules: r } = await rulesFor(config, end);
  return roomInputs(read, { ...r, now: end });
}

/** `report --room` in Markdown: the same inputs; claims fail Integrity, as `audit verify --room` does. */
export async function renderRoomReport(config: Config, opts: { generatedAt?: number } = {}): Promise<string> {
  const { lines, chained: _c, rules: _r, integrity, ...judged } = await readRoomInputs(config);
  const problems = [...(integrity.ok ? [] : [integrity.text]), ...judged.claims.map((c) => clean(`${c.origin} ${c.line.type} by ${c.line.actor} carries no authority: ${c.why}`))];
  return renderReportFromLines(lines, {
    ...(opts.generatedAt !== undefined ? { generatedAt: opts.generatedAt } : {}),
    ...judged,
    integrity: problems.length ? { ok: false, text: problems.join('; ') } : integrity,
  });
}

/** The window from the room's stream; the gate history from `historyDir` when given. */
export async function readWindowRoom(config: Config, historyDir?: string): Promise<WindowRead> {
  const inputs = await readRoomInputs(config);
  let history: HistoryRead = { lines: [], files: [], notes: [NO_HISTORY] };
  if (historyDir !== undefined) {
    const h = await readHistory(historyDir);
    history = h.lines.length ? h : { ...h, notes: [...h.notes, `no gate history in ${historyDir}: the charts show what the ledger says`] };
  }
  return { inputs, history };
}
