/**
 * The parsed tree of a config that loaded cleanly, kept per user, so that the next run of any
 * command on the same text skips the YAML parse: most of a large config's load, and a fifth of
 * a 200-gate `check`'s wall on Node 24 (BENCHMARKS.md, issue 23). ${ENV} substitution and
 * validation still run every time (the environment may have changed); only the parse is kept.
 *
 * Sealed with the text itself: one SHA-256 of the build, the Node version and the text gives the
 * file's name and its AES-256-GCM key. Whoever reads the file without the config learns nothing
 * from it (credentials written inline in a config stay as private as the config file is); a text
 * that differs by one byte finds no file; a damaged or altered file fails the tag and is not
 * used. The tree is what `doc.toJS()` gave, kept with `v8.serialize` (aliases, -0, NaN and
 * Infinity come back as they were). It lives in the private cache directory
 * (privateCacheDir.ts), the newest KEEP_FILES of them; `NODE_DISABLE_COMPILE_CACHE` turns it off
 * with the code caches; `NODE_DEBUG=warroom` says what happened. Nothing here can fail a run.
 * A config shorter than MIN_TEXT is not kept: its parse is cheaper than the sealing.
 */
import { utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { debuglog } from 'node:util';
import type { ParsedTrees } from '../config/load.js';
import { privateCodeCacheDir, readOwnFile, writeCacheFile } from './privateCacheDir.js';

/** What the bundles were built from (scripts/bundle.mjs); absent when run unbundled. */
declare const __WARROOM_BUILD_ID__: string | undefined;

const debug = debuglog('warroom');
/**
 * Below this, the parse costs less than loading the hashing and sealing it needs (node:crypto
 * alone is ~5 ms to load on Node 24, and a `check` of a small config loads it for nothing else):
 * a 10-gate config (1.2 KB) parses in ~5 ms, a 200-gate one (22 KB) in ~30.
 */
export const MIN_TEXT = 4096;
const SUFFIX = '.tree';
const KEEP_FILES = 16;
const IV = 12;
const TAG = 16;

// Loaded on first use only: a small config never pays for them.
const load = createRequire(import.meta.url);
const crypto = () => load('node:crypto') as typeof import('node:crypto');
const v8 = () => load('node:v8') as typeof import('node:v8');

interface Sealing {
  name: string;
  key: Buffer;
}

function sealing(buildId: string, text: string): Sealing {
  const { createHash } = crypto();
  const h = createHash('sha256').update(`warroom config tree 1\0${buildId}\0${process.version}\0`).update(text).digest();
  return {
    name: createHash('sha256').update('name\0').update(h).digest('hex').slice(0, 40) + SUFFIX,
    key: createHash('sha256').update('key\0').update(h).digest(),
  };
}

export function seal(key: Buffer, tree: unknown): Buffer {
  const { createCipheriv, randomBytes } = crypto();
  const iv = randomBytes(IV);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(v8().serialize(tree)), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]);
}

/** The tree, or undefined when the file was not sealed with this key or is damaged. */
export function unseal(key: Buffer, file: Buffer): unknown {
  if (file.byteLength <= IV + TAG) return undefined;
  try {
    const d = crypto().createDecipheriv('aes-256-gcm', key, file.subarray(0, IV));
    d.setAuthTag(file.subarray(IV, IV + TAG));
    return v8().deserialize(Buffer.concat([d.update(file.subarray(IV + TAG)), d.final()]));
  } catch {
    return undefined;
  }
}

/**
 * A store in `dir` for trees parsed by the build `buildId`. With `writeAfterMs`, a tree is
 * written that long after it was parsed (the console: after its first frames, which the sealing
 * would otherwise delay), on an unref'd timer: a run that ends first keeps none.
 */
export function treesIn(dir: string, buildId: string, writeAfterMs?: number): ParsedTrees {
  let last: { text: string; s: Sealing } | undefined;
  const sealingOf = (text: string): Sealing => {
    if (last?.text !== text) last = { text, s: sealing(buildId, text) };
    return last.s;
  };
  return {
    get(text) {
      const { name, key } = sealingOf(text);
      const path = join(dir, name);
      const file = readOwnFile(path);
      if (!file) return undefined;
      const tree = unseal(key, file);
      if (tree === undefined) {
        debug('config tree: %s is damaged or not this text\'s; not used', path);
        return undefined;
      }
      debug('config tree: %s used', path);
      try {
        // Kept among the newest when other configs' trees are written.
        const now = new Date();
        utimesSync(path, now, now);
      } catch {
        /* only its age */
      }
      return tree;
    },
    put(text, tree) {
      const write = () => {
        const { name, key } = sealingOf(text);
        try {
          writeCacheFile(dir, name, seal(key, tree), SUFFIX, KEEP_FILES);
          debug('config tree: %s written', join(dir, name));
        } catch (e) {
          debug('config tree: not written: %s', (e as Error).message);
        }
      };
      if (writeAfterMs === undefined) write();
      else setTimeout(write, writeAfterMs).unref();
    },
  };
}

/**
 * The store for this process, or undefined when unbundled. The directory is looked at (made,
 * checked private) only for a config large enough to be kept; not private, or caching turned
 * off, nothing is kept.
 */
export function configTrees(env: NodeJS.ProcessEnv = process.env, writeAfterMs?: number): ParsedTrees | undefined {
  if (typeof __WARROOM_BUILD_ID__ !== 'string') return undefined;
  const buildId = __WARROOM_BUILD_ID__;
  let store: ParsedTrees | null | undefined;
  const open = (): ParsedTrees | null => {
    if (store === undefined) {
      const dir = privateCodeCacheDir(env);
      store = dir ? treesIn(dir, buildId, writeAfterMs) : null;
    }
    return store;
  };
  return {
    get: (text) => (text.length < MIN_TEXT ? undefined : open()?.get(text)),
    put: (text, tree) => {
      if (text.length >= MIN_TEXT) open()?.put(text, tree);
    },
  };
}
