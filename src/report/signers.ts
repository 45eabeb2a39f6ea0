/**
 * Pure: who signed the window's ledger lines, and whether the room's allowed_signers vouches
 * for each (the same signature check every reader uses). Without allowed_signers nothing is
 * attributable, and the report says so.
 */
import type { AuthorityRules, ChainedLine } from '../audit/authority.js';
import { judgeSigned, signedRoom, UNSIGNED_NOTICE } from '../audit/judge.js';

export interface SignerRow {
  actor: string;
  /** Lines this actor wrote (chained), and how many of them carry a signature. */
  lines: number;
  signed: number;
  /** Signatures that verify under allowed_signers (0 when it is not configured). */
  verified: number;
  /** The first reason a signature of theirs did not verify. */
  problem?: string;
}


export function signersFrom(chained: readonly ChainedLine[], rules: Pick<AuthorityRules, 'signers' | 'now'>): { rows: SignerRow[]; note: string } {
  const rows = new Map<string, SignerRow>();
  // As the judge decides it: a configured allowed_signers that lists no usable key still checks (and nothing verifies).
  const checking = signedRoom(rules);
  for (const { line, inChain } of chained) {
    if (!inChain || typeof line.actor !== 'string') continue;
    let r = rows.get(line.actor);
    if (!r) rows.set(line.actor, (r = { actor: line.actor, lines: 0, signed: 0, verified: 0 }));
    r.lines++;
    const sig = (line as { sig?: unknown }).sig;
    if (typeof sig !== 'string') continue;
    r.signed++;
    if (!checking) continue;
    // The one judge's signature check (judge.ts), as every other reader makes it.
    const v = judgeSigned(line, { signers: rules.signers!, now: rules.now });
    if (!v.ok) r.problem ??= v.why;
    else r.verified++;
  }
  const note = checking ? 'signatures checked against the room\'s allowed_signers' : UNSIGNED_NOTICE;
  return { rows: [...rows.values()].sort((a, b) => a.actor.localeCompare(b.actor)), note };
}
