/**
 * A real Prometheus (the Debian binary) for the bench: a temp config scraping one target every
 * second, a temp TSDB, a free loopback port; stopped with SIGTERM and its dir removed.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BenchPrometheus {
  url: string;
  /** Polls an instant query until it returns a scalar or at least one series. */
  waitFor(query: string, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

export async function startPrometheus(target: string, bin = process.env.PROMETHEUS_BIN ?? 'prometheus'): Promise<BenchPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'warroom-bench-prom-'));
  await writeFile(
    join(dir, 'prometheus.yml'),
    ['global:', '  scrape_interval: 1s', '  scrape_timeout: 1s', 'scrape_configs:', '  - job_name: sim', '    static_configs:', `      - targets: [${JSON.stringify(target)}]`, ''].join('\n'),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(bin, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => void (stderr = (stderr + c.toString()).slice(-2000)));
  let exited = false;
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', (e) => reject(new Error(`cannot start ${bin}: ${e.message}`)));
  });
  child.once('exit', () => void (exited = true));
  const stop = async () => {
    if (!exited) {
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(t);
    }
    await rm(dir, { recursive: true, force: true });
  };
  const waitFor = async (query: string, timeoutMs: number) => {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (exited) throw new Error(`prometheus exited: ${stderr.trim()}`);
      try {
        const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`, { signal: AbortSignal.timeout(2000) });
        const data = ((await res.json()) as { data?: { resultType?: string; result?: unknown[] } }).data;
        if (data?.resultType === 'scalar' || (Array.isArray(data?.result) && data.result.length > 0)) return;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`prometheus: no data for ${query} after ${timeoutMs} ms ${stderr.trim()}`);
  };
  try {
    await spawned;
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return { url, waitFor, stop };
}
