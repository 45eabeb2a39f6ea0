/**
 * The one directory warroom keeps compiled code in: `$TMPDIR/warroom-code-cache-<uid>`, used only
 * if it is a real directory of this user that no one else may write. A code cache is code the
 * process will run: in a directory another local user can write (a shared /tmp where they made
 * the directory first, as they can for Node's default `node-compile-cache`), they could hand us
 * theirs. Every cache of warroom's lives here: Node's module compile cache (bin/warroom.js),
 * the check bundle's (cachedBundle.ts) and the parsed configs (configTrees.ts, sealed).
 */
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The cache directory's path, or undefined when caching is off or this platform has no user ids. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  // Node's own switch for its compile cache turns ours off too.
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  const uid = process.getuid?.();
  return uid === undefined ? undefined : join(tmpdir(), `warroom-code-cache-${uid}`);
}

/**
 * Makes the directory if missing; true only if it is a real directory of ours that no one else may
 * write. `uid` is whose it must be (this process's; a test names another).
 */
export function privateDir(dir: string, uid = process.getuid?.()): boolean {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return false;
  }
  try {
    const st = lstatSync(dir);
    return st.isDirectory() && st.uid === uid && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/** The cache directory if caching is on and the directory is private; undefined otherwise. */
export function privateCodeCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = codeCacheDir(env);
  return dir && privateDir(dir) ? dir : undefined;
}

/** A file's bytes if it is a regular file of this user (not a link someone left); else undefined. */
export function readOwnFile(path: string, uid = process.getuid?.()): Buffer | undefined {
  try {
    const st = lstatSync(path);
    return st.isFile() && st.uid === uid ? readFileSync(path) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes the file whole or not at all (a temporary beside it, renamed over it), 0600, then keeps
 * the newest `keep` files of the directory that end in `suffix`, this one included. Throws if
 * it could not be written; nothing is left behind then.
 */
export function writeCacheFile(dir: string, name: string, data: Uint8Array, suffix: string, keep: number): void {
  const path = join(dir, name);
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, data, { mode: 0o600, flag: 'wx' });
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* not there */
    }
    throw e;
  }
  const older = readdirSync(dir)
    .filter((f) => f.endsWith(suffix) && f !== name)
    .map((f) => {
      try {
        return { f, t: lstatSync(join(dir, f)).mtimeMs };
      } catch {
        return { f, t: 0 };
      }
    })
    .sort((a, b) => b.t - a.t);
  for (const { f } of older.slice(keep - 1)) {
    try {
      unlinkSync(join(dir, f));
    } catch {
      /* gone already */
    }
  }
}
