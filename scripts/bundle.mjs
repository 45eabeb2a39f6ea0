/**
 * Bundles the compiled CLI into one file beside it (dist/src/cli/main.bundle.js, so paths
 * resolved from import.meta.url stay the same). Startup is dominated by resolving and
 * linking a few hundred ESM/CJS files of ink, react and got; one file skips that (BENCHMARKS.md).
 *
 * Library sources are bundled as published, with one exception: the reviewed diffs under
 * patches/ (today only ink's bounded text caches, ink#986), applied by scripts/patches.mjs.
 * The build fails if a hunk no longer applies, if the installed version is not the patch's, or
 * if a patched file was not bundled: a dependency upgrade is noticed, never shipped unpatched.
 */
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

const patches = patchesPlugin(loadPatches(fileURLToPath(new URL('../patches/', import.meta.url))));

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
  plugins: [emptyModule, patches.plugin],
  // The shipped console always runs React's production build (STACK-NOTES: ~2.5x cheaper),
  // whatever NODE_ENV the user's shell carries; the development build is not even bundled.
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
  legalComments: 'none',
});
patches.check();
