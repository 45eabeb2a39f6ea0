/**
 * The console's start, through the compiled binary: Ink's layout engine loads its wasm without
 * Node's fetch (undici, ~25 ms of a start: src/cli/inkImport.ts), and the global fetch is back
 * afterwards. Without a terminal the console refuses after its modules have loaded, which is
 * enough to see what loading them cost; a preload records it as the process exits.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warroom-inkload-'));
  await writeFile(
    join(dir, 'probe.cjs'),
    `let wasm = 0;
for (const k of ['instantiate', 'compile']) { const f = WebAssembly[k]; WebAssembly[k] = function (...a) { wasm++; return f.apply(this, a); }; }
process.on('exit', () => require('node:fs').writeFileSync(process.env.PROBE_OUT, JSON.stringify({ wasm, fetch: typeof fetch, undici: process.moduleLoadList.some((m) => m.includes('undici')) })));
`,
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('loading the console', () => {
  // Each refuses before starting anything (the demo before its simulator and its audit dir).
  const argv: Record<string, string[]> = { console: ['--config', 'none.yaml'], demo: ['demo'], replay: ['replay', 'none.jsonl'] };
  for (const [command, args] of Object.entries(argv)) {
    it(`${command}: yoga's wasm is instantiated, undici is never loaded, fetch is back, nothing left behind`, async () => {
      const out = join(dir, `${command}.json`);
      const tmp = await mkdtemp(join(dir, 'tmp-'));
      const r = await runCli(args, { cwd: dir, env: { NODE_OPTIONS: `--require ${join(dir, 'probe.cjs')}`, PROBE_OUT: out, TMPDIR: tmp } });
      expect(r.stderr).toMatch(command === 'console' ? /invalid configuration/ : command === 'demo' ? /needs an interactive terminal/ : /cannot replay/);
      // (Node 24 keeps its compile cache there too.)
      // The compiled-code cache directory stays by design (src/cli/privateCacheDir.ts); nothing else may.
      expect(readdirSync(tmp).filter((f) => f.startsWith('warroom') && !f.startsWith('warroom-code-cache-'))).toEqual([]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).not.toMatch(/internal failure/);
      const probe = JSON.parse(readFileSync(out, 'utf8')) as { wasm: number; fetch: string; undici: boolean };
      expect(probe).toEqual({ wasm: 1, fetch: 'function', undici: false });
    });
  }
});
