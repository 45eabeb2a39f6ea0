/**
 * `--room` for `check` and `audit verify` (SPEC §10.1): the stream's chains judged by the same
 * judges as a local audit dir (`judgeAuthority`, `judgeInvalidations`, `judgeLine`). The report's
 * reading of the stream is reportRead.ts.
 */
import { judgeInvalidations, type AuthorityRules, type ChainedLine } from '../audit/authority.js';
import { judgeLine, signedRoom, unsignedNotice } from '../audit/judge.js';
import { judgeAuthority, readDirChained, type Authority } from '../audit/readAuthority.js';
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
  if (!signedRoom(rules)) warnings.push(unsignedNotice('the room stream'));
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
