/**
 * A real Alertmanager (Debian `prometheus-alertmanager`) for integration tests: a free loopback
 * port, a temporary config routing everything to a receiver that sends nothing, a temporary
 * data folder, clustering off (`--cluster.listen-address=`, or it would gossip on 9094).
 * Alerts and silences go in through its own v2 API, as Prometheus and people would send them.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon } from './daemon.js';
import { freePort } from './prometheus.js';

export const ALERTMANAGER_BIN = process.env.ALERTMANAGER_BIN ?? '/usr/bin/prometheus-alertmanager';

export interface PostedAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  /** In the past: the alert is resolved. */
  endsAt?: string;
}

export interface PostedSilence {
  matchers: { name: string; value: string; isRegex?: boolean; isEqual?: boolean }[];
  createdBy?: string;
  comment?: string;
  /** ms from now; default 1h */
  forMs?: number;
}

export interface TestAlertmanager {
  /** http://127.0.0.1:PORT (the API is under `routePrefix` when one was given). */
  url: string;
  /** Where the v2 API lives: url + route prefix. */
  apiBase: string;
  postAlerts(alerts: PostedAlert[]): Promise<void>;
  /** Returns the silence id. */
  postSilence(s: PostedSilence): Promise<string>;
  expireSilence(id: string): Promise<void>;
  /** Polls the API until `check` holds for the listed alerts (the dispatcher is asynchronous). */
  waitForAlerts(query: string, check: (alerts: unknown[]) => boolean, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startAlertmanager(opts: { routePrefix?: string } = {}): Promise<TestAlertmanager> {
  const dir = await mkdtemp(join(tmpdir(), 'warroom-am-'));
  await writeFile(join(dir, 'alertmanager.yml'), 'route:\n  receiver: "null"\nreceivers:\n  - name: "null"\n');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const prefix = (opts.routePrefix ?? '').replace(/\/+$/, '');
  const apiBase = url + prefix;
  const args = [
    `--config.file=${join(dir, 'alertmanager.yml')}`,
    `--storage.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=',
    '--log.level=warn',
  ];
  if (prefix) args.push(`--web.route-prefix=${prefix}`);
  const { stop } = await startDaemon({ name: 'alertmanager', bin: ALERTMANAGER_BIN, args, dir, readyUrl: `${apiBase}/-/ready` });

  const send = async (path: string, init: RequestInit): Promise<Response> => {
    const res = await fetch(`${apiBase}/api/v2${path}`, { ...init, headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(3000) });
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: HTTP ${res.status} ${await res.text()}`);
    return res;
  };

  return {
    url,
    apiBase,
    stop,
    async postAlerts(alerts) {
      await send('/alerts', { method: 'POST', body: JSON.stringify(alerts) });
    },
    async postSilence(s) {
      const now = Date.now();
      const body = {
        matchers: s.matchers.map((m) => ({ isRegex: false, isEqual: true, ...m })),
        startsAt: new Date(now - 1000).toISOString(),
        endsAt: new Date(now + (s.forMs ?? 3600_000)).toISOString(),
        createdBy: s.createdBy ?? 'test',
        comment: s.comment ?? 'test silence',
      };
      const res = await send('/silences', { method: 'POST', body: JSON.stringify(body) });
      return ((await res.json()) as { silenceID: string }).silenceID;
    },
    async expireSilence(id) {
      await send(`/silence/${encodeURIComponent(id)}`, { method: 'DELETE' });
    },
    async waitForAlerts(query, check, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      let last: unknown;
      while (Date.now() < until) {
        try {
          const res = await fetch(`${apiBase}/api/v2/alerts?${query}`, { signal: AbortSignal.timeout(1000) });
          last = await res.json();
          if (Array.isArray(last) && check(last)) return;
        } catch (err) {
          last = String(err);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`alertmanager: condition not met for ${query} after ${timeoutMs} ms; last answer: ${JSON.stringify(last)}`);
    },
  };
}
