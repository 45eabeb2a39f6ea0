/**
 * `command` source: runs argv without a shell (so `;`, `$(…)` and spaces in arguments are
 * literal), bounded by the source timeout. The process runs in its own process group, and the
 * whole group is killed when the run ends (exit, timeout, stop), so whatever it started in the
 * background (`sleep 600 &`) never outlives the poll. A descendant that left the group
 * (setsid) is found by the run's environment marker, killed, and reported on the gate.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import type { CommandSource } from '../config/types.js';
import type { TimerHandle } from '../core/clock.js';
import type { Reading } from '../core/types.js';
import { oneLine, stripControl } from '../util/sanitize.js';
import { escapeeText, findEscapees, RUN_ID_ENV, type Escapee } from './escapees.js';
import { formatSeconds } from './http.js';
import type { Probe, ReadContext, SourceAdapter, SourceResult } from './types.js';

export const CAPTURE_BYTES = 64 * 1024;
export const DETAIL_BYTES = 2 * 1024;
export const KILL_GRACE_MS = 2000;

export interface CommandRun {
  /** Null when the process did not start or was ended by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** First 64 KiB and last 64 KiB of each stream (the same text when shorter). */
  stdoutHead: string;
  stdoutTail: string;
  stderrTail: string;
  /** Set when the process could not be started or did not finish in time. */
  failure?: string;
  timedOut: boolean;
  /** Descendants found outside the process group after the run, and killed. */
  escaped?: Escapee[];
}

/** How long close() waits for runs it killed to be reaped and checked for escapees. */
const CLOSE_WAIT_MS = 3000;

export function createCommandSource(cfg: CommandSource): SourceAdapter {
  const running = new Set<{ stop: AbortController; done: Promise<CommandRun> }>();
  return {
    id: cfg.id,
    type: 'command',
    async read(probes: Probe[], ctx: ReadContext): Promise<SourceResult> {
      // close() must reach a run even after the poller stopped waiting for it.
      const stop = new AbortController();
      const done = runCommand(cfg.argv, { cwd: cfg.cwd, timeoutMs: cfg.timeout, clock: ctx.clock, signal: ctx.signal, kill: stop.signal });
      const entry = { stop, done };
      running.add(entry);
      let run: CommandRun;
      try {
        run = await done;
      } finally {
        running.delete(entry);
      }
      const reading = toReading(run, ctx.clock.now());
      const readings: Record<string, Reading> = {};
      for (const p of probes) readings[p.id] = { ...reading };
      if (run.failure) return { ok: false, error: run.failure, readings };
      return { ok: true, readings };
    },
    async close() {
      const runs = [...running];
      for (const r of runs) r.stop.abort(new Error('shutting down'));
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)));
      await Promise.race([Promise.allSettled(runs.map((r) => r.done)), bound]);
      clearTimeout(timer);
    },
  };
}

/** Pure: what a finished run means for the gate. */
export function toReading(run: CommandRun, readAt: number): Reading {
  const out = stripControl(run.stdoutTail);
  const detail = tailBytes(out, DETAIL_BYTES);
  const r: Reading = { value: firstNumber(stripControl(run.stdoutHead)), observedAt: readAt };
  if (detail.trim() !== '') r.detail = detail;
  if (run.exitCode !== null) r.exitCode = run.exitCode;
  if (run.escaped?.length) r.warnings = run.escaped.map(escapeeText);
  if (run.failure) r.error = run.failure;
  else if (run.signal) r.error = `killed by ${run.signal}`;
  else if (run.exitCode !== 0) {
    const last = lastLine(run.stderrTail);
    r.error = `exit ${run.exitCode}${last ? `: ${last}` : ''}`;
  }
  return r;
}

/** The first number standing on its own in `text` (not the 64 of `x86_64` or the 2 of `v2`). */
export function firstNumber(text: string): number | null {
  const m = /(?<![A-Za-z0-9_.])[-+]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?/.exec(text);
  if (!m) return null;
  const n = Number(m[0]);
  return Number.isFinite(n) ? n : null;
}

function lastLine(text: string): string {
  const lines = stripControl(text).split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  return oneLine(lines[lines.length - 1] ?? '', 300);
}

function tailBytes(text: string, max: number): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= max) return text;
  // Cut at a UTF-8 character boundary, then at the next line start when there is one.
  let start = buf.length - max;
  while (start < buf.length && (buf[start]! & 0xc0) === 0x80) start++;
  const s = buf.subarray(start).toString('utf8');
  const nl = s.indexOf('\n');
  return nl >= 0 && nl < s.length - 1 ? s.slice(nl + 1) : s;
}

/** Keeps the first and the last `max` bytes of a stream without holding all of it. */
class Capture {
  private head: Buffer[] = [];
  private headLen = 0;
  // Chunks covering at least the last `max` bytes; older ones are dropped as new ones arrive.
  private tail: Buffer[] = [];
  private tailLen = 0;
  constructor(private readonly max: number) {}
  push(chunk: Buffer): void {
    if (this.headLen < this.max) {
      const part = chunk.subarray(0, this.max - this.headLen);
      this.head.push(part);
      this.headLen += part.length;
    }
    this.tail.push(chunk);
    this.tailLen += chunk.length;
    while (this.tail.length > 1 && this.tailLen - this.tail[0]!.length >= this.max) {
      this.tailLen -= this.tail.shift()!.length;
    }
  }
  headText(): string {
    return Buffer.concat(this.head).toString('utf8');
  }
  tailText(): string {
    const all = Buffer.concat(this.tail);
    let start = Math.max(0, all.length - this.max);
    while (start < all.length && (all[start]! & 0xc0) === 0x80) start++; // whole characters only
    return all.subarray(start).toString('utf8');
  }
}

export interface RunOptions {
  cwd?: string;
  timeoutMs: number;
  clock: { setTimeout(fn: () => void, ms: number): TimerHandle; clearTimeout(h: TimerHandle | undefined): void };
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** Shutdown: SIGKILL the group at once (`signal` gives SIGTERM and a grace period). */
  kill?: AbortSignal;
}

/** Process groups of runs not yet ended: killed if warroom itself exits first. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;
function trackGroup(pgid: number): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const g of liveGroups) killPgid(g, 'SIGKILL');
    });
  }
  liveGroups.add(pgid);
}

function killPgid(pgid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, sig);
    return true;
  } catch {
    return false; // ESRCH: the group is empty
  }
}

/** Why the run cannot start at all, or undefined when it can. */
function refuseBeforeStart(cmd: string | undefined, opts: RunOptions): string | undefined {
  if (!cmd) return 'empty command (argv is empty)';
  if (opts.cwd !== undefined) {
    // spawn reports a missing cwd as ENOENT of the command, which would mislead.
    let isDir = false;
    try {
      isDir = statSync(opts.cwd).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) return `working directory not found: ${oneLine(opts.cwd, 200)}`;
  }
  if (opts.signal?.aborted) return 'aborted before start';
  return undefined;
}

function spawnRun(cmd: string, argv: readonly string[], opts: RunOptions, runId: string) {
  return spawn(cmd, argv.slice(1), {
    cwd: opts.cwd,
    shell: false,
    // Its own session and process group (pgid = pid), so the group can be killed as one.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...(opts.env ?? process.env), [RUN_ID_ENV]: runId },
    windowsHide: true,
  });
}

/** Signals the run's group; the leader alone when the group is gone but the leader has not exited. */
function killRun(child: ReturnType<typeof spawnRun>, pgid: number | undefined, exited: boolean, sig: NodeJS.Signals): void {
  if (pgid === undefined) return;
  if (!killPgid(pgid, sig) && !exited) {
    try {
      child.kill(sig);
    } catch {
      /* already gone */
    }
  }
}

export function runCommand(argv: readonly string[], opts: RunOptions): Promise<CommandRun> {
  const cmd = argv[0];
  const base: CommandRun = { exitCode: null, signal: null, stdoutHead: '', stdoutTail: '', stderrTail: '', timedOut: false };
  const refused = refuseBeforeStart(cmd, opts);
  if (refused !== undefined || !cmd) return Promise.resolve({ ...base, failure: refused });

  return new Promise<CommandRun>((resolve) => {
    const out = new Capture(CAPTURE_BYTES);
    const err = new Capture(CAPTURE_BYTES);
    let failure: string | undefined;
    let timedOut = false;
    let settled = false;
    let killTimer: TimerHandle | undefined;
    let closeTimer: TimerHandle | undefined;
    let exited = false;

    const runId = randomUUID();
    const child = spawnRun(cmd, argv, opts, runId);
    const pgid = child.pid;
    if (pgid !== undefined) trackGroup(pgid);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));

    const killGroup = (sig: NodeJS.Signals) => killRun(child, pgid, exited, sig);
    const stop = (why: string, isTimeout: boolean, atOnce = false) => {
      if (failure || settled) return;
      failure = why;
      timedOut = isTimeout;
      if (atOnce) {
        killGroup('SIGKILL');
        return;
      }
      killGroup('SIGTERM');
      killTimer = opts.clock.setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
    };
    const timer = opts.clock.setTimeout(() => stop(`timed out after ${formatSeconds(opts.timeoutMs)}`, true), opts.timeoutMs);
    const onAbort = () => {
      const r: unknown = opts.signal?.reason;
      stop(`stopped: ${oneLine(r instanceof Error ? r.message : String(r ?? 'aborted'), 100)}`, false);
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const onKill = () => {
      stop('stopped: shutting down', false, true);
      killGroup('SIGKILL'); // also when a graceful stop is already under way
    };
    if (opts.kill?.aborted) onKill();
    else opts.kill?.addEventListener('abort', onKill, { once: true });

    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      opts.clock.clearTimeout(timer);
      opts.clock.clearTimeout(closeTimer);
      opts.clock.clearTimeout(killTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      opts.kill?.removeEventListener('abort', onKill);
      const result: CommandRun = {
        exitCode: code,
        signal: failure ? null : signal,
        stdoutHead: out.headText(),
        stdoutTail: out.tailText(),
        stderrTail: err.tailText(),
        failure,
        timedOut,
      };
      if (pgid === undefined) return resolve(result);
      // The run is over: whatever is left of its group are orphans.
      killGroup('SIGKILL');
      liveGroups.delete(pgid);
      void reapEscapees(runId, pgid).then((escaped) => {
        if (escaped.length) result.escaped = escaped;
        resolve(result);
      });
    };

    child.on('error', (e: NodeJS.ErrnoException) => {
      if (exited) return;
      if (e.code === 'ENOENT') failure ??= `command not found: ${oneLine(cmd, 200)}`;
      else if (e.code === 'EACCES') failure ??= `permission denied: ${oneLine(cmd, 200)}`;
      else failure ??= `could not start ${oneLine(cmd, 200)}: ${oneLine(e.message, 200)}`;
      finish(null, null);
    });
    child.on('exit', (code, signal) => {
      exited = true;
      // Background children still holding the pipes would otherwise keep the run open until
      // the close timer, and live on after it; the leader's exit ends the run.
      killGroup('SIGKILL');
      // Output may still be in the pipes; 'close' follows unless a grandchild keeps them open.
      closeTimer = opts.clock.setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish(code, signal);
      }, 1000);
    });
    child.on('close', (code, signal) => finish(code, signal));
  });
}

/** Kills the run's processes that left its group; never throws. */
async function reapEscapees(runId: string, pgid: number): Promise<Escapee[]> {
  let found: Escapee[];
  try {
    found = await findEscapees(runId, pgid);
  } catch {
    return [];
  }
  for (const e of found) {
    try {
      process.kill(e.pid, 'SIGKILL');
    } catch {
      /* gone meanwhile */
    }
  }
  return found;
}
