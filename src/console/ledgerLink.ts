/** Opens the window's ledger and keeps the session's sign-offs and waivers in step with it. */
import { Ledger } from '../audit/ledger.js';
import { signoffsFrom, waiversFrom } from '../audit/state.js';
import type { Clock } from '../core/clock.js';
import type { Session } from './session.js';

export interface LedgerLink {
  ledger?: Ledger;
  warning?: string;
  close(): Promise<void>;
}

export async function openLedgerFor(session: Session, clock: Clock): Promise<LedgerLink> {
  const { config } = session.opts;
  let ledger: Ledger;
  try {
    ledger = await Ledger.open(config.audit.dir, { clock, deployment: config.deployment.name, environment: config.deployment.environment });
  } catch (err) {
    return {
      warning: `audit trail unavailable (${config.audit.dir}): ${(err as Error).message}; actions are disabled until it is fixed`,
      close: async () => {},
    };
  }
  const off = linkLedger(session, ledger);
  const link: LedgerLink = {
    ledger,
    close: async () => {
      off();
      // Lines are durable in memory until written; give pending writes a bounded chance.
      await ledger.flush(3000).catch(() => {});
      await ledger.close();
    },
  };
  if (!ledger.integrity.ok) link.warning = `audit ledger fails verification: ${'reason' in ledger.integrity ? ledger.integrity.reason : ''} (line ${'line' in ledger.integrity ? ledger.integrity.line : '?'})`;
  return link;
}

/** Keeps the session's sign-offs and waivers equal to what the ledger says; returns the unlink. */
export function linkLedger(session: Session, ledger: Ledger): () => void {
  const sync = () => {
    const lines = ledger.lines();
    session.setLedgerAuthority(signoffsFrom(lines), waiversFrom(lines));
  };
  sync();
  return ledger.onChange(sync);
}
