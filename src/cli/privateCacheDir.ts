/**
 * The one directory warroom keeps compiled code in: `$TMPDIR/warroom-code-cache-<uid>`, used only
 * if it is a real directory of this user that no one else may write. A code cache is code the
 * process will run: in a directory another local user can write (a shared /tmp where they made
 * the directory first, as they can for Node's default `node-compile-cache`), they could hand us
 * theirs. Both caches live here: Node's module compile cache (bin/warroom.js) and the check
 * bundle's (cachedBundle.ts).
 */
import { lstatSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The cache directory's path, or undefined when caching is off or this platform has no user ids. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  // Node's own switch for its compile cache turns ours off too.
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  const uid = process.getuid?.();
  return uid === undefined ? undefined : join(tmpdir(), `warroom-code-cache-${uid}`);
}

/** Makes the directory if missing; true only if it is a real directory of ours that no one else may write. */
export function privateDir(dir: string): boolean {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return false;
  }
  try {
    const st = lstatSync(dir);
    return st.isDirectory() && st.uid === process.getuid?.() && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/** The cache directory if caching is on and the directory is private; undefined otherwise. */
export function privateCodeCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = codeCacheDir(env);
  return dir && privateDir(dir) ? dir : undefined;
}
