/**
 * Drives a real terminal program inside tmux, the way a person at a keyboard would.
 * Each harness gets its own tmux server socket (`-L warroom-e2e-<random>`) so tests never
 * touch each other or the user's tmux; stop() kills that server.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TmuxOptions {
  /** argv of the program; run through `sh -c` so the exit status is printed afterwards. */
  command: string[];
  cols: number;
  rows: number;
  /** Extra environment for the program (on top of a minimal PATH/HOME/TERM/LANG). */
  env?: Record<string, string>;
  cwd?: string;
}

export type ScreenTest = RegExp | ((screen: string) => boolean);

export interface Tmux {
  /** The visible pane as plain text (one string, lines joined by \n, trailing blanks trimmed). */
  capture(): string;
  /** tmux key names (`Escape`, `Enter`, `C-k`, `y`…), sent in order. */
  send(...keys: string[]): void;
  /** Literal text, as typed. */
  type(text: string): void;
  /** Polls the pane every 100 ms until `test` holds; resolves with that screen. */
  waitFor(test: ScreenTest, timeoutMs?: number, what?: string): Promise<string>;
  resize(cols: number, rows: number): void;
  /** Resolves with the program's exit status (read from the marker printed after it). */
  exitCode(timeoutMs?: number): Promise<number>;
  /** True while the program has the terminal on the alternate screen. */
  alternateOn(): boolean;
  stop(): void;
}

export const EXIT_MARKER = '__EXIT=';

/** Servers not stopped yet; killed when the test process exits (e.g. after a test timed out). */
const live = new Set<() => void>();
process.once('exit', () => {
  for (const stop of [...live]) stop();
});

/** POSIX single-quote shell quoting. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The environment the tmux server (and so the pane) starts from: nothing inherited but PATH/HOME. */
function baseEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    LANG: 'C.UTF-8',
    TERM: 'xterm-256color',
  };
}

export function startTmux(opts: TmuxOptions): Tmux {
  const socket = `warroom-e2e-${randomBytes(6).toString('hex')}`;
  const target = 'e2e:0.0';
  const conf = join(tmpdir(), `${socket}.conf`);
  // escape-time: a bare Escape would otherwise be held for 500 ms. No status line, so the
  // pane is exactly cols x rows.
  writeFileSync(conf, ['set -g escape-time 10', 'set -g status off', 'set -g history-limit 2000', ''].join('\n'));
  const env = baseEnv();
  const tmuxArgs = (args: string[]) => ['-L', socket, '-u', ...args];
  const tmux = (...args: string[]): string => execFileSync('tmux', tmuxArgs(args), { env, encoding: 'utf8', timeout: 5_000 });
  const tmuxAsync = (...args: string[]): Promise<string> =>
    new Promise((resolve, reject) =>
      execFile('tmux', tmuxArgs(args), { env, encoding: 'utf8', timeout: 5_000 }, (err, out) => (err ? reject(err) : resolve(out))),
    );

  // The program sees exactly this environment: TERM forced (tmux would set its own), and no
  // inherited WARROOM_* variables because the server was started from baseEnv().
  const assigns = Object.entries({ TERM: 'xterm-256color', LANG: 'C.UTF-8', ...(opts.env ?? {}) }).map(([k, v]) => `${k}=${shQuote(v)}`);
  const program = opts.command.map(shQuote).join(' ');
  // The sleep keeps the pane (and the marker) on screen; a leaked server ends by itself after it.
  const script = `env ${assigns.join(' ')} ${program}; echo "${EXIT_MARKER}$?"; sleep 120`;
  let stopped = false;
  try {
    tmux(
      '-f',
      conf,
      'new-session',
      '-d',
      '-s',
      'e2e',
      '-x',
      String(opts.cols),
      '-y',
      String(opts.rows),
      ...(opts.cwd ? ['-c', opts.cwd] : []),
      `sh -c ${shQuote(script)}`,
    );
  } catch (err) {
    rmSync(conf, { force: true });
    throw err;
  }

  const trimScreen = (out: string) =>
    out
      .split('\n')
      .map((l) => l.replace(/\s+$/, ''))
      .join('\n')
      .replace(/\n+$/, '');

  const capture = () => trimScreen(tmux('capture-pane', '-p', '-t', target));
  const captureAsync = async () => trimScreen(await tmuxAsync('capture-pane', '-p', '-t', target));

  const waitFor = async (test: ScreenTest, timeoutMs = 10_000, what?: string): Promise<string> => {
    const ok = typeof test === 'function' ? test : (s: string) => test.test(s);
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      try {
        last = await captureAsync();
      } catch (err) {
        last = `(capture failed: ${(err as Error).message})`;
      }
      if (ok(last)) return last;
      if (Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const label = what ?? (typeof test === 'function' ? 'condition' : String(test));
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}; last screen:\n${last}`);
  };

  let socketPath = '';
  try {
    socketPath = tmux('display-message', '-p', '#{socket_path}').trim();
  } catch {
    // the server already died; nothing to clean but the config
  }
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
    rmSync(conf, { force: true });
    // kill-server can leave the socket file behind.
    if (socketPath) rmSync(socketPath, { force: true });
    live.delete(stop);
  };
  live.add(stop);

  return {
    capture,
    send: (...keys) => {
      if (keys.length) tmux('send-keys', '-t', target, ...keys);
    },
    type: (text) => {
      tmux('send-keys', '-t', target, '-l', text);
    },
    waitFor,
    resize: (cols, rows) => {
      tmux('resize-window', '-t', 'e2e:0', '-x', String(cols), '-y', String(rows));
    },
    exitCode: async (timeoutMs = 10_000) => {
      const screen = await waitFor((s) => new RegExp(`${EXIT_MARKER}\\d+`).test(s), timeoutMs, 'the program to exit');
      return Number(new RegExp(`${EXIT_MARKER}(\\d+)`).exec(screen)![1]);
    },
    alternateOn: () => tmux('display-message', '-p', '-t', target, '#{alternate_on}').trim() === '1',
    stop,
  };
}
