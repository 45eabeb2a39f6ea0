/**
 * Sign-offs and waivers recorded by consoles, read back from the window's ledger so that
 * `check` and `manual` gates agree with what the room signed. A ledger that fails
 * verification still counts (it is evidence), but the caller is told.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseLedgerLines, splitLines, verifyChain } from '../audit/chain.js';
import { activeWaivers, signoffsFrom } from '../audit/state.js';
import { LEDGER_FILE } from '../audit/types.js';
import type { Signoff, Waiver } from '../core/types.js';

export interface Authority {
  signoffs: Signoff[];
  waivers: Waiver[];
  warning?: string;
}

export async function readAuthority(dir: string, now = Date.now()): Promise<Authority> {
  let text: string;
  try {
    text = await readFile(join(dir, LEDGER_FILE), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { signoffs: [], waivers: [] };
    return { signoffs: [], waivers: [], warning: `cannot read the audit ledger in ${dir}: ${(err as Error).message}` };
  }
  const raw = splitLines(text);
  const lines = parseLedgerLines(raw);
  const v = verifyChain(raw);
  const out: Authority = { signoffs: signoffsFrom(lines), waivers: activeWaivers(lines, now) };
  if (!v.ok) out.warning = `audit ledger fails verification (line ${v.line}: ${v.reason}); run warroom audit verify`;
  return out;
}
