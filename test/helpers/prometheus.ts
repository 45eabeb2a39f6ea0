/**
 * A real Prometheus (the Debian binary) for integration tests, on a free loopback port with a
 * temporary config and TSDB. The first scrape lands ~6 s after start (targets are applied on a
 * 5 s ticker, see STACK-NOTES), so tests wait for data with `waitForSeries`, not for /-/ready.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon } from './daemon.js';

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
  /** A TSDB directory to start from (e.g. blocks backfilled with promtool); default a fresh one. */
  dataDir?: string;
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
  const { stop } = await startDaemon({
    name: 'prometheus',
    bin: PROMETHEUS_BIN,
    args: [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${opts.dataDir ?? join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    dir,
    readyUrl: `${url}/-/ready`,
  });

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
