/**
 * Runs a CommonJS bundle through V8's code cache, made after the run and kept per user.
 *
 * Node's module compile cache (Node >= 22.1) stores a module's code as compiled at load: the top
 * level, not the functions a run compiles later, which for a one-shot `check` are most of its
 * compile work (the YAML parser, zod, the Prometheus client); Node 20 has no such cache. A code
 * cache made after the run holds every function the run compiled: a 10-gate check took 0.77x the
 * wall of the build before on Node 24 and 0.81x on Node 20 (`node dist/bench/run.js --check 5
 * --base …`; BENCHMARKS.md, issue 23).
 *
 * The cache is bytecode the process will run, so it is only read from, and written to, a
 * directory the user owns and no one else may write (privateCacheDir.ts:
 * `$TMPDIR/warroom-code-cache-<uid>`, made 0700; one someone else made, one others may write,
 * or a symlink, is not used).
 * Files are named for the bundle's content hash (the build writes it beside the bundle, in
 * `<name>.json`: V8 checks a cache against the source's length, not its content), the
 * Node version and the architecture; V8 itself rejects a cache made by another V8 or with other
 * flags, and then the run compiles as if there were none and writes a new one.
 * V8 does not verify a code cache's checksum in release builds, and a damaged one (a crash
 * mid-write, a bad disk) could crash every later run, so each file carries its own checksum and
 * one that does not match is not handed to V8 (Node does the same for its compile cache).
 * `NODE_DISABLE_COMPILE_CACHE` (Node's own switch) turns it off. `NODE_DEBUG=warroom` says what
 * happened on stderr. Nothing here can fail a run: an unreadable, unwritable or full cache
 * directory only makes it slower.
 */
import { readFileSync } from 'node:fs';
import nodeModule from 'node:module';
import { basename, dirname, join } from 'node:path';
import { debuglog } from 'node:util';
import { Script } from 'node:vm';
import { codeCacheDir, privateDir, readOwnFile, writeCacheFile } from './privateCacheDir.js';

const debug = debuglog('warroom');

/** Older caches (other versions of warroom or Node) beyond these are removed when one is written. */
const KEEP_FILES = 8;
const SUFFIX = '.v8cache';
/** A file is MAGIC, the two checksum words of the data, then V8's data. */
const MAGIC = 0x31435257; // "WRC1"
const HEADER = 12;

/**
 * Two 32-bit words over the data (FNV-1a by word, and a running sum of its states): enough to
 * tell damaged bytes from the ones written, without loading a hash module into every `check`
 * (3 ms for 650 KB, cold). Not a defence against a writer: the directory is private for that.
 */
export function checksum(data: Uint8Array): [number, number] {
  const words = new Int32Array(data.buffer, data.byteOffset, data.byteLength >> 2);
  let a = 0x811c9dc5 | 0;
  let c = data.byteLength | 0;
  for (let i = 0; i < words.length; i++) {
    a = Math.imul(a ^ words[i]!, 16777619);
    c = (c + a) | 0;
  }
  for (let i = words.length << 2; i < data.byteLength; i++) {
    a = Math.imul(a ^ data[i]!, 16777619);
    c = (c + a) | 0;
  }
  return [a >>> 0, c >>> 0];
}

/** V8's data from a cache file, or undefined if the file is not one whole and undamaged. */
export function unwrapCache(file: Buffer): Buffer | undefined {
  if (file.byteLength <= HEADER || file.readUInt32LE(0) !== MAGIC) return undefined;
  const view = file.subarray(HEADER);
  // checksum() reads words: a copy if the bytes do not start on a word.
  const data = view.byteOffset % 4 === 0 ? view : Buffer.from(view);
  const [a, c] = checksum(data);
  return a === file.readUInt32LE(4) && c === file.readUInt32LE(8) ? data : undefined;
}

export function wrapCache(data: Buffer): Buffer {
  const head = Buffer.alloc(HEADER);
  const [a, c] = checksum(data);
  head.writeUInt32LE(MAGIC, 0);
  head.writeUInt32LE(a, 4);
  head.writeUInt32LE(c, 8);
  return Buffer.concat([head, data]);
}

export interface CachedBundle<T> {
  exports: T;
  /** Writes the cache if there was none or V8 rejected it; call it once the run is done. */
  save(): void;
}

/** The bundle's content hash from its manifest, or undefined (then no cache is used). */
function contentHash(file: string): string | undefined {
  try {
    const h = (JSON.parse(readFileSync(file.replace(/\.cjs$/, '.json'), 'utf8')) as { sha256?: unknown }).sha256;
    return typeof h === 'string' && /^[0-9a-f]{64}$/.test(h) ? h : undefined;
  } catch {
    return undefined;
  }
}

export function loadCachedBundle<T>(file: string): CachedBundle<T> {
  const hash = contentHash(file);
  const dir = hash ? codeCacheDir() : undefined;
  const cachePath = dir && hash && privateDir(dir) ? join(dir, `${hash.slice(0, 32)}-${process.version}-${process.arch}${SUFFIX}`) : undefined;
  if (dir && !cachePath) debug('code cache: %s is not a private directory of this user; not used', dir);
  const file0 = cachePath ? readOwnFile(cachePath) : undefined;
  const cached = file0 ? unwrapCache(file0) : undefined;
  if (file0 && !cached) debug('code cache: %s is damaged; not used', cachePath);
  const script = new Script(nodeModule.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData: cached });
  const accepted = cached !== undefined && script.cachedDataRejected === false;
  if (cached) debug('code cache: %s %s', cachePath, accepted ? 'accepted' : 'rejected');
  const mod = { exports: {} as T };
  (script.runInThisContext() as (...a: unknown[]) => void)(mod.exports, nodeModule.createRequire(file), mod, file, dirname(file));
  return {
    exports: mod.exports,
    save() {
      if (!cachePath || accepted) return;
      try {
        writeCacheFile(dirname(cachePath), basename(cachePath), wrapCache(script.createCachedData()), SUFFIX, KEEP_FILES);
        debug('code cache: %s written', cachePath);
      } catch (e) {
        debug('code cache: not written: %s', (e as Error).message);
      }
    },
  };
}
