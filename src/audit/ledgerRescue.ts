/** Lines the ledger could not write, saved on quit so no decision is lost. */
import { mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe } from './fsutil.js';

/**
 * Writes `data` to a rescue file beside the ledger at `path`, else under $XDG_STATE_HOME/warroom;
 * returns its path. Throws when neither place takes it.
 */
export async function writeRescue(path: string, data: string, now: number, env: NodeJS.ProcessEnv): Promise<string> {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '');
  const name = `${basename(path, '.jsonl')}.rescue-${stamp}-${process.pid}.jsonl`;
  const state = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  const errors: string[] = [];
  for (const dir of [dirname(path), join(state, 'warroom')]) {
    try {
      await mkdir(dir, { recursive: true });
      const p = join(dir, name);
      await writeFile(p, data, { flag: 'wx' });
      return p;
    } catch (e) {
      errors.push(`${dir}: ${describe(e)}`);
    }
  }
  throw new Error(`cannot write a rescue file (${errors.join('; ')})`);
}
