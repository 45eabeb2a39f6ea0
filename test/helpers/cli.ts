/** Runs the compiled binary (`npm test` builds first) as a user would, capturing output and exit code. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** `WARROOM_TEST_BIN` runs the same tests against another build (e.g. the one before a fix). */
export const BIN = process.env.WARROOM_TEST_BIN ?? fileURLToPath(new URL('../../bin/warroom.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...opts.env };
    const child = spawn(process.execPath, [BIN, ...args], { env, cwd: opts.cwd ?? process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
