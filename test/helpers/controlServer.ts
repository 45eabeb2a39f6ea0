/**
 * A real HTTP control endpoint for tests, on 127.0.0.1 with an OS-chosen port:
 * POST /admin/kill-switch sets influence 0, POST /admin/influence sets body.pct, and
 * GET /metrics exposes `policy_influence_pct <n>` for verification.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Reading } from '../../src/core/types.js';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  /** When the request line and headers arrived: ms epoch with sub-ms precision. */
  at: number;
}

export interface ScriptedResponse {
  status: number;
  delayMs?: number;
  body?: unknown;
}

export interface ControlServerOptions {
  /** Starting influence, default 10. */
  influence?: number;
  /** Delay between a 2xx answer and the influence actually changing (slow rollout). */
  applyDelayMs?: number;
  /** false: answer 2xx but never change the influence (a broken control plane). */
  apply?: boolean;
}

export interface ControlServer {
  url: string;
  requests: RecordedRequest[];
  /** Answers for the next /admin requests, in order; after that, 200 {"ok":true}. */
  respondWith(seq: ScriptedResponse[]): void;
  influence: number;
  stop(): Promise<void>;
}

const now = () => performance.timeOrigin + performance.now();

export async function startControlServer(opts: ControlServerOptions = {}): Promise<ControlServer> {
  let queue: ScriptedResponse[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const later = (fn: () => void, ms: number) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const server = http.createServer((req, res) => {
    const at = now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = raw;
      if (raw) {
        try {
          body = JSON.parse(raw);
        } catch {
          /* keep the raw text */
        }
      } else body = undefined;
      const path = (req.url ?? '/').split('?')[0]!;
      state.requests.push({ method: req.method ?? '', path, headers: req.headers, body, at });

      if (req.method === 'GET' && path === '/metrics') {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(`# TYPE policy_influence_pct gauge\npolicy_influence_pct ${state.influence}\n`);
        return;
      }
      if (req.method !== 'POST' || (path !== '/admin/kill-switch' && path !== '/admin/influence')) {
        res.writeHead(404).end('not found');
        return;
      }
      const scripted = queue.shift() ?? { status: 200, body: { ok: true } };
      const answer = () => {
        if (res.destroyed || req.socket.destroyed) return;
        if (scripted.status >= 200 && scripted.status < 300 && opts.apply !== false) {
          const target = path === '/admin/kill-switch' ? 0 : Number((body as { pct?: unknown } | undefined)?.pct);
          const apply = () => {
            if (Number.isFinite(target)) state.influence = target;
          };
          if (opts.applyDelayMs) later(apply, opts.applyDelayMs);
          else apply();
        }
        const text = scripted.body === undefined ? '' : typeof scripted.body === 'string' ? scripted.body : JSON.stringify(scripted.body);
        res.writeHead(scripted.status, { 'content-type': typeof scripted.body === 'string' ? 'text/plain' : 'application/json' });
        res.end(text);
      };
      if (scripted.delayMs) later(answer, scripted.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const state: ControlServer = {
    url: `http://127.0.0.1:${port}`,
    requests: [],
    respondWith(seq) {
      queue = [...seq];
    },
    influence: opts.influence ?? 10,
    async stop() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return state;
}

/**
 * A verify reader for tests: GETs the server's /metrics and reads policy_influence_pct.
 * Deliberately minimal; the real scrape source is tested on its own.
 */
export async function readInfluence(url: string): Promise<Reading> {
  const observedAt = Date.now();
  try {
    const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(2000) });
    const text = await res.text();
    const m = /^policy_influence_pct\s+(\S+)\s*$/m.exec(text);
    if (!res.ok || !m) return { value: null, observedAt, error: `no policy_influence_pct (HTTP ${res.status})` };
    return { value: Number(m[1]), observedAt };
  } catch (e) {
    return { value: null, observedAt, error: (e as Error).message };
  }
}
