/**
 * The simulator's HTTP server: /metrics, the /status WebSocket feed and the control API on
 * one loopback port. Model time comes from the injected clock; feed-flap drops use wall time.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { sleep, type Clock, type TimerHandle } from '../core/clock.js';
import { MAX_FRAME_BYTES } from '../feed/protocol.js';
import { parseInfluence, parseKillSwitch, type Parsed } from './control.js';
import { EXPOSITION_CONTENT_TYPE, renderExposition } from './exposition.js';
import { FeedHub } from './feed.js';
// By require: on Node 24 an ESM import of node:http loads undici (nodejs/node#57649, util/nodeBuiltins.ts).
import { http } from '../util/nodeBuiltins.js';
import { SimModel, type ControlOutcome, type ControlRequest, type InfluenceChange } from './model.js';
import type { ScenarioName } from './scenarios.js';

const MAX_BODY_BYTES = 64 * 1024;
const MAX_LOGGED_REQUESTS = 100;

export interface RequestLogEntry {
  path: string;
  at: string;
  idempotency_key: string | null;
  body: unknown;
}

export interface SimState {
  scenario: ScenarioName;
  influence_pct: number;
  killswitch_engaged: boolean;
  speed: number;
  seq: number;
  clients: number;
  requests: RequestLogEntry[];
}

export interface SimServerOptions {
  port: number;
  host: '127.0.0.1';
  scenario: string;
  speed: number;
  clock: Clock;
  seed?: number;
  /** Wall ms between feed-flap connection drops (8000 by default). */
  flapMs?: number;
  /** Wall ms to wait for a client's resume before sending the snapshot. */
  resumeWaitMs?: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Retained statuses every scenario starts with. */
const INITIAL_STATUSES = [
  { key: 'killswitch.tested', value: true, detail: 'build 1234' },
  { key: 'canary.pods', value: 'healthy' },
  { key: 'deploy.version', value: 'v42' },
] as const;

/** Frames feed-flap sends "occasionally": one not JSON, one of an unknown type. */
const GARBAGE = ['{"type":"status","seq":', '{"type":"telemetry","seq":0,"ts":"1970-01-01T00:00:00Z"}'];

export class SimServer {
  readonly model: SimModel;
  readonly feed: FeedHub;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly clock: Clock;
  private readonly opts: SimServerOptions;
  private readonly requests: RequestLogEntry[] = [];
  private readonly timers = new Set<TimerHandle>();
  private flapTimer: ReturnType<typeof setInterval> | undefined;
  private stopped = false;
  private boundPort = 0;

  constructor(opts: SimServerOptions) {
    this.opts = opts;
    this.clock = opts.clock;
    this.model = new SimModel({ clock: opts.clock, scenario: opts.scenario, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) });
    this.feed = new FeedHub({ clock: opts.clock, ...(opts.resumeWaitMs !== undefined ? { resumeWaitMs: opts.resumeWaitMs } : {}) });
    this.http = http.createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        const status = err instanceof HttpError ? err.status : 500;
        const message = err instanceof Error ? err.message : String(err);
        if (!res.headersSent) this.json(res, status, { ok: false, error: message });
        else res.end();
      });
    });
    // Slightly above the frame limit: an oversized client frame closes that client only.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES + 1024 });
    this.http.on('upgrade', (req, socket, head) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path !== '/status' || this.stopped) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      socket.on('error', () => undefined);
      this.wss.handleUpgrade(req, socket, head, (ws) => this.feed.attach(ws));
    });
    for (const s of INITIAL_STATUSES) this.feed.publish({ type: 'status', ...s });
    this.enterScenario();
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.opts.port, this.opts.host, () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    this.boundPort = (this.http.address() as AddressInfo).port;
    return this.boundPort;
  }

  port(): number {
    return this.boundPort;
  }

  setScenario(name: string): ScenarioName {
    const scenario = this.model.setScenario(name);
    this.enterScenario();
    return scenario;
  }

  state(): SimState {
    const now = this.clock.now();
    const ctl = this.model.controlStateAt(now);
    return {
      scenario: this.model.scenario(),
      influence_pct: ctl.influencePct,
      killswitch_engaged: ctl.engaged,
      speed: this.opts.speed,
      seq: this.feed.lastSeq(),
      clients: this.feed.clientCount(),
      requests: this.requests.map((r) => ({ ...r })),
    };
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.stopFlap();
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers.clear();
    this.feed.close();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  // ---- scenario timeline -------------------------------------------------------------

  private schedule(at: number, fn: () => void): void {
    const h = this.clock.setTimeout(() => {
      this.timers.delete(h);
      if (this.stopped) return;
      // Wall timers can fire a hair early; at high speed that is many sim ms, so re-arm.
      if (this.clock.now() < at) return this.schedule(at, fn);
      fn();
    }, Math.max(0, at - this.clock.now()));
    this.timers.add(h);
  }

  private enterScenario(): void {
    const name = this.model.scenario();
    this.feed.publish({ type: 'event', text: `scenario ${name} started` });
    this.syncAlerts();
    for (const at of this.model.alertTransitions()) this.schedule(at, () => this.syncAlerts());
    this.stopFlap();
    if (this.model.def().flapsFeed) this.startFlap();
  }

  /** Publishes firing/resolved alert messages so the feed matches the model. */
  private syncAlerts(): void {
    const want = new Map(this.model.snapshot().alerts.map((a) => [a.id, a]));
    for (const a of this.feed.firingAlerts()) {
      if (!want.has(a.id)) {
        this.feed.publish({ type: 'alert', id: a.id, severity: a.severity, state: 'resolved', ...(a.summary !== undefined ? { summary: a.summary } : {}) });
      }
    }
    const have = new Set(this.feed.firingAlerts().map((a) => a.id));
    for (const a of want.values()) {
      if (!have.has(a.id)) this.feed.publish({ type: 'alert', id: a.id, severity: a.severity, state: 'firing', summary: a.summary });
    }
  }

  private startFlap(): void {
    const half = (this.opts.flapMs ?? 8000) / 2;
    let tick = 0;
    // Wall time on purpose: the flap tests the console's reconnect logic, not the sim clock.
    this.flapTimer = setInterval(() => {
      tick++;
      if (tick % 2 === 0) this.feed.dropAll();
      else if (tick % 4 === 3) this.feed.sendRaw(GARBAGE[(tick >> 2) % GARBAGE.length]!);
    }, half);
    this.flapTimer.unref?.();
  }

  private stopFlap(): void {
    if (this.flapTimer) clearInterval(this.flapTimer);
    this.flapTimer = undefined;
  }

  // ---- HTTP ---------------------------------------------------------------------------

  private json(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private async readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) throw new HttpError(413, `body over ${MAX_BODY_BYTES} bytes`);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    const method = req.method ?? 'GET';
    const allow = (m: string) => {
      if (method !== m) {
        res.setHeader('Allow', m);
        throw new HttpError(405, `${method} not allowed on ${path}; use ${m}`);
      }
    };
    switch (path) {
      case '/metrics': {
        allow('GET');
        const text = renderExposition(this.model.snapshot());
        res.writeHead(200, { 'Content-Type': EXPOSITION_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(text) });
        res.end(text);
        return;
      }
      case '/status':
        throw new HttpError(426, '/status is a WebSocket endpoint: connect with ws://');
      case '/admin/state':
        allow('GET');
        return this.json(res, 200, this.state());
      case '/admin/kill-switch':
        allow('POST');
        return this.control(req, res, path, parseKillSwitch);
      case '/admin/influence':
        allow('POST');
        return this.control(req, res, path, parseInfluence);
      case '/admin/scenario': {
        allow('POST');
        const body = await this.readJson(req, path, null);
        const name = (body as { name?: unknown } | null)?.name;
        try {
          const scenario = this.setScenario(String(name));
          return this.json(res, 200, { ok: true, scenario });
        } catch (err) {
          throw new HttpError(400, (err as Error).message);
        }
      }
      default:
        throw new HttpError(404, `no such endpoint ${path}; try /metrics, /status, /admin/kill-switch, /admin/influence, /admin/scenario, /admin/state`);
    }
  }

  /** Reads and logs a JSON body; an unparsable one is logged as text, then refused. */
  private async readJson(req: IncomingMessage, path: string, key: string | null): Promise<unknown> {
    const text = await this.readBody(req);
    let body: unknown;
    let parsed = true;
    try {
      body = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      body = text;
      parsed = false;
    }
    this.requests.push({ path, at: new Date(this.clock.now()).toISOString(), idempotency_key: key, body });
    if (this.requests.length > MAX_LOGGED_REQUESTS) this.requests.splice(0, this.requests.length - MAX_LOGGED_REQUESTS);
    if (!parsed) throw new HttpError(400, 'body is not valid JSON');
    return body;
  }

  private async control(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    parse: (body: unknown, key?: string) => Parsed<ControlRequest>,
  ): Promise<void> {
    const header = req.headers['idempotency-key'];
    const key = typeof header === 'string' && header.trim() !== '' ? header.trim().slice(0, 200) : null;
    const body = await this.readJson(req, path, key);
    const parsed = parse(body, key ?? undefined);
    if (!parsed.ok) throw new HttpError(400, parsed.message);
    const outcome = this.model.control(parsed.value);
    if (outcome.applied) this.schedule(outcome.change.effectiveAt, () => this.announce(outcome.change));
    await this.waitUntil(outcome);
    if (this.stopped) throw new HttpError(503, 'simulator stopping');
    res.setHeader('Idempotency-Key', outcome.idempotencyKey);
    if (!outcome.applied) res.setHeader('Idempotent-Replayed', 'true');
    this.json(res, outcome.status, outcome.body);
  }

  /** The answer waits for the scenario's control delay, in sim time. */
  private async waitUntil(outcome: ControlOutcome): Promise<void> {
    const wait = outcome.respondAt - this.clock.now();
    if (wait > 0) await sleep(this.clock, wait);
  }

  /** Publishes the applied change when it takes effect. */
  private announce(change: InfluenceChange): void {
    if (change.pct !== undefined) {
      this.feed.publish({
        type: 'influence',
        pct: change.pct,
        actor: change.actor,
        ...(change.reason !== undefined ? { reason: change.reason } : {}),
      });
    }
    if (change.kind === 'kill') {
      const text = change.engaged ? `kill-switch engaged by ${change.actor}: influence 0%` : `kill-switch released by ${change.actor}`;
      this.feed.publish({ type: 'event', text, actor: change.actor });
    }
  }
}
