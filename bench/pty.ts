/**
 * The real console binary under a pseudo-terminal, via util-linux `script` (no native addon):
 * `script -qfec "<cmd>" /dev/null` gives the child a pty; what we write to script's stdin is
 * typed into it and the pty's output comes back on script's stdout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78DEHMNOcn]/g;

const SYNC_START = '\x1b[?2026h';

export const stripAnsi = (s: string): string => s.replace(ANSI, '');

const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime+stime of a process, in seconds. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After "pid (comm) ", field 3 (state) is f[0]; utime (14) and stime (15) are f[11], f[12].
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
}

/** VmRSS in MB. */
export function rssMb(pid: number): number {
  return statusMb(pid, 'VmRSS');
}

/**
 * RssAnon in MB: the part of the RSS that is the process's own (heap, wasm memory, stacks). The
 * rest is file pages, mostly the node binary's own code, shared by every node process and
 * reclaimable: ~35 MB for `node -e 0`, 48 MB for the console on Node 20, 57–59 MB on Node 22 and 24.
 */
export function anonRssMb(pid: number): number {
  return statusMb(pid, 'RssAnon');
}

function statusMb(pid: number, field: 'VmRSS' | 'RssAnon'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Env for the child: no CI markers (ink's is-in-ci would only draw the last frame). */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_') || k === 'BUILD_NUMBER' || k === 'RUN_ID') continue;
    if (k === 'NODE_ENV' || k === 'NODE_OPTIONS' || k.startsWith('VITEST')) continue;
    env[k] = v;
  }
  env.TERM = 'xterm-256color';
  return env;
}

export interface PtyConsole {
  child: ChildProcess;
  /** performance.now() at spawn. */
  spawnedAt: number;
  /** Everything the console drew, ANSI stripped. */
  text(): string;
  /** Frames drawn so far (ink's synchronized-output start markers). */
  frames(): number;
  /** Length of text() now: a mark for "seen after this point". */
  mark(): number;
  waitFor(needle: string, since: number, timeoutMs: number): Promise<number>;
  write(s: string): void;
  /** pid of the node process (script's child, after the shell's exec). */
  nodePid(timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

export function spawnConsole(opts: { cwd: string; bin: string; args: string[]; rows?: number; cols?: number }): PtyConsole {
  // WARROOM_BENCH_NODE_ARGS (e.g. "--cpu-prof") is for profiling the console under the same load.
  const nodeArgs = (process.env.WARROOM_BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const cmd = `stty rows ${opts.rows ?? 40} cols ${opts.cols ?? 120} && exec ${['node', ...nodeArgs, opts.bin, ...opts.args].map(shq).join(' ')}`;
  const spawnedAt = performance.now();
  const child = spawn('script', ['-qfec', cmd, '/dev/null'], { cwd: opts.cwd, env: childEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  let raw = '';
  let text = '';
  let exited = false;
  let frames = 0;
  const waiters = new Set<() => void>();
  const onData = (b: Buffer) => {
    const chunk = b.toString('utf8');
    frames += chunk.split(SYNC_START).length - 1;
    raw += chunk;
    // Strip on whole escape sequences only: keep a trailing partial one for the next chunk.
    const cut = raw.lastIndexOf('\x1b');
    const safe = cut >= 0 && raw.length - cut < 32 ? cut : raw.length;
    text += stripAnsi(raw.slice(0, safe));
    raw = raw.slice(safe);
    for (const w of [...waiters]) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  child.on('exit', () => {
    exited = true;
    for (const w of [...waiters]) w();
  });
  child.stdin!.on('error', () => {});

  const waitFor = (needle: string, since: number, timeoutMs: number) =>
    new Promise<number>((resolve, reject) => {
      const check = () => {
        const i = text.indexOf(needle, since);
        if (i >= 0) {
          done();
          resolve(performance.now());
        } else if (exited) {
          done();
          reject(new Error(`console exited before showing "${needle}"; last output:\n${text.slice(-800)}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for "${needle}"; last output:\n${text.slice(-800)}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  let pid: number | undefined;
  const nodePid = async (timeoutMs = 5000): Promise<number> => {
    if (pid) return pid;
    const end = performance.now() + timeoutMs;
    while (performance.now() < end) {
      try {
        const kids = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
        for (const k of kids) {
          // Node 24 names its main thread (and so the process's comm) MainThread.
          if (['node', 'MainThread'].includes(readFileSync(`/proc/${k}/comm`, 'utf8').trim())) return (pid = Number(k));
        }
      } catch {
        /* not there yet */
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error('could not find the console node process under script');
  };

  const stop = async () => {
    if (exited) return;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      if (pid) process.kill(pid, 'SIGTERM');
      else child.kill('SIGTERM');
    } catch {
      /* already gone */
    }
    const t = setTimeout(() => {
      try {
        if (pid) process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
      child.kill('SIGKILL');
    }, 3000);
    await gone;
    clearTimeout(t);
  };

  return {
    child,
    spawnedAt,
    text: () => text,
    frames: () => frames,
    mark: () => text.length,
    waitFor,
    write: (s) => void child.stdin!.write(s),
    nodePid,
    stop,
  };
}
