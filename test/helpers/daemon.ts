/**
 * A real server binary (Prometheus, Alertmanager) for integration tests: spawned with its
 * stderr tail kept for messages, killed if the test process exits first, ready when `readyUrl`
 * answers 2xx (bounded), stopped with SIGTERM then SIGKILL, its temp dir removed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';

export interface Daemon {
  stop(): Promise<void>;
}

export async function startDaemon(opts: { name: string; bin: string; args: string[]; dir: string; readyUrl: string; readyMs?: number }): Promise<Daemon> {
  const child: ChildProcess = spawn(opts.bin, opts.args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString('utf8')).slice(-4000);
  });
  let exited = false;
  let spawnError: Error | undefined;
  child.on('error', (err) => {
    spawnError = err;
    exited = true;
  });
  child.on('exit', () => {
    exited = true;
  });
  const onExit = () => {
    if (!exited) child.kill('SIGKILL');
  };
  process.on('exit', onExit);

  const stop = async () => {
    process.off('exit', onExit);
    if (!exited) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(t);
    }
    await rm(opts.dir, { recursive: true, force: true });
  };

  const readyMs = opts.readyMs ?? 15_000;
  const deadline = Date.now() + readyMs;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`${opts.name} exited during start: ${spawnError?.message ?? stderr.trim()}`);
    }
    try {
      const res = await fetch(opts.readyUrl, { signal: AbortSignal.timeout(1000) });
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${opts.name} not ready after ${readyMs / 1000}s: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { stop };
}
