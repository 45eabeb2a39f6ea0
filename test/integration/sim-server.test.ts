import { describe, it, expect, afterEach } from 'vitest';
import { WebSocket } from 'ws';
import { startSimulator, SCENARIOS, type Simulator, type SimulatorOptions } from '../../src/sim/index.js';
import { parseFrame, type FeedMessage } from '../../src/feed/protocol.js';
import { FakeClock } from '../../src/core/clock.js';

const running: Simulator[] = [];
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

async function sim(opts: SimulatorOptions = {}): Promise<Simulator> {
  const s = await startSimulator({ port: 0, ...opts });
  running.push(s);
  return s;
}

async function waitFor<T>(fn: () => T | undefined | false | Promise<T | undefined | false>, ms = 3000, step = 10): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, step));
  }
}

async function metrics(s: Simulator): Promise<string> {
  const r = await fetch(`${s.url}/metrics`);
  expect(r.status).toBe(200);
  return r.text();
}

function metric(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  if (!line) throw new Error(`no series ${series}`);
  return Number(line.slice(series.length + 1));
}

async function post(s: Simulator, path: string, body: unknown, headers: Record<string, string> = {}) {
  const r = await fetch(s.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

interface Conn {
  ws: WebSocket;
  msgs: FeedMessage[];
  raw: string[];
  closed: Promise<number>;
}

async function connect(s: Simulator, resumeAfter?: number): Promise<Conn> {
  const ws = new WebSocket(s.url.replace('http', 'ws') + '/status');
  sockets.push(ws);
  const conn: Conn = { ws, msgs: [], raw: [], closed: new Promise((r) => ws.on('close', (code) => r(code))) };
  ws.on('error', () => undefined);
  ws.on('message', (d) => {
    const text = d.toString();
    conn.raw.push(text);
    const p = parseFrame(text);
    if (p.ok) conn.msgs.push(p.msg);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  if (resumeAfter !== undefined) ws.send(JSON.stringify({ type: 'resume', after: resumeAfter }));
  return conn;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(?:${LABEL}(?:,${LABEL})*,?)?\\})? (?:NaN|[+-]Inf|[+-]?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)$`);

describe('sim server: /metrics', () => {
  it('serves 0.0.4 text with HELP/TYPE for every family, every line in grammar', async () => {
    const s = await sim();
    const r = await fetch(`${s.url}/metrics`);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await r.text();
    const typed = new Set<string>();
    const helped = new Set<string>();
    for (const line of text.trimEnd().split('\n')) {
      const help = /^# HELP (\S+) .+$/.exec(line);
      const type = /^# TYPE (\S+) (gauge|counter|histogram)$/.exec(line);
      if (help) helped.add(help[1]!);
      else if (type) typed.add(type[1]!);
      else {
        const m = SAMPLE.exec(line);
        expect(m, line).not.toBeNull();
        const fam = typed.has(m![1]!) ? m![1]! : m![1]!.replace(/_(bucket|sum|count)$/, '');
        expect(typed.has(fam) && helped.has(fam), `HELP/TYPE for ${m![1]}`).toBe(true);
      }
    }
    for (const f of ['policy_influence_pct', 'policy_entropy', 'q_value_spread', 'http_requests_total', 'request_latency_seconds',
      'inference_cost_usd_total', 'sim_page_alerts_firing', 'sim_killswitch_engaged', 'sim_error_ratio', 'sim_latency_p99_seconds']) {
      expect(typed.has(f), f).toBe(true);
    }
    expect(metric(text, 'policy_influence_pct')).toBe(0);
    expect(metric(text, 'policy_entropy{policy="live"}')).toBeGreaterThanOrEqual(0.92);
  });

  it('answers 404, 405 and 426 with JSON messages', async () => {
    const s = await sim();
    const nf = await fetch(`${s.url}/nope`);
    expect(nf.status).toBe(404);
    expect(((await nf.json()) as { error: string }).error).toMatch(/\/metrics/);
    expect((await fetch(`${s.url}/metrics`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${s.url}/status`)).status).toBe(426);
    const bad = await post(s, '/admin/influence', '{not json');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/not valid JSON/);
  });
});

describe('sim server: control API', () => {
  it('influence and kill-switch really move policy_influence_pct and publish influence messages', async () => {
    const s = await sim();
    const c = await connect(s, 0);
    const set = await post(s, '/admin/influence', { pct: 25 });
    expect(set.status).toBe(202);
    await waitFor(async () => metric(await metrics(s), 'policy_influence_pct') === 25);
    const t0 = Date.now();
    const kill = await post(s, '/admin/kill-switch', { enabled: true, reason: 'entropy low', actor: 'bob' }, { 'Idempotency-Key': 'ks-1' });
    expect(kill).toEqual({ status: 200, body: { ok: true, influence_pct: 0, idempotency_key: 'ks-1' } });
    // not instantaneous (~0.5 s), but soon
    expect(metric(await metrics(s), 'policy_influence_pct')).toBe(25);
    await waitFor(async () => metric(await metrics(s), 'policy_influence_pct') === 0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
    expect(metric(await metrics(s), 'sim_killswitch_engaged')).toBe(1);
    const infl = await waitFor(() => c.msgs.filter((m) => m.type === 'influence').length === 2 && c.msgs.filter((m) => m.type === 'influence'));
    expect(infl[1]).toMatchObject({ type: 'influence', pct: 0, actor: 'bob', reason: 'entropy low' });
    expect(s.state().influence_pct).toBe(0);
    expect(s.state().killswitch_engaged).toBe(true);
  });

  it('refuses a bad pct with 400 and a message, and changes nothing', async () => {
    const s = await sim();
    for (const pct of [101, -5, 2.5, '30', null]) {
      const r = await post(s, '/admin/influence', { pct });
      expect(r.status).toBe(400);
      expect(String(r.body.error)).toMatch(/"pct" must be an integer from 0 to 100/);
    }
    expect((await post(s, '/admin/kill-switch', { enabled: 'yes' })).status).toBe(400);
    await new Promise((r) => setTimeout(r, 1200));
    expect(metric(await metrics(s), 'policy_influence_pct')).toBe(0);
    expect(s.state().requests).toHaveLength(6); // bad requests are still logged
  });

  it('a repeated Idempotency-Key returns the first response and applies once', async () => {
    const s = await sim();
    const first = await post(s, '/admin/influence', { pct: 40 }, { 'Idempotency-Key': 'abc' });
    await waitFor(async () => metric(await metrics(s), 'policy_influence_pct') === 40);
    await post(s, '/admin/influence', { pct: 10 }, { 'Idempotency-Key': 'def' });
    await waitFor(async () => metric(await metrics(s), 'policy_influence_pct') === 10);
    const again = await post(s, '/admin/influence', { pct: 40 }, { 'Idempotency-Key': 'abc' });
    expect(again).toEqual(first);
    await new Promise((r) => setTimeout(r, 1300));
    expect(metric(await metrics(s), 'policy_influence_pct')).toBe(10);
    const st = (await (await fetch(`${s.url}/admin/state`)).json()) as ReturnType<Simulator['state']>;
    expect(st.requests.map((r) => r.idempotency_key)).toEqual(['abc', 'def', 'abc']);
    expect(st.requests[0]).toMatchObject({ path: '/admin/influence', body: { pct: 40 } });
    expect(st).toMatchObject({ scenario: 'healthy', influence_pct: 10, speed: 1 });
    expect(Date.parse(st.requests[0]!.at)).toBeGreaterThan(0);
  });

  it('slow-control answers only after the control delay (speed 20: 4 s sim = 200 ms wall)', async () => {
    const s = await sim({ scenario: 'slow-control', speed: 20 });
    const t0 = Date.now();
    const r = await post(s, '/admin/kill-switch', { enabled: true, actor: 'bob', reason: 'x' }, { 'Idempotency-Key': 'k' });
    expect(r.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(180);
    // 15 s sim = 750 ms wall to take effect
    expect(s.state().killswitch_engaged).toBe(false);
    await waitFor(() => s.state().killswitch_engaged, 2000);
  });

  it('switches scenario live, and refuses an unknown one listing the valid names', async () => {
    const s = await sim();
    const c = await connect(s, 0);
    const bad = await post(s, '/admin/scenario', { name: 'chaos' });
    expect(bad.status).toBe(400);
    expect(String(bad.body.error)).toContain(SCENARIOS.join(', '));
    const ok = await post(s, '/admin/scenario', { name: 'page-alert' });
    expect(ok).toEqual({ status: 200, body: { ok: true, scenario: 'page-alert' } });
    await waitFor(() => c.msgs.some((m) => m.type === 'event' && m.text === 'scenario page-alert started'));
    expect(s.state().scenario).toBe('page-alert');
    expect(() => s.setScenario('nope')).toThrow(/valid scenarios: healthy/);
    await expect(startSimulator({ scenario: 'nope' })).rejects.toThrow(/valid scenarios/);
  });
});

describe('sim server: /status feed', () => {
  it('sends retained statuses on connect (no resume: after a short wait)', async () => {
    const s = await sim();
    const c = await connect(s);
    await waitFor(() => c.msgs.length >= 3);
    const statuses = Object.fromEntries(c.msgs.filter((m) => m.type === 'status').map((m) => [m.type === 'status' && m.key, m]));
    expect(statuses['killswitch.tested']).toMatchObject({ value: true, detail: 'build 1234' });
    expect(statuses['canary.pods']).toMatchObject({ value: 'healthy' });
    expect(statuses['deploy.version']).toMatchObject({ value: 'v42' });
    for (const m of c.msgs) expect(m.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  });

  it('resume after 0 replays everything in order; resume after N only seq > N', async () => {
    const s = await sim();
    await post(s, '/admin/scenario', { name: 'feed-flap' });
    await post(s, '/admin/scenario', { name: 'healthy' });
    const all = await connect(s, 0);
    await waitFor(() => all.msgs.length >= 6);
    expect(all.msgs.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    const part = await connect(s, 4);
    await waitFor(() => part.msgs.length >= 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(part.msgs.map((m) => m.seq)).toEqual([5, 6]);
    expect(part.msgs[1]).toMatchObject({ type: 'event', text: 'scenario healthy started' });
    // a resume from a previous server instance (beyond our last seq) gets everything from 1
    const stale = await connect(s, 500);
    await waitFor(() => stale.msgs.length >= 6);
    expect(stale.msgs[0]!.seq).toBe(1);
  });

  it('re-broadcasts a published ack to every client with a new seq; ignores invalid and non-publishable frames', async () => {
    const s = await sim();
    const a = await connect(s, 0);
    const b = await connect(s, 0);
    await waitFor(() => a.msgs.length >= 4 && b.msgs.length >= 4);
    const last = s.state().seq;
    a.ws.send(JSON.stringify({ type: 'status', key: 'killswitch.tested', value: false })); // not publishable
    a.ws.send(JSON.stringify({ type: 'ack', actor: 'bob' })); // missing role
    a.ws.send('garbage');
    a.ws.send(JSON.stringify({ type: 'ack', role: 'on_call', actor: 'bob', seq: 999, ts: '2000-01-01T00:00:00Z', extra: 'x' }));
    const got = await waitFor(() => b.msgs.find((m) => m.type === 'ack'));
    expect(got).toMatchObject({ type: 'ack', role: 'on_call', actor: 'bob', seq: last + 1 });
    expect(got).not.toHaveProperty('extra');
    expect(got.ts.startsWith('2000')).toBe(false);
    await waitFor(() => a.msgs.some((m) => m.type === 'ack'));
    expect(s.state().seq).toBe(last + 1);
    // the client's status frame was not re-broadcast: killswitch.tested is still only `true`
    expect(b.msgs.filter((m) => m.type === 'status' && m.key === 'killswitch.tested').map((m) => (m as { value: unknown }).value)).toEqual([true]);
  });

  it('feed-flap drops every connection periodically and sends an occasional garbage frame', async () => {
    const s = await sim({ scenario: 'feed-flap', flapMs: 300 });
    const c = await connect(s, 0);
    const t0 = Date.now();
    const code = await Promise.race([c.closed, new Promise<number>((r) => setTimeout(() => r(-1), 2000))]);
    expect(code).toBe(1006); // abrupt drop
    expect(Date.now() - t0).toBeLessThan(700);
    const d = await connect(s, 0);
    const garbage = await waitFor(() => d.raw.find((t) => !parseFrame(t).ok), 3000);
    expect(parseFrame(garbage).ok).toBe(false);
  });

  it('page-alert fires a-17 on the feed and in /metrics (speed 20: 10 s sim = 0.5 s wall)', async () => {
    const s = await sim({ scenario: 'page-alert', speed: 20 });
    const c = await connect(s, 0);
    expect(metric(await metrics(s), 'sim_page_alerts_firing')).toBe(0);
    const alert = await waitFor(() => c.msgs.find((m) => m.type === 'alert'), 2000);
    expect(alert).toMatchObject({ id: 'a-17', severity: 'page', state: 'firing', summary: 'checkout error budget burn' });
    expect(metric(await metrics(s), 'sim_page_alerts_firing')).toBe(1);
    // a late joiner gets the firing alert in its snapshot
    const late = await connect(s);
    await waitFor(() => late.msgs.some((m) => m.type === 'alert' && m.id === 'a-17'));
    // leaving the scenario resolves it
    s.setScenario('healthy');
    await waitFor(() => c.msgs.some((m) => m.type === 'alert' && m.state === 'resolved'));
    expect(metric(await metrics(s), 'sim_page_alerts_firing')).toBe(0);
  });

  it('speed 60 makes entropy-collapse happen within about 1 s of wall time', async () => {
    const t0 = Date.now();
    const s = await sim({ scenario: 'entropy-collapse', speed: 60 });
    expect(metric(await metrics(s), 'policy_entropy{policy="live"}')).toBeGreaterThan(0.9);
    await waitFor(async () => metric(await metrics(s), 'policy_entropy{policy="live"}') < 0.6, 3000, 20);
    const took = Date.now() - t0;
    expect(took).toBeGreaterThan(600);
    expect(took).toBeLessThan(2000);
    expect(metric(await metrics(s), 'q_value_spread')).toBeGreaterThan(3.9); // still rising to 4.5
    expect(s.state().speed).toBe(60);
  });
});

describe('sim server driven by a FakeClock', () => {
  it('times control answers, influence moves and alerts by the injected clock only', async () => {
    const clock = new FakeClock();
    const s = await sim({ clock, scenario: 'slow-control' });
    const c = await connect(s, 0);
    let answered = false;
    const pending = post(s, '/admin/kill-switch', { enabled: true, actor: 'bob', reason: 'drill' }).then((r) => {
      answered = true;
      return r;
    });
    await waitFor(() => s.state().requests.length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(answered).toBe(false); // no sim time has passed
    clock.advance(3999);
    await new Promise((r) => setTimeout(r, 50));
    expect(answered).toBe(false);
    clock.advance(1);
    expect((await pending).status).toBe(200);
    clock.advance(14_999);
    expect(s.state().killswitch_engaged).toBe(false);
    clock.advance(1);
    expect(s.state().killswitch_engaged).toBe(true);
    await waitFor(() => c.msgs.some((m) => m.type === 'influence' && m.pct === 0 && m.actor === 'bob'));
    const infl = c.msgs.find((m) => m.type === 'influence')!;
    expect(Date.parse(infl.ts)).toBe(clock.now()); // ts from the sim clock

    s.setScenario('page-alert');
    clock.advance(9_999);
    await new Promise((r) => setTimeout(r, 50));
    expect(c.msgs.some((m) => m.type === 'alert')).toBe(false);
    clock.advance(1);
    await waitFor(() => c.msgs.some((m) => m.type === 'alert' && m.id === 'a-17' && m.state === 'firing'));
    expect(metric(await metrics(s), 'sim_page_alerts_firing')).toBe(1);
  });
});
