/** Temp folders and ledgers for audit tests, removed and closed after each test. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { Ledger } from '../../src/audit/ledger.js';

export function auditFixture(prefix: string) {
  const dirs: string[] = [];
  const ledgers: Ledger[] = [];
  afterEach(async () => {
    for (const l of ledgers.splice(0)) await l.close();
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });
  return {
    async tempDir(): Promise<string> {
      const d = await mkdtemp(join(tmpdir(), `warroom-${prefix}-`));
      dirs.push(d);
      return d;
    },
    /** Closes the ledger after the test. */
    track<L extends Ledger>(l: L): L {
      ledgers.push(l);
      return l;
    },
  };
}
