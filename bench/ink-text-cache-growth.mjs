/**
 * `node --expose-gc bench/ink-text-cache-growth.mjs [ink|bounded]` (after `npm run build`):
 * heap kept by Ink's text measurement caches over one hour of the bench screen (45 text nodes
 * changing every second), with Ink's own unbounded caches (ink#986) or the bounded cache the
 * bundle patches in (src/render/boundedCache.ts). Not part of `npm run bench`: it needs
 * --expose-gc to measure what is retained rather than what is merely allocated.
 */
import measureText from '../node_modules/ink/build/measure-text.js';
import wrapText from '../node_modules/ink/build/wrap-text.js';
import { BoundedCache, INK_TEXT_CACHE_LIMIT } from '../dist/src/render/boundedCache.js';

if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc');
const mode = process.argv[2] === 'bounded' ? 'bounded' : 'ink';
const measured = new BoundedCache(INK_TEXT_CACHE_LIMIT);
const wrapped = new BoundedCache(INK_TEXT_CACHE_LIMIT);
const heapMb = () => {
  global.gc();
  global.gc();
  return process.memoryUsage().heapUsed / 1e6;
};

const before = heapMb();
for (let s = 0; s < 3600; s++) {
  for (let k = 0; k < 45; k++) {
    const text = `  ● GO     Gate ${k} title of a gate with some words       ${(s * 0.37 + k).toFixed(4)}   <= 40 (warn <= 45)   ${s % 60}s`;
    if (mode === 'ink') {
      measureText(text);
      if (k % 5 === 0) wrapText(`${text} overflow`, 80, 'truncate');
    } else {
      if (!measured.get(text)) measured.set(text, { width: text.length, height: 1 });
      if (k % 5 === 0 && !wrapped.get(`${text} overflow`)) wrapped.set(`${text} overflow`, text.slice(0, 80));
    }
  }
}
const entries = mode === 'ink' ? "" : ` (${measured.size + wrapped.size} entries held)`;
console.log(`${mode}: heap kept after one hour of frames: ${(heapMb() - before).toFixed(2)} MB${entries}`);
