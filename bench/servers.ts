/**
 * Loopback servers the benchmark drives the console against: an exporter with N gates'
 * metrics, a status feed that can burst, and a control API that stamps each request's
 * arrival with performance.now() (same process as the pty writer, so times compare).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, WebSocket } from 'ws';

const listen = (server: http.Server): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });

const close = (server: http.Server): Promise<void> =>
  new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

export interface Exporter {
  url: string;
  scrapes: number;
  stop(): Promise<void>;
}

/** `/metrics` with one gauge per gate (values jitter so the screen has something to redraw). */
export async function startExporter(gates: number): Promise<Exporter> {
  let n = 0;
  const state = { url: '', scrapes: 0, stop: async () => {} };
  const server = http.createServer((req, res) => {
    state.scrapes++;
    n++;
    const lines = ['# TYPE bench_gate_value gauge'];
    for (let i = 0; i < gates; i++) lines.push(`bench_gate_value{gate="g${i}"} ${(i + n) % 50}`);
    lines.push('# TYPE policy_influence_pct gauge', 'policy_influence_pct 10', '');
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(lines.join('\n'));
  });
  const port = await listen(server);
  state.url = `http://127.0.0.1:${port}/metrics`;
  state.stop = () => close(server);
  return state;
}

export interface FeedServer {
  url: string;
  clients(): number;
  /** Sends `rate` messages/s for `ms`, in 10 ms slices; resolves when the last one is written. */
  burst(rate: number, ms: number): Promise<number>;
  /**
   * Sends `count` distinct firing page alerts with `summaryBytes`-long summaries as fast as the
   * socket takes them (in slices, so this process keeps reading the pty); resolves when all
   * are written, then resolves them all again in the background (`cleared`).
   */
  flood(count: number, summaryBytes: number): Promise<{ cleared: Promise<void> }>;
  stop(): Promise<void>;
}

export async function startFeed(): Promise<FeedServer> {
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server, path: '/status' });
  let seq = 0;
  let floods = 0;
  const ts = () => new Date().toISOString();
  const send = (ws: WebSocket, m: Record<string, unknown>) => ws.send(JSON.stringify({ ...m, seq: ++seq, ts: ts() }));
  wss.on('connection', (ws) => {
    // The retained state a real feed sends after `resume`.
    send(ws, { type: 'status', key: 'killswitch.tested', value: true, detail: 'bench build' });
  });
  const port = await listen(server);
  const broadcast = (m: Record<string, unknown>) => {
    const frame = JSON.stringify({ ...m, seq: ++seq, ts: ts() });
    for (const c of wss.clients) if (c.readyState === WebSocket.OPEN) c.send(frame);
  };
  return {
    url: `ws://127.0.0.1:${port}/status`,
    clients: () => wss.clients.size,
    burst(rate, ms) {
      const total = Math.round((rate * ms) / 1000);
      const start = performance.now();
      let sent = 0;
      return new Promise((resolve) => {
        const tick = () => {
          const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000));
          while (sent < due) {
            // Half status changes (new values for one key), half free-text events: both reach the event log.
            if (sent % 2 === 0) broadcast({ type: 'status', key: 'bench.counter', value: sent, detail: 'burst' });
            else broadcast({ type: 'event', text: `burst message ${sent}`, actor: 'bench' });
            sent++;
          }
          if (sent >= total) resolve(sent);
          else setTimeout(tick, 10);
        };
        tick();
      });
    },
    async flood(count, summaryBytes) {
      const round = ++floods;
      const pad = 'x'.repeat(summaryBytes);
      const slices = async (state: 'firing' | 'resolved') => {
        for (let i = 0; i < count; i += 250) {
          for (let j = i; j < Math.min(count, i + 250); j++) {
            broadcast({ type: 'alert', id: `flood-${round}-${j}`, severity: 'page', state, summary: `flood alert ${j} ${pad}` });
          }
          await new Promise((r) => setImmediate(r));
        }
      };
      await slices('firing');
      return { cleared: slices('resolved') };
    },
    async stop() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      await close(server);
    },
  };
}

export interface ControlApi {
  url: string;
  /** performance.now() at each request's arrival (request line and headers parsed). */
  arrivals: number[];
  /** Resolves with the arrival time of the next request (rejects after timeoutMs). */
  nextArrival(timeoutMs: number): Promise<number>;
  stop(): Promise<void>;
}

export async function startControl(): Promise<ControlApi> {
  const arrivals: number[] = [];
  const waiters = new Set<(at: number) => void>();
  const server = http.createServer((req, res) => {
    if (req.method === 'POST' && req.url?.startsWith('/admin/')) {
      const at = performance.now();
      arrivals.push(at);
      for (const w of [...waiters]) w(at);
    }
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  const port = await listen(server);
  const nextArrival = (timeoutMs: number) =>
    new Promise<number>((resolve, reject) => {
      const w = (at: number) => {
        clearTimeout(t);
        waiters.delete(w);
        resolve(at);
      };
      const t = setTimeout(() => {
        waiters.delete(w);
        reject(new Error(`no control request within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(w);
    });
  return { url: `http://127.0.0.1:${port}`, arrivals, nextArrival, stop: () => close(server) };
}

export interface NotifyReceivers {
  /** Sinks as YAML flow mappings: two that answer 200, one that accepts and never answers. */
  sinks: string[];
  received(): number;
  stop(): Promise<void>;
}

/** `--notify-sinks`: the notification receivers the console posts to while the kill-switch is timed. */
export async function startNotifyReceivers(): Promise<NotifyReceivers> {
  let received = 0;
  const ok = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(200);
      res.end('ok');
    });
  });
  const hang = http.createServer((req) => {
    req.resume(); // accepted, never answered
  });
  const okPort = await listen(ok);
  const hangPort = await listen(hang);
  return {
    sinks: [
      `{ type: webhook, url: "http://127.0.0.1:${okPort}/hook", on: [all], every: 1s }`,
      `{ type: slack, url: "http://127.0.0.1:${okPort}/services/T/B/bench", on: [all], every: 1s }`,
      `{ type: teams, url: "http://127.0.0.1:${hangPort}/workflows/hang", on: [all], every: 1s, timeout: 30s }`,
    ],
    received: () => received,
    stop: async () => {
      await Promise.all([close(ok), close(hang)]);
    },
  };
}
