/**
 * The room's stream read back as chains (SPEC §10.1), pure. Per ledger subject, a line joins a
 * chain when its hash matches its content and it follows the chained line its prev_hash names
 * with the next seq (or starts one: seq 1 after the genesis hash). The first line to follow a
 * line wins; anything else (a fork, a line with no chained predecessor, an edited line, not
 * JSON, a subject that is not a ledger's) belongs to no valid chain: listed, never counted.
 * Re-published copies of a chained line (past the stream's dedupe window) are one line.
 */
import { hashEntry } from '../audit/chain.js';
import type { ChainedLine } from '../audit/authority.js';
import { GENESIS_HASH, type LedgerLine } from '../audit/types.js';
import { stripControl } from '../util/sanitize.js';
import { actorOfSubject, type RoomNames } from './names.js';

export interface StreamMsg {
  /** The stream's sequence number. */
  seq: number;
  subject: string;
  data: string;
}

export interface Orphan {
  seq: number;
  subject: string;
  why: string;
}

export interface StreamChain {
  /** The ledger subject's actor (the console that wrote it). */
  actor: string;
  lines: { seq: number; line: LedgerLine }[];
}

export interface StreamRead {
  chains: StreamChain[];
  orphans: Orphan[];
  /** Every chained line, in stream order, as the judges take them. */
  chained: ChainedLine[];
  /** Copies of a chained line seen again (not a finding: the same act, once). */
  copies: number;
}

export function chainStream(msgs: readonly StreamMsg[], names: RoomNames): StreamRead {
  const orphans: Orphan[] = [];
  const chains: StreamChain[] = [];
  const chained: ChainedLine[] = [];
  /** By subject: chained line hash → its chain, seq, and whether a successor already follows. */
  const tips = new Map<string, Map<string, { chain: StreamChain; seq: number; followed: boolean }>>();
  let copies = 0;
  for (const m of msgs) {
    const actor = actorOfSubject(names, m.subject);
    const orphan = (why: string) => orphans.push({ seq: m.seq, subject: clean(m.subject), why });
    if (actor === undefined) {
      orphan('not a ledger subject of this room');
      continue;
    }
    let line: LedgerLine;
    try {
      const v: unknown = JSON.parse(m.data);
      if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
      line = v as LedgerLine;
    } catch {
      orphan('not a JSON ledger line');
      continue;
    }
    if (typeof line.hash !== 'string' || hashEntry(line) !== line.hash) {
      orphan(`seq ${clean(String(line.seq))}: its hash does not match its content (edited or forged)`);
      continue;
    }
    const known = tips.get(m.subject) ?? new Map();
    tips.set(m.subject, known);
    if (known.has(line.hash)) {
      copies++;
      continue;
    }
    let chain: StreamChain;
    if (line.seq === 1 && line.prev_hash === GENESIS_HASH) {
      chain = { actor, lines: [] };
      chains.push(chain);
    } else {
      const prev = known.get(line.prev_hash);
      if (!prev) {
        orphan(`${describe(line)}: no chained line before it (prev_hash names none)`);
        continue;
      }
      if (prev.seq + 1 !== line.seq) {
        orphan(`${describe(line)}: seq does not follow ${prev.seq}`);
        continue;
      }
      if (prev.followed) {
        orphan(`${describe(line)}: a fork (another line already follows seq ${prev.seq} of this chain)`);
        continue;
      }
      prev.followed = true;
      chain = prev.chain;
    }
    chain.lines.push({ seq: m.seq, line });
    known.set(line.hash, { chain, seq: line.seq, followed: false });
    chained.push({ line, inChain: true });
  }
  return { chains, orphans, chained, copies };
}

function describe(l: LedgerLine): string {
  return clean(`seq ${String(l.seq)} ${String(l.type)} by ${String(l.actor)}`);
}

const clean = (s: string) => stripControl(s, { keepNewlines: false }).slice(0, 200);
