/**
 * Opening a ledger: which file this console writes (the dir's writer lock), reading it,
 * setting a torn last line aside, and whether the head found on disk may be rewritten.
 */
import { readFile, truncate, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Clock } from '../core/clock.js';
import { describe } from './fsutil.js';
import { headMismatch, readHead, type LedgerHead } from './head.js';
import { judgeSigned } from './judge.js';
import { tryLock, type HeldLock } from './lock.js';
import type { AllowedSigner } from './sshsig.js';
import { LEDGER_FILE, LEDGER_SCHEMA, type LedgerLine } from './types.js';

const safeName = (actor: string) => actor.replace(/[^A-Za-z0-9._@+-]/g, '_').slice(0, 64) || 'console';

/**
 * The file this console writes: ledger.jsonl when `lockAs` gets its lock, else a file of its own
 * beside it, so two live consoles never fork one chain. What happened is pushed to `notes`.
 */
export async function claimLedgerFile(dir: string, lockAs: string | undefined, clock: Clock, notes: string[]): Promise<{ path: string; lock: HeldLock | undefined }> {
  let path = join(dir, LEDGER_FILE);
  let lock: HeldLock | undefined;
  if (lockAs) {
    const candidates = [LEDGER_FILE, `ledger-${safeName(lockAs)}.jsonl`, `ledger-${safeName(lockAs)}-${process.pid}.jsonl`];
    for (const name of candidates) {
      let got;
      try {
        got = await tryLock(join(dir, `${name}.lock`), lockAs, clock.now());
      } catch (e) {
        // A read-only dir cannot take a lock either; writing will fail loudly on its own.
        notes.push(`cannot lock ${join(dir, name)}: ${describe(e)}`);
        path = join(dir, name);
        break;
      }
      if ('lock' in got) {
        lock = got.lock;
        path = join(dir, name);
        if (name !== LEDGER_FILE) notes.push(`audit dir ${dir} is in use by another console; this console writes ${name}`);
        break;
      }
      if (name === LEDGER_FILE) notes.push(`${LEDGER_FILE} is held by ${got.heldBy.actor} (pid ${got.heldBy.pid} on ${got.heldBy.host}, since ${got.heldBy.since})`);
    }
  }
  return { path, lock };
}

/** The ledger's text ('' when there is none yet); releases the lock and throws when it cannot be read. */
export async function readLedgerText(path: string, lock: HeldLock | undefined): Promise<string> {
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      await lock?.release();
      throw new Error(`cannot read audit ledger ${path}: ${describe(e)}`);
    }
  }
  return text;
}

/** Moves a torn last line to a side file and cuts it from the ledger; the side file's name, or undefined when that failed. */
export async function setTornAside(dir: string, path: string, torn: { keep: string; fragment: string }, clock: Clock, notes: string[]): Promise<string | undefined> {
  const side = join(dir, `${basename(path, '.jsonl')}.torn-${new Date(clock.now()).toISOString().replace(/[:.]/g, '')}.txt`);
  try {
    await writeFile(side, torn.fragment);
    await truncate(path, Buffer.byteLength(torn.keep, 'utf8'));
    notes.push(`torn last line of ${basename(path)} (${torn.fragment.length} bytes) moved to ${basename(side)}`);
    return basename(side);
  } catch (e) {
    notes.push(`torn last line of ${basename(path)} could not be set aside: ${describe(e)}`);
    return undefined;
  }
}

/** Why the head found at open must never be rewritten (the evidence of a cut tail would go), or undefined. */
export async function headFrozenAtOpen(
  headPath: string,
  lines: readonly LedgerLine[],
  headSigners: readonly AllowedSigner[] | undefined,
  clock: Clock,
): Promise<string | undefined> {
  const head = await readHead(headPath);
  if (head && 'unreadable' in head) return `${basename(headPath)} unreadable (${head.unreadable}): the tail cannot be checked`;
  if (head) return headMismatch(head, lines) ?? unsignedHead(head, headSigners, clock.now());
  if (headSigners && lines.length > 0) return `${basename(headPath)} missing: nothing signed anchors the tail (run warroom audit verify)`;
  return undefined;
}

/** In a signed room: why a head found on disk must not be trusted (nor re-signed), or undefined. */
function unsignedHead(head: LedgerHead, signers: readonly AllowedSigner[] | undefined, now: number): string | undefined {
  if (!signers) return undefined;
  const v = judgeSigned(head, { signers, now });
  return v.ok ? undefined : `ledger head not signed by a listed key (${v.why}): a cut tail could hide behind it; it is not rewritten (run warroom audit verify)`;
}

/** The last line when it does not parse as a ledger line (torn by a crash), with what precedes it. */
export function tornTail(text: string): { keep: string; fragment: string } | undefined {
  if (text === '') return undefined;
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  const cut = body.lastIndexOf('\n');
  const last = body.slice(cut + 1);
  try {
    const v = JSON.parse(last) as { schema?: unknown; hash?: unknown };
    if (v && typeof v === 'object' && v.schema === LEDGER_SCHEMA && typeof v.hash === 'string') return undefined;
  } catch {
    // torn
  }
  if (last.trim() === '' && text.endsWith('\n')) return undefined;
  return { keep: cut < 0 ? '' : body.slice(0, cut + 1), fragment: last };
}
