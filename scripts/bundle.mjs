/**
 * Bundles the compiled CLI into one file beside it (dist/src/cli/main.bundle.js, so paths
 * resolved from import.meta.url stay the same). Startup is dominated by resolving and
 * linking a few hundred ESM/CJS files of ink, react and got; one file skips that (BENCHMARKS.md).
 */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const emptyModule = {
  name: 'empty-optional',
  setup(b) {
    // Ink imports react-devtools-core only when DEV=true; it is not a dependency of ours.
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'empty' }));
    b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export default {}; export const connectToDevTools = () => {};', loader: 'js' }));
  },
};

/**
 * Ink 6 rasterises every frame cell by cell through @alcalzone/ansi-tokenize, the console's
 * largest CPU cost while polling. dist/src/render/inkFastPaths.js gives the same cells and
 * strings faster for the common cases (see there). Each patch site must match, or the build
 * fails: an ink upgrade is then noticed, never shipped silently unpatched.
 */
const FAST_PATHS = fileURLToPath(new URL('../dist/src/render/inkFastPaths.js', import.meta.url));
// Not among the package's exports; the same file the library itself imports it from.
const ANSI_CODES = fileURLToPath(new URL('../node_modules/@alcalzone/ansi-tokenize/build/ansiCodes.js', import.meta.url));
const OUTPUT_PATCHES = [
  ['cached = styledCharsFromTokens(tokenize(line));', 'cached = plainStyledChars(line) ?? sgrStyledChars(line, getEndCode, reduceAnsiCodesIncremental) ?? uniformCells(styledCharsFromTokens(tokenize(line)));'],
  [/row\.push\(\{\s*type: 'char',\s*value: ' ',\s*fullWidth: false,\s*styles: \[\],?\s*\}\);/, 'row.push(BLANK_CELL);'],
  ['return styledCharsToString(lineWithoutEmptyItems).trimEnd();', 'return rowToString(lineWithoutEmptyItems, diffAnsiCodes, ansiCodesToString).trimEnd();'],
];
/**
 * Every file a patch below must have changed, by its path under node_modules: the build fails
 * when one was not bundled at all (an upgrade moved it), as it fails when an anchor is missing.
 */
const REQUIRED_PATCHES = [
  'ink/build/output.js', 'ink/build/sanitize-ansi.js', 'ink/build/measure-text.js', 'ink/build/wrap-text.js',
  'string-width/index.js', '@alcalzone/ansi-tokenize/build/tokenize.js', 'slice-ansi/tokenize-ansi.js',
  'yoga-layout/dist/binaries/yoga-wasm-base64-esm.js', 'zod/v4/locales/index.js',
];
const patched = new Set();
const notePatched = (path) => patched.add(path.replace(/\\/g, '/').replace(/.*node_modules\//, ''));

/**
 * Ink's measureText and wrapText memoise every text they ever see, forever (ink#986): bounded
 * here by dist/src/render/boundedCache.js. Same anchors-or-fail rule as above.
 */
const BOUNDED_CACHE = fileURLToPath(new URL('../dist/src/render/boundedCache.js', import.meta.url));
const CACHE_IMPORT = `import { BoundedCache, INK_TEXT_CACHE_LIMIT } from ${JSON.stringify(BOUNDED_CACHE)};`;
const SANITIZE_PATCH = [['const sanitizeAnsi = (text) => {\n    if (!hasAnsiControlCharacters(text)) {', 'const sanitizeAnsi = (text) => {\n    if (onlyTextAndSgr(text) || !hasAnsiControlCharacters(text)) {']];
const TEXT_CACHE_PATCHES = {
  'measure-text.js': [['const cache = new Map();', 'const cache = new BoundedCache(INK_TEXT_CACHE_LIMIT);']],
  'wrap-text.js': [
    ['const cache = {};', 'const cache = new BoundedCache(INK_TEXT_CACHE_LIMIT);'],
    ['const cachedText = cache[cacheKey];', 'const cachedText = cache.get(cacheKey);'],
    ['cache[cacheKey] = wrappedText;', 'cache.set(cacheKey, wrappedText);'],
  ],
};
const inkTextCaches = {
  name: 'ink-bounded-text-caches',
  setup(b) {
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/](measure-text|wrap-text)\.js$/ }, async (args) => {
      const file = args.path.replace(/.*[\\/]/, '');
      const contents = `${CACHE_IMPORT}\n${applyPatches(await readFile(args.path, 'utf8'), TEXT_CACHE_PATCHES[file], 'ink-bounded-text-caches', args.path)}`;
      notePatched(args.path);
      return { contents, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

/** Applies each [from, to]; a missing anchor fails the build. */
function applyPatches(src, patches, plugin, path) {
  for (const [from, to] of patches) {
    const next = src.replace(from, to);
    if (next === src) throw new Error(`${plugin}: ${String(from)} not found in ${path}`);
    src = next;
  }
  return src;
}

const inkFastPaths = {
  name: 'ink-fast-paths',
  setup(b) {
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]sanitize-ansi\.js$/ }, async (args) => {
      const src = applyPatches(await readFile(args.path, 'utf8'), SANITIZE_PATCH, 'ink-fast-paths', args.path);
      notePatched(args.path);
      return { contents: `import { onlyTextAndSgr } from ${JSON.stringify(FAST_PATHS)};\n${src}`, loader: 'js', resolveDir: dirname(args.path) };
    });
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]output\.js$/ }, async (args) => {
      const src = applyPatches(await readFile(args.path, 'utf8'), OUTPUT_PATCHES, 'ink-fast-paths', args.path);
      notePatched(args.path);
      const imports = [
        `import { plainStyledChars, sgrStyledChars, uniformCells, BLANK_CELL, rowToString } from ${JSON.stringify(FAST_PATHS)};`,
        "import { diffAnsiCodes, ansiCodesToString, reduceAnsiCodesIncremental } from '@alcalzone/ansi-tokenize';",
        `import { getEndCode } from ${JSON.stringify(ANSI_CODES)};`,
      ].join('\n');
      return { contents: `${imports}\n${src}`, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

/**
 * Both string-width copies build an Intl.Segmenter and Unicode-set regexes as their module
 * loads (~30 ms before the first frame, in a startup profile). Their bodies are wrapped to run
 * on first use instead. string-width 8 (Ink's and widest-line's) also answers plain lines
 * through plainWidth first, so it seldom loads at all; wrap-ansi's string-width 7 counts ▶ and
 * ✔ as two columns and keeps its own answers.
 */
const WIDTH_ANCHOR = 'export default function stringWidth(';
const lazyStringWidth = {
  name: 'lazy-string-width',
  setup(b) {
    b.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/ }, async (args) => {
      const dir = dirname(args.path);
      const { version } = JSON.parse(await readFile(`${dir}/package.json`, 'utf8'));
      const lines = (await readFile(args.path, 'utf8')).split('\n');
      let n = 0;
      while (n < lines.length && (lines[n].startsWith('import ') || lines[n].trim() === '')) n++;
      const body = lines.slice(n).join('\n');
      if (!body.includes(WIDTH_ANCHOR) || body.match(/\bexport\b/g).length !== 1 || /^\s*import\b/m.test(body)) {
        throw new Error(`lazy-string-width: ${args.path} is no longer imports + one "${WIDTH_ANCHOR}"`);
      }
      const fast = version.startsWith('8.');
      if (fast) notePatched(args.path);
      const contents = [
        ...lines.slice(0, n),
        fast ? `import { plainWidth } from ${JSON.stringify(FAST_PATHS)};` : '',
        'let stringWidthOfLibrary;',
        'function loadStringWidth() {',
        body.replace(WIDTH_ANCHOR, 'function stringWidth('),
        'return stringWidth;',
        '}',
        'export default function stringWidth(input, options) {',
        fast
          ? '  return plainWidth(input, options) ?? (stringWidthOfLibrary ??= loadStringWidth())(input, options);'
          : '  return (stringWidthOfLibrary ??= loadStringWidth())(input, options);',
        '}',
      ].join('\n');
      return { contents, loader: 'js', resolveDir: dir };
    });
  },
};

/**
 * yoga-layout's Emscripten loader fetches its own base64 data: URI with `fetch` when one
 * exists, and touching Node's `fetch` loads undici (~30 ms before the first frame). The
 * loader's synchronous decoding, which it uses where there is no fetch, is used instead.
 */
const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(b) {
    b.onLoad({ filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, async (args) => {
      const src = await readFile(args.path, 'utf8');
      const isDataUri = src.match(/function (\w+)\(a\)\{return a\.startsWith\("data:application\/octet-stream;base64,"\)\}/)?.[1];
      const uri = src.match(/var (\w+);\1="data:application\/octet-stream;base64,/)?.[1];
      const anchor = '"function"!=typeof fetch?Promise.resolve()';
      if (!isDataUri || !uri || src.split(anchor).length !== 2) throw new Error(`yoga-without-fetch: the loader in ${args.path} changed`);
      notePatched(args.path);
      return { contents: src.replace(anchor, `${isDataUri}(${uri})||${anchor}`), loader: 'js' };
    });
  },
};

/**
 * zod's classic entry re-exports all of its ~60 message locales (392 KB, 14 % of the bundle,
 * compiled and initialised at every start). warroom's messages are English, the locale zod
 * registers by default, so the namespace keeps `en` alone.
 */
const ZOD_EN = 'export { default as en } from "./en.js";';
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, async (args) => {
      const src = await readFile(args.path, 'utf8');
      if (!src.includes(ZOD_EN)) throw new Error(`zod-english-only: no "${ZOD_EN}" in ${args.path}`);
      notePatched(args.path);
      return { contents: ZOD_EN, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

/**
 * The first Intl.Segmenter of a process loads ICU's break data (~18 ms). ansi-tokenize and
 * slice-ansi build theirs as their modules load; they are made on first use instead (only
 * `.segment()` is ever called on them, which is checked), and the first frame, whose SGR
 * sequences inkFastPaths tokenizes itself, no longer needs one at all.
 */
const SEGMENTER_FILES = /[\\/](@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize|slice-ansi[\\/]tokenize-ansi)\.js$/;
const lazySegmenters = {
  name: 'lazy-segmenters',
  setup(b) {
    b.onLoad({ filter: SEGMENTER_FILES }, async (args) => {
      const src = await readFile(args.path, 'utf8');
      const decl = [...src.matchAll(/const (\w+) = new Intl\.Segmenter\(/g)];
      const name = decl[0]?.[1];
      const uses = name ? src.split(`${name}.`).length - 1 : 0;
      if (decl.length !== 1 || src.split('new Intl.Segmenter(').length !== 2 || uses !== src.split(`${name}.segment(`).length - 1) {
        throw new Error(`lazy-segmenters: ${args.path} no longer has one segmenter used only through .segment()`);
      }
      notePatched(args.path);
      const contents = `import { lazySegmenter } from ${JSON.stringify(FAST_PATHS)};\n${src.replace('new Intl.Segmenter(', 'lazySegmenter(')}`;
      return { contents, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

await build({
  entryPoints: ['dist/src/cli/main.js'],
  outfile: 'dist/src/cli/main.bundle.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // ws probes for these optional native addons inside try/catch.
  external: ['bufferutil', 'utf-8-validate'],
  // CommonJS dependencies (react, ws) call require() for Node built-ins.
  banner: { js: "import { createRequire as __warroomRequire } from 'node:module'; const require = __warroomRequire(import.meta.url);" },
  plugins: [emptyModule, inkFastPaths, inkTextCaches, lazyStringWidth, lazySegmenters, yogaWithoutFetch, zodEnglishOnly],
  // The shipped console always runs React's production build (STACK-NOTES: ~2.5x cheaper),
  // whatever NODE_ENV the user's shell carries; the development build is not even bundled.
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
  legalComments: 'none',
});
const missing = REQUIRED_PATCHES.filter((f) => !patched.has(f));
if (missing.length) throw new Error(`bundle: not patched, because not bundled from where expected (did a dependency change?): ${missing.join(', ')}`);
