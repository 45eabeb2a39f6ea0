/**
 * The one writer of a line another console signed and this one verified (a sign-off or an
 * approval relayed on the feed): recorded in this console's chain with the original as
 * `remote_line` and who recorded it. Every other act line goes through Acts.record.
 */
import type { Ledger } from '../audit/ledger.js';
import type { AppendInput, LedgerLine } from '../audit/types.js';

export function recordRemote(ledger: Ledger, entry: AppendInput, remote: unknown, recordedBy: string): LedgerLine {
  return ledger.append({ ...entry, remote_line: remote, recorded_by: recordedBy } as never);
}
