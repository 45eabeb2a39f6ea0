/**
 * `--room` for `check`, `audit verify` and `report` (SPEC §10.1): the stream's chains judged by
 * the same judges as a local audit dir. The call sites of the judges are here and only here:
 * judgeSignoffs (what counts), judgeInvalidations / standingLines (what still stands), and one
 * signature check per signed line for `verify`.
 */
import { judgeInvalidations, judgeSignoffs, type AuthorityRules, type ChainedLine } from '../audit/authority.js';
import { actHash, judgeLine, signedRoom } from '../audit/judge.js';
import { judgeCheckpointAcks } from '../audit/checkpointAcks.js';
import { judgeAuthority, readDirChained, type Authority } from '../audit/readAuthority.js';
import { renderReportFromLines, type Claim } from '../audit/report.js';
import { rulesFor } from '../audit/signers.js';
import type { LedgerLine } from '../audit/types.js';
import type { Config } from '../config/types.js';
import { stripControl } from '../util/sanitize.js';
import { chainStream, type StreamRead } from './chains.js';
import { readRoomStream } from './streamRead.js';

export async function readRoom(config: Config): Promise<StreamRead> {
  if (!config.room.nats) throw new Error('--room needs room.nats in the config');
  const { names, msgs } = await readRoomStream(config.room.nats, config.secrets);
  return chainStream(msgs, names);
}

const clean = (s: string) => stripControl(s, { keepNewlines: false });

/**
 * `check --room [--dir DIR]`: sign-offs from any machine, by the one rule; what fits no chain is
 * a warning, never counted. With a dir too, both are read and a line in both counts once (by its hash).
 */
export async function readRoomAuthority(config: Config, now: number, dir?: string): Promise<Authority> {
  const { rules, problems } = await rulesFor(config, now);
  const read = await readRoom(config);
  const warnings = [...problems, ...read.orphans.map((o) => `room stream seq ${o.seq} (${o.subject}) belongs to no valid chain, not counted: ${o.why}`)];
  if (!signedRoom(rules)) warnings.push('unsigned: anyone who can write the room stream could have written these lines');
  const local = dir === undefined ? [] : ((await readDirChained(dir, rules, now, warnings)) ?? []);
  if (dir !== undefined && local.length === 0) warnings.push(`no ledger in ${dir}: the room's stream alone was read`);
  const lines = mergeByHash(read.chained, local);
  if (dir !== undefined) warnings.push(`read ${read.chained.length} line(s) from the room's stream and ${local.length} from ${dir}: ${lines.length} distinct`);
  return judgeAuthority(lines, rules, { now, approvedOnly: config.waiver?.approvals !== undefined }, warnings);
}

/** The stream's lines, then the dir's not already among them: each chained line once. */
export function mergeByHash(stream: readonly ChainedLine[], dir: readonly ChainedLine[]): ChainedLine[] {
  const seen = new Set(stream.filter((l) => l.inChain).map((l) => l.line.hash));
  return [...stream, ...dir.filter((l) => !(l.inChain && seen.has(l.line.hash)))];
}

/** Why a line's authority does not verify by the one judge (undefined: it does, or no allowed_signers is set). */
function signatureProblem(line: LedgerLine, rules: AuthorityRules): string | undefined {
  if (!signedRoom(rules)) return undefined;
  const v = judgeLine(line, rules);
  return v.ok ? undefined : v.why;
}

/** `audit verify --room`: every chain end to end; exit 1 naming each line outside a chain or badly signed. */
export async function verifyRoom(config: Config): Promise<{ ok: boolean; message: string }> {
  const { rules } = await rulesFor(config, Date.now());
  const read = await readRoom(config);
  const problems = read.orphans.map((o) => `stream seq ${o.seq} (${o.subject}): belongs to no valid chain: ${o.why}`);
  for (const c of read.chains) {
    for (const { seq, line } of c.lines) {
      const why = signatureProblem(line, rules);
      if (why) problems.push(clean(`stream seq ${seq} (${line.type} by ${line.actor}, chain of ${c.actor} seq ${line.seq}): ${why}`));
    }
  }
  const { counted, refused } = judgeInvalidations(read.chained, rules);
  const inv = [...[...counted.values()].map((i) => clean(`${i.targetWhat} by ${i.targetActor} invalidated by ${i.actor}: ${i.reason}`)), ...refused.map((x) => clean(`invalidation by ${x.actor} not counted: ${x.why}`))];
  const lines = read.chains.reduce((n, c) => n + c.lines.length, 0);
  if (problems.length) return { ok: false, message: [...problems.map(clean), ...inv].join('\n') };
  return { ok: true, message: [`ok: room stream ${read.chains.length} chain(s), ${lines} line(s) chained${read.copies ? ` (${read.copies} re-published copie(s) counted once)` : ''}`, ...inv].join('\n') };
}

/** `report --room`: the window's report from the stream, judged as `renderReport` judges a dir. */
export async function renderRoomReport(config: Config, opts: { generatedAt?: number } = {}): Promise<string> {
  const read = await readRoom(config);
  const lines = read.chained.map((c) => c.line).sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts));
  if (lines.length === 0 && read.orphans.length === 0) throw new Error(`the room's stream has no ledger line yet`);
  const end = Math.max(0, ...lines.map((l) => Date.parse(l.ts)).filter(Number.isFinite));
  const { rules: r } = await rulesFor(config, end);
  const rules = { ...r, now: end };
  const inv = judgeInvalidations(read.chained, rules);
  const judged = judgeSignoffs(read.chained.filter((l) => !inv.counted.has(actHash(l.line))), rules);
  // As renderReport judges a dir: in a signed room, acts no listed key signed are claims, listed apart and never counted.
  const claims: Claim[] = [];
  for (const c of read.chains) {
    for (const { seq, line } of c.lines) {
      const why = signatureProblem(line, rules);
      if (why) claims.push({ origin: clean(`stream seq ${seq} (chain of ${c.actor})`), line, why });
    }
  }
  const problems = [
    ...read.orphans.map((o) => clean(`stream seq ${o.seq} (${o.subject}) belongs to no valid chain: ${o.why}`)),
    ...claims.map((c) => clean(`${c.origin} ${c.line.type} by ${c.line.actor} carries no authority: ${c.why}`)),
  ];
  const integrity = problems.length === 0 ? { ok: true, text: `verified: ${lines.length} line(s) in ${read.chains.length} chain(s) of the room stream` } : { ok: false, text: problems.join('; ') };
  return renderReportFromLines(lines, {
    ...(opts.generatedAt !== undefined ? { generatedAt: opts.generatedAt } : {}),
    invalidated: [...inv.counted.values()],
    refusedInvalidations: inv.refused,
    counted: judged.counted,
    unverified: judged.unverified,
    claims,
    acks: judgeCheckpointAcks(read.chained, rules).counted.sort((a, b) => a.at - b.at),
    attribution: signedRoom(rules) ? 'signed: only acts signed by a key allowed_signers lists for their actor count' : 'unsigned: anyone who can write the room stream could have written these lines',
    integrity,
  });
}
