/**
 * Bundles the compiled CLI into one file beside it (dist/src/cli/main.bundle.js, so paths
 * resolved from import.meta.url stay the same). Startup is dominated by resolving and
 * linking a few hundred ESM/CJS files of ink, react and got; one file skips that (BENCHMARKS.md).
 */
import { build } from 'esbuild';

const emptyModule = {
  name: 'empty-optional',
  setup(b) {
    // Ink imports react-devtools-core only when DEV=true; it is not a dependency of ours.
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'empty' }));
    b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export default {}; export const connectToDevTools = () => {};', loader: 'js' }));
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
  plugins: [emptyModule],
  // The shipped console always runs React's production build (STACK-NOTES: ~2.5x cheaper),
  // whatever NODE_ENV the user's shell carries; the development build is not even bundled.
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
  legalComments: 'none',
});
