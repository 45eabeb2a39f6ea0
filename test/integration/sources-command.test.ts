import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandSource } from '../../src/config/types.js';
import { systemClock } from '../../src/core/clock.js';
import { createCommandSource, firstNumber, toReading } from '../../src/sources/command.js';

const NODE = process.execPath;
const cfg = (argv: string[], extra: Partial<CommandSource> = {}): CommandSource => ({
  id: 'preflight', type: 'command', argv, interval: 300_000, timeout: 10_000, staleAfter: 900_000, ...extra,
});
const ctx = (signal = new AbortController().signal) => ({ clock: systemClock, signal });
const read = (c: CommandSource, probes = [{ id: 'gate:preflight' }], signal?: AbortSignal) => createCommandSource(c).read(probes, ctx(signal));
/** Running (a zombie waiting for its reaper counts as gone). */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
};

describe('command source with real processes', () => {
  it('exit 0: first number on stdout, exit code and stdout as detail; every probe gets it', async () => {
    const r = await read(cfg([NODE, '-e', 'console.log("preflight ok: 42 checks, 0 diffs")']), [{ id: 'a' }, { id: 'b' }]);
    expect(r.ok).toBe(true);
    expect(r.readings.a).toMatchObject({ value: 42, exitCode: 0, detail: 'preflight ok: 42 checks, 0 diffs\n' });
    expect(r.readings.a!.error).toBeUndefined();
    expect(r.readings.b).toEqual(r.readings.a);
  });

  it('non-zero exit: the source is ok, the reading has the exit code and the last stderr line', async () => {
    const r = await read(cfg([NODE, '-e', 'console.log("3 diffs"); console.error("checking\\nfatal: diff in prod.tf\\n"); process.exit(2)']));
    expect(r.ok).toBe(true);
    expect(r.readings['gate:preflight']).toMatchObject({ value: 3, exitCode: 2, error: 'exit 2: fatal: diff in prod.tf' });
  });

  it('after 300 KiB of stderr the error still names the last line', async () => {
    const r = await read(cfg([NODE, '-e', 'for (let i = 0; i < 5000; i++) console.error("noise " + "y".repeat(60)); console.error("fatal: last words"); process.exitCode = 3']));
    expect(r.readings['gate:preflight']).toMatchObject({ value: null, exitCode: 3, error: 'exit 3: fatal: last words' });
  });

  it('passes argv literally, never through a shell', async () => {
    const args = ['a b', 'x; echo pwned', '$(whoami)', '`id`', '*', '"quoted"', '>out.txt'];
    const r = await read(cfg([NODE, '-e', 'console.log(JSON.stringify(process.argv.slice(1)))', ...args]));
    expect(r.ok).toBe(true);
    expect(JSON.parse(r.readings['gate:preflight']!.detail!)).toEqual(args);
  });

  it('strips control sequences from detail; value null when stdout has no number', async () => {
    const r = await read(cfg([NODE, '-e', 'process.stdout.write("\\u001b[31mred\\u001b[0m \\u001b]0;title\\u0007done\\n")']));
    expect(r.readings['gate:preflight']).toMatchObject({ value: null, exitCode: 0, detail: 'red done\n' });
  });

  it('keeps only the last 2 KiB of a long stdout as detail', async () => {
    const r = await read(cfg([NODE, '-e', 'console.log("count 7"); for (let i = 0; i < 5000; i++) console.log("line " + "x".repeat(60)); console.log("END")']));
    const rd = r.readings['gate:preflight']!;
    expect(rd.value).toBe(7);
    expect(Buffer.byteLength(rd.detail!)).toBeLessThanOrEqual(2048);
    expect(rd.detail!.endsWith('END\n')).toBe(true);
    expect(rd.detail!.startsWith('line ')).toBe(true); // cut at a line start
  });

  it('runs in cwd; a missing cwd is named as such', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warroom-cmd-'));
    try {
      const r = await read(cfg([NODE, '-e', 'console.log(process.cwd())'], { cwd: dir }));
      expect(realpathSync(r.readings['gate:preflight']!.detail!.trim())).toBe(realpathSync(dir));
      const missing = await read(cfg([NODE, '-e', '1'], { cwd: join(dir, 'nope') }));
      expect(missing.ok).toBe(false);
      expect(missing.error).toBe(`working directory not found: ${join(dir, 'nope')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('command not found: source not ok, reading says so', async () => {
    const r = await read(cfg(['warroom-no-such-command-xyz', 'preflight']));
    expect(r.ok).toBe(false);
    expect(r.error).toBe('command not found: warroom-no-such-command-xyz');
    expect(r.readings['gate:preflight']).toMatchObject({ value: null, error: 'command not found: warroom-no-such-command-xyz' });
    expect(r.readings['gate:preflight']!.exitCode).toBeUndefined();
  });

  it('timeout: SIGTERM ends it, the source is not ok', async () => {
    const t0 = Date.now();
    const r = await read(cfg([NODE, '-e', 'console.log("started 1"); setTimeout(() => {}, 60000)'], { timeout: 300 }));
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.ok).toBe(false);
    expect(r.error).toBe('timed out after 300ms');
    expect(r.readings['gate:preflight']).toMatchObject({ value: 1, error: 'timed out after 300ms', detail: 'started 1\n' });
  });

  it('timeout: a process ignoring SIGTERM gets SIGKILL after 2 s, and so do its children', async () => {
    const code = `
      const { spawn } = require('node:child_process');
      const kid = spawn(process.execPath, ['-e', 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      process.on('SIGTERM', () => {});
      console.log(process.pid + ' ' + kid.pid);
      setInterval(() => {}, 1000);`;
    const t0 = Date.now();
    const r = await read(cfg([NODE, '-e', code], { timeout: 500 }));
    const took = Date.now() - t0;
    expect(r.ok).toBe(false);
    expect(r.error).toBe('timed out after 500ms');
    expect(took).toBeGreaterThanOrEqual(2400);
    expect(took).toBeLessThan(6000);
    const [pid, kid] = r.readings['gate:preflight']!.detail!.trim().split(' ').map(Number);
    await new Promise((res) => setTimeout(res, 200));
    expect(alive(process.pid)).toBe(true); // the probe itself works
    expect(alive(pid!)).toBe(false);
    expect(alive(kid!)).toBe(false);
  }, 10_000);

  it('abort (shutdown) stops the process', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('shutting down')), 200);
    const t0 = Date.now();
    const r = await read(cfg([NODE, '-e', 'setTimeout(() => {}, 60000)']), undefined, ac.signal);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.ok).toBe(false);
    expect(r.error).toBe('stopped: shutting down');
  });
});

describe('command pure helpers', () => {
  it('firstNumber finds the first standalone number', () => {
    expect(firstNumber('x86_64 build v2 took 12.5s')).toBe(12.5);
    expect(firstNumber('delta=-3e2 ok')).toBe(-300);
    expect(firstNumber('nothing here')).toBeNull();
    expect(firstNumber('ratio .25')).toBe(0.25);
  });
  it('a process killed by a signal is an error', () => {
    const r = toReading({ exitCode: null, signal: 'SIGSEGV', stdoutHead: '', stdoutTail: '', stderrTail: '', timedOut: false }, 1);
    expect(r).toEqual({ value: null, observedAt: 1, error: 'killed by SIGSEGV' });
  });
});
