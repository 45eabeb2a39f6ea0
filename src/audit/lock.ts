/**
 * One writer per ledger file: an exclusive lock file created with O_EXCL beside it. A lock
 * whose process is gone (same host) is taken over, so a crashed console never blocks the next.
 */
import { hostname } from 'node:os';
import { open, readFile, unlink } from 'node:fs/promises';

export interface LockHolder {
  pid: number;
  host: string;
  actor: string;
  since: string;
}

export interface HeldLock {
  path: string;
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(path: string): Promise<LockHolder | undefined> {
  try {
    const v = JSON.parse(await readFile(path, 'utf8')) as LockHolder;
    return typeof v.pid === 'number' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the lock, or answers who holds it. */
export async function tryLock(path: string, actor: string, now: number): Promise<{ lock: HeldLock } | { heldBy: LockHolder }> {
  const me: LockHolder = { pid: process.pid, host: hostname(), actor, since: new Date(now).toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(path, 'wx');
      try {
        await fh.writeFile(JSON.stringify(me) + '\n');
        await fh.sync();
      } finally {
        await fh.close();
      }
      return {
        lock: {
          path,
          release: async () => {
            const h = await readHolder(path);
            if (h?.pid === me.pid && h.host === me.host) await unlink(path).catch(() => {});
          },
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = await readHolder(path);
    // Unreadable (half-written) or a dead process on this host: stale, take it over.
    const stale = !holder || (holder.host === me.host && !alive(holder.pid));
    if (!stale) return { heldBy: holder };
    await unlink(path).catch(() => {});
  }
  return { heldBy: (await readHolder(path)) ?? { pid: 0, host: '?', actor: '?', since: '?' } };
}
