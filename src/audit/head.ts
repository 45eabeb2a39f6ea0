/**
 * The ledger's anchor (`ledger.head`): how many lines it had and the last hash, written
 * atomically after every write. A chain verifies line by line, so a deleted tail would go
 * unseen; the anchor is what says lines existed past the end.
 */
import { readFile, rename, writeFile, open } from 'node:fs/promises';
import type { LedgerLine } from './types.js';

export const HEAD_SCHEMA = 'warroom.ledger-head/v1';

export interface LedgerHead {
  schema: typeof HEAD_SCHEMA;
  count: number;
  last_hash: string;
  ts: string;
  /** The writer; with a signing key, `sig` is its SSHSIG over the canonical JSON without `sig`. */
  actor?: string;
  sig?: string;
}

/** `ledger.jsonl` → `ledger.head`, `ledger-bob.jsonl` → `ledger-bob.head`. */
export function headPathFor(ledgerPath: string): string {
  return ledgerPath.replace(/\.jsonl$/, '') + '.head';
}

export async function readHead(path: string): Promise<LedgerHead | undefined | { unreadable: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { unreadable: (e as Error).message };
  }
  try {
    const v = JSON.parse(text) as LedgerHead;
    if (v.schema !== HEAD_SCHEMA || !Number.isInteger(v.count) || typeof v.last_hash !== 'string') return { unreadable: 'not a ledger head' };
    return v;
  } catch {
    return { unreadable: 'unparsable JSON' };
  }
}

export async function writeHead(path: string, head: LedgerHead): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, JSON.stringify(head) + '\n');
  const fh = await open(tmp, 'r+');
  try {
    await fh.datasync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}

/** Why the lines do not reach the anchor, or undefined when they do. */
export function headMismatch(head: LedgerHead, lines: readonly Pick<LedgerLine, 'hash'>[]): string | undefined {
  if (lines.length < head.count) {
    const gone = head.count - lines.length;
    return `tail truncated: ledger.head records ${head.count} line(s) ending in ${head.last_hash.slice(0, 19)}…, the file has ${lines.length} (${gone} line(s) missing at the end)`;
  }
  if (head.count > 0 && lines[head.count - 1]!.hash !== head.last_hash) {
    return `tail replaced: line ${head.count} does not carry the hash ledger.head records (${head.last_hash.slice(0, 19)}…)`;
  }
  return undefined;
}
