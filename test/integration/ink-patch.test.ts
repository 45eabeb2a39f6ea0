/**
 * The build's one library patch (patches/ink+6.8.0.patch, ink#986) applies to the installed
 * Ink, is a diff standard tools accept, fails loudly when Ink changes, and is in the bundle
 * that ships (dist/src/cli/main.bundle.js, from `npm run build`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { applyFilePatch, loadPatches, parsePatch, patchesPlugin, type Patch } from '../../scripts/patches.mjs';

const ROOT = join(import.meta.dirname, '..', '..');
const INK = join(ROOT, 'node_modules', 'ink');
const CLI = join(ROOT, 'dist', 'src', 'cli');
const BUNDLE = join(CLI, 'main.bundle.js');
const patches = loadPatches(join(ROOT, 'patches'));
const ink = patches.find((p) => p.name === 'ink') as Patch;
const inkSource = (file: string) => readFileSync(join(INK, 'build', file), 'utf8');
const PATCHED = ['ink/build/bounded-cache.js', 'ink/build/measure-text.js', 'ink/build/wrap-text.js'];

let tmp: string | undefined;
afterEach(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
  tmp = undefined;
});

/** A copy of ink's package.json and patched files, with `version`, under <tmp>/node_modules/ink. */
async function fakeInk(version: string, files = ['measure-text.js', 'wrap-text.js']): Promise<string> {
  tmp = await mkdtemp(join(tmpdir(), 'warroom-ink-patch-'));
  const dir = join(tmp, 'node_modules', 'ink');
  await mkdir(join(dir, 'build'), { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'ink', version, type: 'module' }));
  for (const f of files) await cp(join(INK, 'build', f), join(dir, 'build', f));
  return dir;
}

const bundleWith = (entry: string) =>
  build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', write: false, logLevel: 'silent', external: ['widest-line', 'wrap-ansi', 'cli-truncate'], plugins: [patchesPlugin([ink]).plugin] });

describe('patches/ink+6.8.0.patch', () => {
  it('is the only patch, for the installed ink, and touches only the text caches', () => {
    expect(patches.map((p) => p.file)).toEqual(['ink+6.8.0.patch']);
    expect(JSON.parse(readFileSync(join(INK, 'package.json'), 'utf8')).version).toBe(ink.version);
    expect(ink.files.map((f) => f.path)).toEqual(PATCHED);
    const text = readFileSync(join(ROOT, 'patches', ink.file), 'utf8');
    expect(text.slice(0, text.indexOf('diff --git'))).toContain('https://github.com/vadimdemedes/ink/issues/986');
  });

  it('applies to the installed files and bounds both caches', () => {
    const measure = applyFilePatch(inkSource('measure-text.js'), ink.files[1]!);
    const wrap = applyFilePatch(inkSource('wrap-text.js'), ink.files[2]!);
    expect(measure).toContain('const cache = new BoundedCache(TEXT_CACHE_LIMIT);');
    expect(measure).not.toContain('new Map()');
    expect(wrap).toContain('const cache = new BoundedCache(TEXT_CACHE_LIMIT);');
    expect(wrap).toContain('cache.get(cacheKey)');
    expect(wrap).toContain('cache.set(cacheKey, wrappedText);');
    expect(wrap).not.toMatch(/cache\[cacheKey\]/);
  });

  it('is a unified diff that `git apply --check` accepts against the installed ink', async () => {
    tmp = await mkdtemp(join(tmpdir(), 'warroom-ink-git-'));
    await mkdir(join(tmp, 'node_modules', 'ink', 'build'), { recursive: true });
    for (const f of ['measure-text.js', 'wrap-text.js']) await cp(join(INK, 'build', f), join(tmp, 'node_modules', 'ink', 'build', f));
    expect(() => execFileSync('git', ['apply', '--check', join(ROOT, 'patches', ink.file)], { cwd: tmp, stdio: 'pipe' })).not.toThrow();
  });

  it('a hunk whose context changed does not apply, and says where', () => {
    const changed = inkSource('wrap-text.js').replace('const cachedText = cache[cacheKey];', 'const cachedText = cache[key];');
    expect(() => applyFilePatch(changed, ink.files[2]!, 'patches/ink+6.8.0.patch')).toThrow(
      /patches\/ink\+6\.8\.0\.patch: hunk @@ -1,9 \+1,10 @@ of ink\/build\/wrap-text\.js does not apply: line 6 is "    const cachedText = cache\[key\];"/,
    );
    // A line moved by one is refused as well: no offset search, no fuzz.
    expect(() => applyFilePatch(`\n${inkSource('measure-text.js')}`, ink.files[1]!)).toThrow(/does not apply: line 1/);
    expect(() => applyFilePatch('', ink.files[0]!)).toThrow(/already exists/);
  });

  it('malformed diffs are refused', () => {
    expect(() => parsePatch('# only a header\n')).toThrow(/no file/);
    expect(() => parsePatch('diff --git a/node_modules/x/a.js b/node_modules/x/a.js\n--- a/node_modules/x/a.js\n+++ b/node_modules/x/a.js\n@@ -1,2 +1,2 @@\n-a\n+b\n')).toThrow(/ends early/);
    expect(() => parsePatch('diff --git a/src/a.js b/src/a.js\n')).toThrow(/not under node_modules/);
  });

  it('the build plugin patches a bundled ink of the same version', async () => {
    const dir = await fakeInk(ink.version);
    const out = await bundleWith(join(dir, 'build', 'measure-text.js'));
    expect(out.outputFiles[0]!.text).toMatch(/new BoundedCache\(TEXT_CACHE_LIMIT\)/);
  });

  it('the build fails for another ink version, and when a patched file was not bundled', async () => {
    let dir = await fakeInk('6.8.1');
    await expect(bundleWith(join(dir, 'build', 'measure-text.js'))).rejects.toThrow(/patches\/ink\+6\.8\.0\.patch is for ink 6\.8\.0, but ink 6\.8\.1 is installed/);
    await rm(tmp!, { recursive: true, force: true });
    dir = await fakeInk(ink.version);
    const measure = join(dir, 'build', 'measure-text.js');
    await writeFile(measure, inkSource('measure-text.js').replace('const cache = new Map();', 'const cache = new LruMap(1000);'));
    await expect(bundleWith(measure)).rejects.toThrow(/hunk @@ -1,5 \+1,6 @@ of ink\/build\/measure-text\.js does not apply: line 2/);
    await cp(join(INK, 'build', 'measure-text.js'), measure);
    const plugin = patchesPlugin([ink]);
    await build({ entryPoints: [join(dir, 'build', 'measure-text.js')], bundle: true, platform: 'node', format: 'esm', write: false, logLevel: 'silent', external: ['widest-line'], plugins: [plugin.plugin] });
    expect(() => plugin.check()).toThrow(/not bundled.*ink\+6\.8\.0\.patch: ink\/build\/wrap-text\.js/);
  });
});

describe('the shipped bundle', () => {
  it('has the bounded cache at both of Ink\'s text caches and no other library rewrite', () => {
    expect(existsSync(BUNDLE), `${BUNDLE} is missing: npm run build first`).toBe(true);
    // The entry and the chunks it is split into (scripts/bundle.mjs) ship together.
    const files = [BUNDLE, ...readdirSync(CLI).filter((f) => /^bundle-.*\.js$/.test(f)).map((f) => join(CLI, f))];
    expect(files.length).toBeGreaterThan(1);
    const js = files.map((f) => readFileSync(f, 'utf8')).join('\n');
    // (Plain booleans: a failed toContain would print the whole 3 MB bundle.)
    expect(/\bBoundedCache = class \{/.test(js), 'the BoundedCache class').toBe(true);
    const sites = [...js.matchAll(/\b(cache\d*) = new BoundedCache\(TEXT_CACHE_LIMIT\);/g)];
    expect(sites.map((m) => m[1])).toHaveLength(2);
    const after = (m: RegExpMatchArray) => js.slice(m.index, m.index! + 300);
    expect(sites.map((m) => /\b(measureText|wrapText) = /.exec(after(m))?.[1]).sort()).toEqual(['measureText', 'wrapText']);
    expect(/const cachedText = cache\d*\.get\(cacheKey\);/.test(js), 'wrapText reads through the cache').toBe(true);
    expect(/cache\d*\[cacheKey\]/.test(js), 'no unbounded object cache left').toBe(false);
    // What the removed bundle-time rewrites left behind (fast paths, lazy segmenters, yoga, zod).
    for (const gone of ['plainStyledChars', 'onlyTextAndSgr', 'plainWidth', 'lazySegmenter', 'loadStringWidth']) expect(js.includes(gone), gone).toBe(false);
  });
});
