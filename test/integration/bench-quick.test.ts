/**
 * `node dist/bench/run.js --quick` runs the real console under a pty against its own loopback
 * servers and prints every row with a number. Figures only: no timing is asserted here.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const BENCH = join(ROOT, 'dist', 'bench', 'run.js');

const ROWS: [string, RegExp][] = [
  ['startup', /^\| startup: spawn → first complete frame \| (\d+(?:\.\d+)?) ms \|/m],
  ['polling CPU, steady state', /^\| polling CPU, 60 gates at 1 s, \d+ s from \d+ s after start \| (\d+(?:\.\d+)?) % of a core \|/m],
  ['polling CPU, first seconds', /^\| polling CPU, same, \d+ s from 1\.5 s after start \(V8 still compiling\) \| (\d+(?:\.\d+)?) % of a core \|/m],
  ['kill-switch', /^\| kill-switch: y → request received \| (\d+(?:\.\d+)?) ms \|/m],
  ['kill-switch after burst', /^\| kill-switch right after 5000 msg\/s × \d+ s burst \| (\d+(?:\.\d+)?) ms \|/m],
  ['burst CPU', /^\| CPU during the 5000 msg\/s burst \| (\d+(?:\.\d+)?) % of a core \|/m],
  ['flood: K → confirm', /^\| kill-switch during a 10k-alert flood \(6 KB summaries\): K → confirm on screen \| (\d+(?:\.\d+)?) ms \|/m],
  ['flood: y → request', /^\| kill-switch during a 10k-alert flood \(6 KB summaries\): y → request received \| (\d+(?:\.\d+)?) ms \|/m],
  ['RSS before', /^\| RSS before the burst \| (\d+(?:\.\d+)?) MB \|/m],
  ['RSS after', /^\| RSS after the burst \| (\d+(?:\.\d+)?) MB \|/m],
  ['keys in one chunk', /^\| keys arriving in one chunk: "KK" \/ "jjjK" in one write → kill confirm on screen \| (\d+(?:\.\d+)?) ms \|/m],
  ['keys in one chunk, never shown', /^\| keys arriving in one chunk: confirm never shown \(1 s wait\), idle \+ burst \| (\d+) of \d+ \|/m],
  ['gate engine', /^\| gate engine: evaluateAll, 1,000 gates \| (\d+(?:\.\d+)?) ms \|/m],
];

describe('bench --quick', () => {
  beforeAll(async () => {
    // `npm test` builds first; build here only when run on its own against a clean tree.
    if (!existsSync(BENCH)) await run('npm', ['run', '--silent', 'build'], { cwd: ROOT, timeout: 120_000 });
  }, 130_000);

  it('prints every metric row with a numeric median, and writes the same table to bench/results-quick.md', async () => {
    const { stdout } = await run(process.execPath, [BENCH, '--quick'], { cwd: ROOT, timeout: 90_000, maxBuffer: 4 * 1024 * 1024 });
    expect(stdout).toMatch(/^\| metric \| median \| min–max \| budget \| runs \|$/m);
    for (const [name, re] of ROWS) {
      const m = re.exec(stdout);
      expect(m, `row "${name}" missing or not numeric in:\n${stdout}`).not.toBeNull();
      expect(Number.isFinite(Number(m![1])), name).toBe(true);
    }
    // Not a timing: a read of several keys that opens nothing is a lost kill key (issue 11).
    expect(Number(ROWS.find(([n]) => n === 'keys in one chunk, never shown')![1].exec(stdout)![1])).toBe(0);
    // No run failed (a failure is reported as an error comment and leaves rows empty).
    expect(stdout).not.toMatch(/<!-- error:/);
    const saved = readFileSync(join(ROOT, 'bench', 'results-quick.md'), 'utf8');
    expect(saved.trim()).toBe(stdout.trim());
  }, 100_000);
});
