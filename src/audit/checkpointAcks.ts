/**
 * Which checkpoint acks count (SPEC §10.0), pure: a `checkpoint.ack` line acknowledges its
 * checkpoint only as a valid chained line of this deployment that carries its actor's
 * authority (judge.ts: in a signed room, a valid signature by a key listed for the actor,
 * this console's own lines included), by an actor holding some role when roles are set (the
 * right the `a` key checks). A rebuilt or dropped ledger cannot acknowledge a checkpoint.
 */
import type { AuthorityRules, ChainedLine } from './authority.js';
import { judgeLine } from './judge.js';
import { checkpointAcksFrom, type CheckpointAck } from './state.js';
import type { LedgerLine } from './types.js';

export interface RefusedAck {
  /** The line's hash: the same refusal is told once. */
  hash: string;
  actor: string;
  label: string;
  why: string;
}

type AckRules = Pick<AuthorityRules, 'deployment' | 'roles' | 'signers' | 'now'>;

function ackRefusal(c: ChainedLine, rules: AckRules): string | undefined {
  if (!c.inChain) return 'not a valid line of the ledger chain';
  if (c.line.deployment !== rules.deployment) return `for deployment ${JSON.stringify(c.line.deployment)}, not ${rules.deployment}`;
  const v = judgeLine(c.line, rules);
  if (!v.ok) return v.why;
  if (rules.roles && !Object.values(rules.roles).some((people) => people.includes(c.line.actor))) return `${c.line.actor} holds no configured role`;
  return undefined;
}

export function judgeCheckpointAcks(lines: readonly ChainedLine[], rules: AckRules): { counted: CheckpointAck[]; refused: RefusedAck[] } {
  const counted: LedgerLine[] = [];
  const refused: RefusedAck[] = [];
  for (const c of lines) {
    if (c.line.type !== 'checkpoint.ack') continue;
    const why = ackRefusal(c, rules);
    if (why) refused.push({ hash: c.line.hash, actor: c.line.actor, label: String((c.line as { label?: unknown }).label ?? ''), why });
    else counted.push(c.line);
  }
  return { counted: checkpointAcksFrom(counted), refused };
}
