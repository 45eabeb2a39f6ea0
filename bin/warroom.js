#!/usr/bin/env node
// Production React is ~2.5x cheaper in CPU (STACK-NOTES); set before React loads.
process.env.NODE_ENV ??= 'production';
// chalk ignores NO_COLOR; FORCE_COLOR=0 is what turns it off, and must be set before Ink loads.
if ((process.env.NO_COLOR ?? '') !== '' || process.argv.includes('--no-color')) process.env.FORCE_COLOR = '0';

// Node >= 22.1 keeps V8's compiled code of our bundle between runs: the console spends less of
// its start compiling. Not in Node's default directory (a shared temp dir, where another user
// who made it first could hand us their code) but in our private one, or not at all
// (dist/src/cli/privateCacheDir.js); NODE_COMPILE_CACHE, if set, is the user's own choice.
// Older Node has no such API; a cache that cannot be written is skipped by Node itself.
const { default: nodeModule } = await import('node:module');
if (typeof nodeModule.enableCompileCache === 'function') {
  const { privateCodeCacheDir } = await import('../dist/src/cli/privateCacheDir.js');
  const dir = privateCodeCacheDir();
  try {
    if (dir) nodeModule.enableCompileCache(`${dir}/node`);
  } catch {
    /* no cache: only slower */
  }
}

// A one-shot `check` ends before V8's optimising compilers pay off: on Node 20 they spent a
// quarter of its CPU (200 Prometheus gates: 0.35 -> 0.25 s CPU without them, mostly the YAML
// parser's hot functions compiled on background threads). Node 24's tiering showed no such cost,
// and the console and `check --watch` run long enough to want them.
// `validate` is as short, and runs from the same code cache, which V8 accepts only under the
// flags it was made with.
const nodeMajor = Number(process.versions.node.split('.')[0]);
const oneShot = (process.argv[2] === 'check' && !process.argv.includes('--watch')) || process.argv[2] === 'validate';
if (nodeMajor < 22 && oneShot) {
  (await import('node:v8')).setFlagsFromString('--no-opt');
}

// A one-shot `check` or `validate` runs from its own bundle through a code cache made after its
// run (dist/src/cli/cachedBundle.js); it answers undefined for what it does not hold.
let code;
if (oneShot) {
  const { fileURLToPath } = await import('node:url');
  const { loadCachedBundle } = await import('../dist/src/cli/cachedBundle.js');
  const bundle = loadCachedBundle(fileURLToPath(new URL('../dist/src/cli/check.bundle.cjs', import.meta.url)));
  code = await bundle.exports.main(process.argv.slice(2));
  if (bundle.exports.ranToEnd()) bundle.save();
}
if (code === undefined) {
  const { main } = await import('../dist/src/cli/main.bundle.js');
  code = await main(process.argv.slice(2));
}
process.exitCode = code;
// The command is done: a timer still pending (an action still verifying after `q`) must not
// hold the terminal. The grace lets piped output drain first; unref'd, it never delays an exit.
setTimeout(() => process.exit(code), 2000).unref();
