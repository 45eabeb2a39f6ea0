/**
 * Bundles the compiled CLI into an entry beside it (dist/src/cli/main.bundle.js, so paths
 * resolved from import.meta.url stay the same) and chunks split at the dynamic imports. Startup
 * is dominated by resolving and linking a few hundred ESM/CJS files of ink, react and got; the
 * bundle skips that, and the split leaves what a run does not import unread (BENCHMARKS.md).
 *
 * Library sources are bundled as published, with one exception: the reviewed diffs under
 * patches/ (today only ink's bounded text caches, ink#986), applied by scripts/patches.mjs.
 * The build fails if a hunk no longer applies, if the installed version is not the patch's, or
 * if a patched file was not bundled: a dependency upgrade is noticed, never shipped unpatched.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { loadPatches, patchesPlugin } from './patches.mjs';

const emptyModule = {
  name: 'empty-optional',
  setup(b) {
    // Ink imports react-devtools-core only when DEV=true; it is not a dependency of ours.
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'empty' }));
    b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export default {}; export const connectToDevTools = () => {};', loader: 'js' }));
  },
};

/*
 * With code splitting, esbuild gives a dynamically imported CommonJS module's exports only on
 * `default` (evanw/esbuild#3245, #4377; a fix is proposed in #4526): `(await import(x)).Foo` is
 * undefined. The OpenTelemetry packages, loaded lazily, publish an ESM build beside the CommonJS
 * `main` that Node picks; bundling their `module` build keeps them ESM. (Packages with an
 * `exports` map already resolve to ESM for an import.)
 */
const esmBuilds = {
  name: 'esm-builds',
  setup(b) {
    b.onResolve({ filter: /^@opentelemetry\/[^/]+$/ }, (args) => {
      let pkg;
      try {
        pkg = createRequire(join(args.resolveDir, 'x.js')).resolve(`${args.path}/package.json`);
      } catch {
        return undefined;
      }
      const j = JSON.parse(readFileSync(pkg, 'utf8'));
      return j.exports || !j.module ? undefined : { path: join(dirname(pkg), j.module) };
    });
  },
};

/** The chunks beside the entry (`chunkNames` below). */
const CHUNK = /^bundle-.*\.js$/;

/** Fails the build when a dynamic import still lands on a CommonJS chunk (the bug above). */
function checkDynamicImports(dir) {
  const files = readdirSync(dir).filter((f) => f === 'main.bundle.js' || CHUNK.test(f));
  const cjs = new Set(files.filter((f) => /^export default require_\w+\(\);$/m.test(readFileSync(join(dir, f), 'utf8'))));
  const bad = [];
  for (const f of files) {
    for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/\bimport\("\.\/([^"]+)"\)/g)) if (cjs.has(m[1])) bad.push(`${f} → ${m[1]}`);
  }
  if (bad.length) throw new Error(`dynamic import of a CommonJS chunk (only its default export would be there, evanw/esbuild#3245):\n  ${bad.join('\n  ')}`);
}

/*
 * What this build was made from: every source file, the lockfile and the patches. A parsed
 * config kept by one build (src/cli/configTrees.ts) is used only by the same build, so an
 * upgraded YAML parser or changed parse options never read an old tree.
 */
function buildId() {
  const h = createHash('sha256');
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else h.update(`${p}\0`).update(readFileSync(p)).update('\0');
    }
  };
  walk('src');
  walk('patches');
  h.update(readFileSync('package-lock.json'));
  return h.digest('hex');
}
const BUILD_ID = JSON.stringify(buildId());

const patches = patchesPlugin(loadPatches(fileURLToPath(new URL('../patches/', import.meta.url))));

// Chunks of an earlier build would otherwise pile up beside the new ones.
for (const f of readdirSync('dist/src/cli')) if (CHUNK.test(f)) rmSync(`dist/src/cli/${f}`);

await build({
  entryPoints: ['dist/src/cli/main.js'],
  // Split at the dynamic imports, so the OpenTelemetry SDK, the sinks, the simulator and the
  // rarer commands are read only by a run that uses them (startup and RSS budgets). Chunks
  // sit beside the entry, so their import.meta.url paths are the entry's.
  outdir: 'dist/src/cli',
  entryNames: 'main.bundle',
  chunkNames: 'bundle-[name]-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // ws probes for these optional native addons inside try/catch.
  external: ['bufferutil', 'utf-8-validate'],
  // CommonJS dependencies (react, ws) call require() for Node built-ins.
  banner: { js: "import { createRequire as __warroomRequire } from 'node:module'; const require = __warroomRequire(import.meta.url);" },
  plugins: [emptyModule, esmBuilds, patches.plugin],
  // The shipped console always runs React's production build (STACK-NOTES: ~2.5x cheaper),
  // whatever NODE_ENV the user's shell carries; the development build is not even bundled.
  define: { 'process.env.NODE_ENV': '"production"', __WARROOM_BUILD_ID__: BUILD_ID },
  logLevel: 'warning',
  legalComments: 'none',
});
patches.check();
checkDynamicImports('dist/src/cli');

/*
 * The one-shot CI commands' own bundle (`check`, `validate`), CommonJS, which bin/warroom.js
 * runs through V8's code cache (src/cli/cachedBundle.ts; Node gives an ES module no cache made
 * after its run). It holds what they read (src/cli/checkMain.ts): no Ink, no `check --watch`,
 * no other command.
 * The CommonJS packages it loads only on demand (the NATS client for `--room`, ws) stay
 * outside and are required from node_modules when asked for.
 */
const CHECK_BUNDLE = 'dist/src/cli/check.bundle.cjs';
const checkBuild = await build({
  entryPoints: ['dist/src/cli/checkMain.js'],
  outfile: CHECK_BUNDLE,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['bufferutil', 'utf-8-validate', 'ws', '@nats-io/*'],
  // Strict, as every line of the ES module bundle is; import.meta.url is the bundle's own URL
  // (it sits beside main.bundle.js, so paths resolved from it are the same).
  banner: { js: '"use strict";\nconst __warroomBundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { 'process.env.NODE_ENV': '"production"', 'import.meta.url': '__warroomBundleUrl', __WARROOM_BUILD_ID__: BUILD_ID },
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
});
const checkInputs = Object.keys(Object.values(checkBuild.metafile.outputs)[0].inputs);
const ui = checkInputs.filter((f) => /node_modules\/(ink|react|react-reconciler|yoga-layout)\//.test(f));
if (ui.length) throw new Error(`check's bundle must not hold the console's libraries: ${ui.slice(0, 5).join(', ')}`);
const checkSource = readFileSync(CHECK_BUNDLE, 'utf8');
// vm.Script has no loader for import(): every dynamic import must have become a require().
if (/\bimport\(/.test(checkSource)) throw new Error(`${CHECK_BUNDLE} still calls import(), which its vm.Script cannot load`);
writeFileSync(CHECK_BUNDLE.replace(/\.cjs$/, '.json'), JSON.stringify({ sha256: createHash('sha256').update(checkSource).digest('hex') }) + '\n');
