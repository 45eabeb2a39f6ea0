/** One run of an argv action: no shell, bounded time, the whole process group killed on timeout. */
import { spawn } from 'node:child_process';
import type { ArgvActionConfig } from '../config/types.js';
import type { AttemptResult, Scrub } from './attempt.js';
import { displayArgv, showDuration } from './scrub.js';

const TAIL_KEEP = 8192;
const TAIL_SHOWN = 300;
/** After SIGTERM, how long a process gets before SIGKILL. */
const KILL_GRACE_MS = 2000;
const EXIT_CLOSE_WAIT_MS = 250;

function tail(buf: string, chunk: Buffer): string {
  const s = buf + chunk.toString('utf8');
  return s.length > TAIL_KEEP ? s.slice(-TAIL_KEEP) : s;
}

function lastChars(text: string, n: number): string {
  const t = text.trim();
  return t.length > n ? '…' + t.slice(-n) : t;
}

/** Signals the child's whole process group (the child alone where there are no groups). */
function killGroup(child: ReturnType<typeof spawn>, sig: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform !== 'win32') process.kill(-child.pid, sig);
    else child.kill(sig);
  } catch {
    try {
      child.kill(sig);
    } catch {
      /* already gone */
    }
  }
}

/**
 * Starts the process synchronously, calls `onSent` once it has spawned, and resolves with
 * the outcome (exit 0 = acknowledged); never rejects. Timeouts run on wall time because the
 * process does.
 */
export function argvAttempt(
  cfg: ArgvActionConfig,
  argv: string[],
  idempotencyKey: string,
  scrub: Scrub,
  signal: AbortSignal,
  onSent: () => void,
): Promise<AttemptResult> {
  const shown = scrub(displayArgv(argv), 200);
  if (argv.length === 0 || !argv[0]) return Promise.resolve({ ok: false, sent: false, error: 'argv is empty: nothing to run' });

  return new Promise<AttemptResult>((resolve) => {
    let sent = false;
    let settled = false;
    let timedOut = false;
    let stdout = '';
    let stderr = '';
    let killTimer: NodeJS.Timeout | undefined;
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(argv[0]!, argv.slice(1), {
        shell: false,
        stdio: ['ignore', 'pipe', 'pipe'],
        // Own process group, so a timeout also stops what `make` and friends started.
        detached: process.platform !== 'win32',
        env: { ...process.env, WARROOM_IDEMPOTENCY_KEY: idempotencyKey },
      });
    } catch (e) {
      resolve({ ok: false, sent, error: `could not start ${shown}: ${scrub((e as Error).message, 200)}` });
      return;
    }

    const kill = (sig: NodeJS.Signals) => {
      if (!settled) killGroup(child, sig);
    };
    const stop = () => {
      kill('SIGTERM');
      killTimer ??= setTimeout(() => kill('SIGKILL'), KILL_GRACE_MS);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, cfg.timeout);
    const onAbort = () => stop();
    signal.addEventListener('abort', onAbort, { once: true });

    const finish = (r: AttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      signal.removeEventListener('abort', onAbort);
      resolve(r);
    };

    child.stdout?.on('data', (d: Buffer) => (stdout = tail(stdout, d)));
    child.stderr?.on('data', (d: Buffer) => (stderr = tail(stderr, d)));
    child.once('spawn', () => {
      sent = true;
      onSent();
    });
    child.once('error', (e: NodeJS.ErrnoException) => {
      // 'error' without 'spawn' means it never started; after spawn, 'close' still follows.
      if (sent) return;
      const why = e.code === 'ENOENT' ? `command not found: ${scrub(argv[0]!, 200)}` : `could not start ${shown}: ${scrub(e.message, 200)}`;
      finish({ ok: false, sent, error: why });
    });
    // A process that exits but leaves a daemon holding its pipes open has still answered:
    // take its exit status shortly after 'exit' if 'close' does not come.
    child.once('exit', (code: number | null, sig: NodeJS.Signals | null) => {
      setTimeout(() => done(code, sig), EXIT_CLOSE_WAIT_MS).unref();
    });
    child.once('close', (code: number | null, sig: NodeJS.Signals | null) => done(code, sig));
    const done = (code: number | null, sig: NodeJS.Signals | null) => {
      if (settled) return;
      const out = scrub(lastChars(stdout, TAIL_SHOWN * 2), TAIL_SHOWN);
      const err = scrub(lastChars(stderr, TAIL_SHOWN * 2), TAIL_SHOWN);
      const said = err || out;
      if (signal.aborted) return finish({ ok: false, sent, cancelled: true, error: 'cancelled' });
      if (timedOut) {
        return finish({ ok: false, sent, error: `timed out after ${showDuration(cfg.timeout)}: ${shown}${said ? `: ${said}` : ''}` });
      }
      if (code === 0) {
        return finish({ ok: true, sent, exitCode: 0, detail: `exit 0 from ${shown}${out ? `: ${out}` : ''}` });
      }
      if (code === null) {
        return finish({ ok: false, sent, error: `${shown} was killed by ${sig ?? 'a signal'}${said ? `: ${said}` : ''}` });
      }
      finish({ ok: false, sent, exitCode: code, error: `exit ${code} from ${shown}${said ? `: ${said}` : ''}` });
    };
  });
}
