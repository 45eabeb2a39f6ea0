/**
 * Finds processes of one command run that left its process group (setsid, setpgid), so the
 * group kill cannot reach them. Each run marks its environment with a unique id, which every
 * descendant inherits; /proc shows it for processes of our own user. Linux only: elsewhere
 * (no /proc) nothing is found.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';

export const RUN_ID_ENV = 'WARROOM_RUN_ID';

export interface ProcStat {
  state: string;
  pgid: number;
  sid: number;
}

/** `/proc/<pid>/stat`: the command name may hold spaces and parentheses, so fields count from its last `)`. */
export function parseStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const f = text.slice(close + 1).trim().split(/\s+/);
  const pgid = Number(f[2]);
  const sid = Number(f[3]);
  if (!f[0] || !Number.isInteger(pgid) || !Number.isInteger(sid)) return undefined;
  return { state: f[0], pgid, sid };
}

export interface Escapee {
  pid: number;
  /** True when it started its own session (setsid), false when it only changed group. */
  ownSession: boolean;
}

/**
 * Live processes carrying `runId` outside process group `groupId`. Members of the group are
 * left out (the group kill is already on its way to them), and so are zombies (already dead).
 */
export async function findEscapees(runId: string, groupId: number, procDir = '/proc'): Promise<Escapee[]> {
  if (!existsSync(procDir)) return [];
  let names: string[];
  try {
    names = await readdir(procDir);
  } catch {
    return [];
  }
  const marker = Buffer.from(`${RUN_ID_ENV}=${runId}\0`);
  const out: Escapee[] = [];
  await Promise.all(
    names
      .filter((n) => /^\d+$/.test(n) && Number(n) !== process.pid)
      .map(async (n) => {
        try {
          const env = await readFile(`${procDir}/${n}/environ`);
          if (!env.includes(marker)) return;
          const st = parseStat(await readFile(`${procDir}/${n}/stat`, 'utf8'));
          if (!st || st.state === 'Z' || st.pgid === groupId) return;
          out.push({ pid: Number(n), ownSession: st.sid !== groupId });
        } catch {
          // Gone meanwhile, or another user's process (EACCES): not ours to judge.
        }
      }),
  );
  return out.sort((a, b) => a.pid - b.pid);
}

export function escapeeText(e: Escapee): string {
  return `a process escaped the process group (${e.ownSession ? 'setsid' : 'setpgid'}): pid ${e.pid} killed`;
}
