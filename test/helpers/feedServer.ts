/** A small real `ws` status-feed server on 127.0.0.1 for tests. */
import { WebSocketServer, WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';

export interface FeedServerOptions {
  port?: number;
  /** false: the server never answers pings (a dead peer). */
  autoPong?: boolean;
  /** Called for every frame a client sends, after it is recorded in `received`. */
  onMessage?: (msg: unknown, ws: WebSocket) => void;
}

export interface FeedServer {
  url: string;
  port: number;
  /** Sends to every open client: objects as JSON, strings as-is (text frames). */
  send(obj: unknown): void;
  /** Sends raw bytes as a binary frame, or a string as a text frame without touching it. */
  sendRaw(buf: Buffer | string, opts?: { binary?: boolean }): void;
  clients(): number;
  /** Every frame received from clients, JSON-parsed when possible, in order. */
  received: unknown[];
  /** Upgrade requests' headers, in order. */
  requestHeaders: Record<string, string | string[] | undefined>[];
  /** Terminates all clients and closes the server (as a crash would). */
  kill(): Promise<void>;
  /** Starts again on the same port (after kill). */
  restart(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves once `received` holds an entry matching `pred` (bounded by timeoutMs). */
  waitFor(pred: (m: unknown) => boolean, timeoutMs?: number): Promise<unknown>;
}

export async function startFeedServer(opts: FeedServerOptions = {}): Promise<FeedServer> {
  let wss: WebSocketServer | undefined;
  let port = opts.port ?? 0;
  const received: unknown[] = [];
  const requestHeaders: FeedServer['requestHeaders'] = [];
  const waiters = new Set<() => void>();

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const server = new WebSocketServer({ host: '127.0.0.1', port, autoPong: opts.autoPong ?? true });
      server.once('error', reject);
      server.once('listening', () => {
        server.off('error', reject);
        port = (server.address() as AddressInfo).port;
        wss = server;
        resolve();
      });
      server.on('connection', (ws, req) => {
        requestHeaders.push({ ...req.headers });
        ws.on('error', () => {});
        ws.on('message', (data, isBinary) => {
          const text = isBinary ? undefined : data.toString();
          let msg: unknown = text ?? data;
          try {
            if (text !== undefined) msg = JSON.parse(text);
          } catch {
            /* keep raw text */
          }
          received.push(msg);
          opts.onMessage?.(msg, ws);
          for (const w of waiters) w();
        });
      });
    });

  const close = () =>
    new Promise<void>((resolve) => {
      const server = wss;
      wss = undefined;
      if (!server) return resolve();
      for (const c of server.clients) c.terminate();
      server.close(() => resolve());
    });

  const open = () => [...(wss?.clients ?? [])].filter((c) => c.readyState === WebSocket.OPEN);

  await listen();

  return {
    get url() {
      return `ws://127.0.0.1:${port}/status`;
    },
    get port() {
      return port;
    },
    send(obj) {
      const text = typeof obj === 'string' ? obj : JSON.stringify(obj);
      for (const c of open()) c.send(text);
    },
    sendRaw(buf, o = {}) {
      for (const c of open()) c.send(buf, { binary: o.binary ?? Buffer.isBuffer(buf) });
    },
    clients: () => open().length,
    received,
    requestHeaders,
    kill: close,
    restart: listen,
    stop: close,
    waitFor(pred, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = received.find(pred);
          if (hit === undefined) return false;
          waiters.delete(check);
          clearTimeout(t);
          resolve(hit);
          return true;
        };
        const t = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`feed server: no matching message within ${timeoutMs}ms; got ${JSON.stringify(received)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

/** Polls `cond` every 10 ms until true or `timeoutMs` passes (then throws with `what`). */
export async function waitUntil(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
