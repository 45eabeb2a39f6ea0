/**
 * A real Prometheus (the Debian binary) for integration tests, on a free loopback port with a
 * temporary config and TSDB. The first scrape lands ~6 s after start (targets are applied on a
 * 5 s ticker, see STACK-NOTES), so tests wait for data with `waitForSeries`, not for /-/ready.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';

export interface TestPrometheus {
  /** http://127.0.0.1:PORT */
  url: string;
  stop(): Promise<void>;
  /** Polls an instant query until it returns a scalar or at least one series. */
  waitForSeries(query: string, timeoutMs?: number): Promise<void>;
  /** One instant query, raw API JSON. */
  query(query: string): Promise<unknown>;
}

export interface StartPrometheusOptions {
  /** host:port of targets to scrape at /metrics. */
  targets: string[];
  scrapeInterval?: string;
  /** Text of a rules file (YAML `groups:`), loaded with evaluation_interval 1s. */
  rules?: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startPrometheus(opts: StartPrometheusOptions): Promise<TestPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'warroom-prom-'));
  const interval = opts.scrapeInterval ?? '1s';
  const lines = [
    'global:',
    `  scrape_interval: ${interval}`,
    `  scrape_timeout: ${interval}`,
    '  evaluation_interval: 1s',
  ];
  if (opts.rules !== undefined) {
    await writeFile(join(dir, 'rules.yml'), opts.rules);
    lines.push('rule_files:', `  - ${JSON.stringify(join(dir, 'rules.yml'))}`);
  }
  lines.push(
    'scrape_configs:',
    '  - job_name: test',
    '    static_configs:',
    `      - targets: ${JSON.stringify(opts.targets)}`,
  );
  await writeFile(join(dir, 'prometheus.yml'), lines.join('\n') + '\n');

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString('utf8')).slice(-4000);
  });
  let exited = false;
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
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 15_000;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`prometheus exited during start: ${stderr.trim()}`);
    }
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus not ready after 15s: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const query = async (q: string): Promise<unknown> => {
    const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(q)}`, { signal: AbortSignal.timeout(2000) });
    return res.json();
  };

  const waitForSeries = async (q: string, timeoutMs = 20_000): Promise<void> => {
    const until = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < until) {
      try {
        last = await query(q);
        const data = (last as { data?: { resultType?: string; result?: unknown[] } }).data;
        if (data?.resultType === 'scalar') return;
        if (Array.isArray(data?.result) && data.result.length > 0) return;
      } catch (err) {
        last = err;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`no series for ${q} after ${timeoutMs} ms; last answer: ${JSON.stringify(last)}`);
  };

  return { url, stop, waitForSeries, query };
}
