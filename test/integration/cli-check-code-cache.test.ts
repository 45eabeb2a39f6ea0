/**
 * `check` (and `validate`) through the compiled binary keep V8's code cache of their bundle in a private per-user
 * directory ($TMPDIR/warroom-code-cache-<uid>, src/cli/cachedBundle.ts): the first run writes
 * it, the next takes its code from it, and a cache that is damaged, or sits where others may
 * write, is never handed to V8 — the verdict is the same in every case. Node's own module
 * compile cache (Node >= 22) is kept in the same directory, never in Node's shared default.
 */
import { chmodSync, chownSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';

let root: string;
let config: string;
const uid = process.getuid!();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'wr-code-cache-'));
  config = join(root, 'warroom.yaml');
  writeFileSync(
    config,
    `version: 1
deployment: { name: cache, environment: test }
sources:
  one: { type: command, argv: [echo, "1"], timeout: 5s }
gates:
  - { id: one, source: one, go: "== 1" }
  - { id: two, source: one, go: "== 2" }
audit: { dir: ${join(root, 'audit')} }
`,
  );
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh TMPDIR for one case, and the cache directory the binary will use in it. */
function tmp(name: string): { env: Record<string, string>; cacheDir: string } {
  const dir = join(root, name);
  mkdirSync(dir);
  return { env: { TMPDIR: dir, NODE_DEBUG: 'warroom' }, cacheDir: join(dir, `warroom-code-cache-${uid}`) };
}

const check = (env: Record<string, string>): Promise<CliResult> => runCli(['check', '--strict', '--config', config], { env });
/** The report without its first line (the time it was made). */
const report = (r: CliResult) => r.stdout.split('\n').slice(1).join('\n');
const cacheFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.v8cache'));

describe('check: the code cache of its bundle', () => {
  it('the first run writes it into a private directory; the next takes its code from it; the verdict is the same', async () => {
    const { env, cacheDir } = tmp('fresh');
    const first = await check(env);
    expect(first.code).toBe(2);
    expect(first.stdout).toMatch(/Overall: NO-GO/);
    expect(first.stderr).toMatch(/code cache: .* written/);
    const dir = lstatSync(cacheDir);
    expect(dir.isDirectory()).toBe(true);
    expect(dir.mode & 0o777).toBe(0o700);
    const [name] = cacheFiles(cacheDir);
    expect(name).toMatch(new RegExp(`^[0-9a-f]{32}-${process.version}-${process.arch}\\.v8cache$`));
    const file = join(cacheDir, name!);
    const written = lstatSync(file);
    expect(written.mode & 0o777).toBe(0o600);

    const second = await check(env);
    expect(second.code).toBe(2);
    expect(report(second)).toBe(report(first));
    expect(second.stderr).toMatch(/code cache: .* accepted/);
    expect(second.stderr).not.toMatch(/written/);
    // Taken as it was: not written again.
    const after = lstatSync(file);
    expect([after.ino, after.mtimeMs]).toEqual([written.ino, written.mtimeMs]);
    expect(cacheFiles(cacheDir)).toEqual([name]);

    // `validate` runs from the same bundle and cache, under the same V8 flags (else V8 would
    // reject it and each command would rewrite the other's).
    const valid = await runCli(['validate', '--config', config], { env });
    expect(valid.code).toBe(0);
    expect(valid.stdout).toMatch(/valid — 2 gates, 1 sources/);
    expect(valid.stderr).toMatch(/code cache: .* accepted/);
    expect(valid.stderr).not.toMatch(/written|rejected/);
    expect(lstatSync(file).mtimeMs).toBe(written.mtimeMs);
  }, 30_000);

  it('a damaged cache is not handed to V8: the run is the same, and a whole one replaces it', async () => {
    const { env, cacheDir } = tmp('damaged');
    const first = await check(env);
    const file = join(cacheDir, cacheFiles(cacheDir)[0]!);
    // One bit of V8's data flipped, past the 12-byte header: Node 24's V8 accepts such a
    // cache and can abort on it ("Check failed"), so the file's own checksum must catch it.
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x10;
    writeFileSync(file, bytes);
    const damaged = await check(env);
    expect(damaged.code).toBe(2);
    expect(report(damaged)).toBe(report(first));
    expect(damaged.stderr).toMatch(/code cache: .* is damaged; not used/);
    expect(damaged.stderr).toMatch(/code cache: .* written/);
    expect(readFileSync(file).equals(bytes)).toBe(false);
    const again = await check(env);
    expect(again.stderr).toMatch(/code cache: .* accepted/);
    expect(report(again)).toBe(report(first));
  }, 30_000);

  it('writing one keeps the newest 8 cache files: older versions of warroom or Node are removed', async () => {
    const { env, cacheDir } = tmp('prune');
    mkdirSync(cacheDir, { mode: 0o700 });
    // Ten caches of other builds, a minute apart, the oldest first; and a file that is not a cache.
    const old = Array.from({ length: 10 }, (_, i) => `${String(i).padStart(32, '0')}-v0.0.${i}-x64.v8cache`);
    old.forEach((f, i) => {
      writeFileSync(join(cacheDir, f), 'x');
      const t = new Date(Date.now() - (20 - i) * 60_000);
      utimesSync(join(cacheDir, f), t, t);
    });
    writeFileSync(join(cacheDir, 'notes.txt'), 'mine');
    const r = await check(env);
    expect(r.stderr).toMatch(/code cache: .* written/);
    const left = cacheFiles(cacheDir).sort();
    expect(left).toHaveLength(8);
    // The one just written and the seven newest of the others.
    expect(left.filter((f) => f.includes(process.version))).toHaveLength(1);
    expect(left.filter((f) => !f.includes(process.version))).toEqual(old.slice(3).sort());
    expect(readdirSync(cacheDir)).toContain('notes.txt');
  }, 30_000);

  it('a directory others may write, or a symlink, is not used nor written into', async () => {
    for (const kind of ['open', 'symlink'] as const) {
      const { env, cacheDir } = tmp(kind);
      const real = `${cacheDir}-real`;
      if (kind === 'open') {
        mkdirSync(cacheDir);
        chmodSync(cacheDir, 0o777);
      } else {
        mkdirSync(real, { mode: 0o700 });
        symlinkSync(real, cacheDir);
      }
      const r = await check(env);
      expect(r.code).toBe(2);
      expect(r.stdout).toMatch(/Overall: NO-GO/);
      expect(r.stderr).toMatch(/is not a private directory of this user; not used/);
      expect(readdirSync(kind === 'open' ? cacheDir : real)).toEqual([]);
    }
  }, 30_000);

  // Only root can make a directory owned by another user (chown). `.ci/run` runs as root, so CI runs this
  // on every Node it tests; elsewhere the same owner rule is checked without root in test/unit/private-cache-dir.test.ts.
  it.skipIf(uid !== 0)('a directory another user made is not used, even one closed to others', async () => {
    const { env, cacheDir } = tmp('theirs');
    mkdirSync(cacheDir, { mode: 0o700 });
    chownSync(cacheDir, 65534, 65534);
    const r = await check(env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not a private directory of this user; not used/);
    expect(readdirSync(cacheDir)).toEqual([]);
  }, 30_000);

  it("Node's own compile cache goes into the same private directory, never into Node's shared default", async () => {
    // Node >= 22.1 has a module compile cache; Node 20 has none, and then nothing of Node's may appear at all.
    const nodeHasCache = Number(process.versions.node.split('.')[0]) >= 22;
    const { env, cacheDir } = tmp('node-cache');
    const r = await runCli(['--version'], { env });
    expect(r.code).toBe(0);
    if (nodeHasCache) {
      // Node writes its entries at exit, under a directory named for its version and the user.
      const [sub] = readdirSync(join(cacheDir, 'node'));
      expect(sub).toMatch(new RegExp(`^${process.version}-${process.arch}-[0-9a-f]+-${uid}$`));
      expect(readdirSync(join(cacheDir, 'node', sub!)).length).toBeGreaterThan(0);
    }
    // Nothing else in TMPDIR: no `node-compile-cache` of Node's (and on Node 20, not even our directory).
    expect(readdirSync(join(cacheDir, '..'))).toEqual(nodeHasCache ? [`warroom-code-cache-${uid}`] : []);

    // In a directory others may write, neither cache is kept: not ours, and not Node's default.
    const open = tmp('node-cache-open');
    mkdirSync(open.cacheDir);
    chmodSync(open.cacheDir, 0o777);
    expect((await runCli(['--version'], { env: open.env })).code).toBe(0);
    expect(readdirSync(open.cacheDir)).toEqual([]);
    expect(readdirSync(join(open.cacheDir, '..'))).toEqual([`warroom-code-cache-${uid}`]);
  }, 30_000);

  it("NODE_DISABLE_COMPILE_CACHE turns it off; a run that reaches no verdict writes none", async () => {
    const off = tmp('off');
    const r = await check({ ...off.env, NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(r.code).toBe(2);
    expect(readdirSync(join(off.cacheDir, '..'))).toEqual([]);

    const bad = tmp('bad-config');
    const broken = join(root, 'broken.yaml');
    writeFileSync(broken, 'version: 1\ngates: [\n');
    const refused = await runCli(['check', '--config', broken], { env: bad.env });
    expect(refused.code).toBe(78);
    expect(refused.stderr).not.toMatch(/written/);
    expect(cacheFiles(bad.cacheDir)).toEqual([]);
  }, 30_000);
});
