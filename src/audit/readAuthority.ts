/**
 * Sign-offs and waivers recorded by consoles, read back from every ledger of the window's
 * audit dir so that `check` and the console count exactly the same sign-offs (SPEC §9.1).
 * Lines past a verification failure never count; the caller is told why.
 */
import { judgeSignoffs, standingWaivers, type AuthorityRules, type ChainedLine, type Unverified } from './authority.js';
import { judgeLine, signedRoom, UNSIGNED_NOTICE } from './judge.js';
import { chainedLines, readLedgers } from './ledgerSet.js';
import { rulesFor } from './signers.js';
import type { Config } from '../config/types.js';
import type { Signoff, Waiver } from '../core/types.js';

export interface Authority {
  signoffs: Signoff[];
  waivers: Waiver[];
  unverified: Unverified[];
  warnings: string[];
}

export async function readAuthority(config: Config, now = Date.now()): Promise<Authority> {
  const { rules, problems } = await rulesFor(config, now);
  const warnings = [...problems];
  const lines = await readDirChained(config.audit.dir, rules, now, warnings);
  // A missing audit dir is a window with nothing signed yet, not a problem.
  if (!lines) return { signoffs: [], waivers: [], unverified: [], warnings };
  return judgeAuthority(lines, rules, { now, approvedOnly: config.waiver?.approvals !== undefined }, warnings);
}

/** Every ledger line of an audit dir with whether its chain vouches for it; undefined when the dir does not exist. */
export async function readDirChained(dir: string, rules: AuthorityRules, now: number, warnings: string[]): Promise<ChainedLine[] | undefined> {
  const read = await readLedgers(dir, { ...(rules.signers ? { signers: rules.signers } : {}), now });
  if (read.files.length === 0 && read.problems.every((p) => /ENOENT|no such file/i.test(p))) return undefined;
  warnings.push(...read.problems);
  return read.files.flatMap((f) => {
    if (!f.chain.ok) warnings.push(`${f.name} fails verification (line ${f.chain.line}: ${f.chain.reason}); lines from there on do not count; run warroom audit verify`);
    if (f.headProblem) warnings.push(`${f.name}: ${f.headProblem}; none of its lines count; run warroom audit verify`);
    return chainedLines(f);
  });
}

/**
 * What counts among chained lines, wherever they were read (an audit dir, the room's stream):
 * sign-offs by the one rule, standing waivers, and a warning for each waiver without authority.
 */
export function judgeAuthority(lines: readonly ChainedLine[], rules: AuthorityRules, opts: { now: number; approvedOnly: boolean }, warnings: string[] = []): Authority {
  const now = opts.now;
  const judged = judgeSignoffs(lines, rules);
  // Waivers without authority are said too (sign-offs are, as unverified): never a silent drop.
  for (const { line, inChain } of lines) {
    if (!inChain || line.type !== 'waiver' || line.deployment !== rules.deployment) continue;
    const v = judgeLine(line, rules);
    if (!v.ok) warnings.push(`waiver of ${String((line as { gate?: unknown }).gate)} by ${line.actor} not counted: ${v.why}`);
  }
  // Invalidated waivers never count either (SPEC §9.5); with waiver.approvals only approved ones do.
  const waivers = standingWaivers(lines, rules, { approvedOnly: opts.approvedOnly }).filter((w) => w.expires > now);
  // Local mode never claims more than it knows: whatever it counted, nobody signed.
  if (!signedRoom(rules) && judged.counted.length + waivers.length > 0) warnings.push(`${judged.counted.length} sign-off(s) and ${waivers.length} waiver(s) counted, ${UNSIGNED_NOTICE} (set room.allowed_signers to count signed acts only)`);
  return { signoffs: judged.counted, waivers, unverified: judged.unverified, warnings };
}
