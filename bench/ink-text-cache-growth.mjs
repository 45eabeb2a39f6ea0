/**
 * `node --expose-gc bench/ink-text-cache-growth.mjs [ink|bounded]`: heap kept by Ink's text
 * measurement caches over one hour of the bench screen (45 text nodes changing every second),
 * through Ink's own measureText and wrapText: as published (`ink`, unbounded caches, ink#986),
 * or as the console ships them (`bounded`: the same two files bundled with patches/ by the
 * build's own plugin, scripts/patches.mjs). Not part of `npm run bench`: it needs --expose-gc
 * to measure what is retained rather than what is merely allocated.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { loadPatches, patchesPlugin } from '../scripts/patches.mjs';

if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc');
const mode = process.argv[2] === 'bounded' ? 'bounded' : 'ink';
const INK = fileURLToPath(new URL('../node_modules/ink/build/', import.meta.url));

async function inkTextFunctions() {
  if (mode === 'ink') {
    const [m, w] = await Promise.all([import(pathToFileURL(join(INK, 'measure-text.js')).href), import(pathToFileURL(join(INK, 'wrap-text.js')).href)]);
    return { measureText: m.default, wrapText: w.default };
  }
  const patches = patchesPlugin(loadPatches(fileURLToPath(new URL('../patches/', import.meta.url))));
  const out = await build({
    stdin: { contents: `export { default as measureText } from './measure-text.js';\nexport { default as wrapText } from './wrap-text.js';`, resolveDir: INK, loader: 'js' },
    bundle: true, platform: 'node', format: 'esm', write: false, plugins: [patches.plugin], logLevel: 'warning',
  });
  const dir = await mkdtemp(join(tmpdir(), 'ink-cache-'));
  const file = join(dir, 'ink-text.mjs');
  await writeFile(file, out.outputFiles[0].text);
  const fns = await import(pathToFileURL(file).href);
  await rm(dir, { recursive: true, force: true });
  return fns;
}

const { measureText, wrapText } = await inkTextFunctions();
const heapMb = () => {
  global.gc();
  global.gc();
  return process.memoryUsage().heapUsed / 1e6;
};

const before = heapMb();
for (let s = 0; s < 3600; s++) {
  for (let k = 0; k < 45; k++) {
    const text = `  ● GO     Gate ${k} title of a gate with some words       ${(s * 0.37 + k).toFixed(4)}   <= 40 (warn <= 45)   ${s % 60}s`;
    measureText(text);
    if (k % 5 === 0) wrapText(`${text} overflow`, 80, 'truncate');
  }
}
console.log(`${mode}: heap kept after one hour of frames: ${(heapMb() - before).toFixed(2)} MB`);
