/**
 * Every ledger of an audit dir: `ledger.jsonl` and the `ledger-<actor>.jsonl` of consoles that
 * found it locked. `audit verify`, `report` and `check` read them all, each with its chain
 * result and its head anchor.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseLedgerLinesNumbered, splitLines, verifyChain, type RawLine } from './chain.js';
import type { ChainedLine } from './authority.js';
import { describe } from './fsutil.js';
import { headMismatch, headPathFor, readHead, type LedgerHead } from './head.js';
import { judgeSigned, type SignerRules } from './judge.js';
import { LEDGER_FILE, type LedgerLine, type VerifyResult } from './types.js';

export interface LedgerFileRead {
  name: string;
  text: string;
  raw: RawLine[];
  chain: VerifyResult;
  lines: { lineNo: number; line: LedgerLine }[];
  /** The head anchor disagrees with the file (tail cut or replaced), or is unreadable. */
  headProblem?: string;
}

const LEDGER_NAME = /^ledger(?:-[A-Za-z0-9._@+-]+)?\.jsonl$/;

export function isLedgerName(name: string): boolean {
  return LEDGER_NAME.test(name) && !/\.(rescue|torn)-/.test(name);
}

/** Reads every ledger in `dir` (ledger.jsonl first); `problems` names what could not be read. */
export async function readLedgers(dir: string, opts: { except?: string } & Partial<SignerRules> = {}): Promise<{ files: LedgerFileRead[]; problems: string[]; orphanHeads: string[] }> {
  const problems: string[] = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    return { files: [], problems: [`${dir}: cannot list (${describe(e)})`], orphanHeads: [] };
  }
  const ledgers = names.filter((n) => isLedgerName(n) && n !== opts.except).sort((a, b) => (a === LEDGER_FILE ? -1 : b === LEDGER_FILE ? 1 : a.localeCompare(b)));
  const files: LedgerFileRead[] = [];
  for (const name of ledgers) {
    let text: string;
    try {
      text = await readFile(join(dir, name), 'utf8');
    } catch (e) {
      problems.push(`${name}: cannot read (${describe(e)})`);
      continue;
    }
    const raw = splitLines(text);
    const f: LedgerFileRead = { name, text, raw, chain: verifyChain(raw), lines: parseLedgerLinesNumbered(raw) };
    const head = await readHead(headPathFor(join(dir, name)));
    if (head && 'unreadable' in head) f.headProblem = `${headPathFor(name)} unreadable (${head.unreadable})`;
    else if (head) {
      const why = headMismatch(head, raw.map((r, i) => ({ hash: f.lines.find((x) => x.lineNo === i + 1)?.line.hash ?? '' })));
      const unsigned = why ? undefined : headSignature(head, opts);
      if (why) f.headProblem = why;
      else if (unsigned) f.headProblem = `${headPathFor(name)} ${unsigned}`;
    } else if (opts.signers && raw.length > 0) f.headProblem = `${headPathFor(name)} missing: nothing signed anchors the tail`;
    files.push(f);
  }
  // A head whose ledger is gone: the whole file was deleted.
  const orphanHeads = names
    .filter((n) => /^ledger(?:-[A-Za-z0-9._@+-]+)?\.head$/.test(n))
    .filter((h) => !ledgers.includes(h.replace(/\.head$/, '.jsonl')));
  return { files, problems, orphanHeads };
}

/** The file's lines, each marked whether the chain vouches for it (before the first bad line). */
export function chainedLines(f: LedgerFileRead): ChainedLine[] {
  const badAt = f.chain.ok ? Infinity : f.chain.line;
  const cutAt = f.headProblem ? -Infinity : Infinity;
  return f.lines.map(({ lineNo, line }) => ({ line, inChain: lineNo < badAt && cutAt === Infinity }));
}

/** In a signed room the head must be signed by a key listed for its writer (else a cut tail could hide behind a rewritten head). */
function headSignature(head: LedgerHead, opts: Partial<SignerRules>): string | undefined {
  if (!opts.signers) return undefined;
  if (typeof head.sig !== 'string') return 'not signed: a cut tail could hide behind a rewritten head';
  const v = judgeSigned(head, { signers: opts.signers, now: opts.now ?? Date.now() });
  return v.ok ? undefined : `signature does not count (${v.why}): a cut tail could hide behind a rewritten head`;
}
