/**
 * Opens the window's ledger (as this console's writer) and keeps the session's sign-offs and
 * waivers equal to what counts (SPEC §9.1): its own chained lines, and other consoles' signed
 * acks, verified and then recorded here. Unverified ones are shown, never counted.
 */
import { judgeRemote, judgeSignoffs, standingWaivers, type AuthorityRules, type ChainedLine, type RemoteSignoffLine } from '../audit/authority.js';
import { Ledger } from '../audit/ledger.js';
import { chainedLines, readLedgers } from '../audit/ledgerSet.js';
import { judgeCheckpointAcks } from '../audit/checkpointAcks.js';
import type { SigningKey } from '../audit/sshsig.js';
import { every, type Clock } from '../core/clock.js';
import type { AckMsg } from '../feed/protocol.js';
import { oneLine } from '../util/sanitize.js';
import type { Session } from './session.js';
import { recordRemote } from '../acts/recordRemote.js';

export interface LedgerLink {
  ledger?: Ledger;
  warnings: string[];
  close(): Promise<void>;
}

export interface LinkOptions {
  signer?: SigningKey;
  rules: Omit<AuthorityRules, 'now'>;
}

export async function openLedgerFor(session: Session, clock: Clock, opts: LinkOptions): Promise<LedgerLink> {
  const { config } = session.opts;
  const writes = !session.opts.readOnly && session.opts.mode !== 'replay';
  let ledger: Ledger;
  try {
    ledger = await Ledger.open(config.audit.dir, {
      clock,
      deployment: config.deployment.name,
      environment: config.deployment.environment,
      // A read-only console never writes, so it takes no lock from the writer.
      ...(writes ? { lockAs: session.opts.actor } : {}),
      ...(opts.signer ? { signer: opts.signer } : {}),
      ...(opts.rules.signers ? { headSigners: opts.rules.signers } : {}),
    });
  } catch (err) {
    return {
      warnings: [`audit trail unavailable (${config.audit.dir}): ${(err as Error).message}; actions are disabled until it is fixed`],
      close: async () => {},
    };
  }
  const off = linkLedger(session, ledger, clock, opts.rules, { dir: config.audit.dir });
  const warnings = [...ledger.notes];
  // The judge reads this console's lines like anyone's: unsigned, they are claims.
  if (writes && opts.rules.signers && !opts.signer) warnings.push('no signing key (--signing-key, room.signing_key): in this room only signed acts count, so this console\'s sign-offs, waivers, decisions, checkpoint acks and approvals will not');
  if (!ledger.integrity.ok) {
    warnings.push(`audit ledger fails verification: ${ledger.integrity.reason} (line ${ledger.integrity.line}); sign-offs from there on do not count`);
  }
  return {
    ledger,
    warnings,
    close: async () => {
      off();
      await ledger.flush(3000).catch(() => {});
      await ledger.close();
    },
  };
}

/** Keeps the session's authority in step with the ledger and the feed; returns the unlink. */
export function linkLedger(session: Session, ledger: Ledger, clock: Clock, rules: Omit<AuthorityRules, 'now'>, opts: { dir?: string } = {}): () => void {
  const said = new Set<string>();
  // Invalidations written beside this ledger (`warroom audit invalidate` while this console
  // holds ledger.jsonl goes to ledger-<actor>.jsonl): judged by the same rule as our own lines.
  let foreign: ChainedLine[] = [];
  const sync = () => {
    const chained = [...ledger.chained(), ...foreign];
    const judged = judgeSignoffs(chained, { ...rules, now: clock.now() });
    for (const u of judged.unverified) {
      const key = JSON.stringify([u.role, u.gate, u.actor, u.at, u.why]);
      if (said.has(key)) continue;
      said.add(key);
      session.live.event({ kind: 'action', level: 'warn', text: `unverified sign-off (ledger): ${u.role}${u.gate ? ` on ${u.gate}` : ''} by ${oneLine(u.actor, 64)}: ${u.why}; not counted` });
    }
    session.setLedgerAuthority(judged.counted, standingWaivers(chained, { ...rules, now: clock.now() }, { approvedOnly: session.opts.config.waiver?.approvals !== undefined }));
    // Checkpoint acks by the same judge: a line without its actor's authority acknowledges nothing.
    const acks = judgeCheckpointAcks(ledger.chained(), { ...rules, now: clock.now() });
    for (const r of acks.refused) {
      if (said.has(r.hash)) continue;
      said.add(r.hash);
      session.live.event({ kind: 'action', level: 'warn', text: `checkpoint ack "${oneLine(r.label, 64)}" by ${oneLine(r.actor, 64)} not counted: ${r.why}; the checkpoint stays unacknowledged` });
    }
    session.live.setCheckpointAcks(acks.counted);
  };
  sync();
  const recorded = new Set<string>();
  for (const l of ledger.lines()) {
    const r = (l as { remote_line?: { hash?: unknown } }).remote_line;
    if (r && typeof r.hash === 'string') recorded.add(r.hash);
  }
  const offFeed = session.on('feed', ({ msg: m }) => {
    if (m.type !== 'ack') return;
    const ack = m as AckMsg & { line?: unknown };
    const hash = (ack.line as { hash?: unknown } | undefined)?.hash;
    // Our own sign-off echoed back by the server: already in our chain.
    if (typeof hash === 'string' && ledger.lines().some((l) => l.hash === hash)) return;
    const why = judgeRemote(ack.line, { ...rules, now: clock.now() }) ?? consistent(ack);
    const what = `${oneLine(ack.role, 40)}${ack.gate ? ` on ${oneLine(ack.gate, 64)}` : ''} by ${oneLine(ack.actor, 64)}`;
    if (why) {
      session.live.event({ kind: 'feed', level: 'warn', text: `unverified sign-off (feed): ${what}: ${why}; not counted` });
      return;
    }
    const line = ack.line as RemoteSignoffLine;
    if (recorded.has(line.hash)) return;
    recorded.add(line.hash);
    // Only a console that writes records it; a read-only one just counts what the writer recorded.
    if (session.opts.readOnly || session.opts.mode === 'replay') return;
    recordRemote(ledger, { type: 'signoff', role: line.role, ...(line.gate ? { gate: line.gate } : {}), actor: line.actor }, line, session.opts.actor);
    session.live.event({ kind: 'feed', level: 'ok', text: `signed sign-off ${what} verified (remote:${oneLine(line.actor, 64)}) and recorded` });
  });
  const offChange = ledger.on('change', sync);
  // Failed writes are loud: the header and a banner say so until the retry lands (the loop's `audit` event).
  const offHealth = ledger.on('change', () => session.live.setAuditHealth(ledger.pending(), ledger.lastError()));
  // Sign-offs age out of signoff_max_age without any ledger change.
  const stopAging = every(clock, 60_000, sync);
  let reading = false;
  const readForeign = async () => {
    if (!opts.dir || reading) return;
    reading = true;
    try {
      const read = await readLedgers(opts.dir, { except: ledger.file, ...(rules.signers ? { signers: rules.signers } : {}), now: clock.now() });
      const next = read.files.flatMap((f) => chainedLines(f).filter((l) => l.line.type === 'invalidate'));
      const key = (ls: ChainedLine[]) => ls.map((l) => `${l.line.hash}:${l.inChain}`).join(',');
      if (key(next) !== key(foreign)) {
        foreign = next;
        sync();
      }
    } catch {
      // A sibling that cannot be read adds nothing; our own chain still decides.
    } finally {
      reading = false;
    }
  };
  void readForeign();
  const stopForeign = every(clock, 5_000, () => void readForeign());
  return () => {
    stopForeign();
    offChange();
    offHealth();
    offFeed();
    stopAging();
  };
}

/** The frame's own fields must say what the signed line says. */
function consistent(ack: AckMsg & { line?: unknown }): string | undefined {
  const l = ack.line as RemoteSignoffLine;
  if (l.actor !== ack.actor || l.role !== ack.role || (l.gate ?? undefined) !== (ack.gate ?? undefined)) return 'the frame differs from the signed line it carries';
  return undefined;
}
