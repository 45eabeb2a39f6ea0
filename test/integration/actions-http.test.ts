import { describe, it, expect, afterEach } from 'vitest';
import { runAction, newIdempotencyKey, type ActionRequest, type StepEvent } from '../../src/actions/executor.js';
import type { HttpActionConfig } from '../../src/config/types.js';
import { startControlServer, readInfluence, type ControlServer } from '../helpers/controlServer.js';

const servers: ControlServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});
async function server(opts?: Parameters<typeof startControlServer>[0]) {
  const s = await startControlServer(opts);
  servers.push(s);
  return s;
}

function killSwitch(s: ControlServer, over: Partial<HttpActionConfig> = {}): HttpActionConfig {
  return {
    kind: 'http',
    method: 'POST',
    url: `${s.url}/admin/kill-switch`,
    headers: { Authorization: 'Bearer tok-live-0001' },
    body: { enabled: true, reason: '{{reason}}', actor: '{{actor}}' },
    timeout: 2000,
    retries: 3,
    verify: { source: 'exporter', metric: 'policy_influence_pct', expect: '== 0', within: 5000 },
    ...over,
  };
}

function req(config: HttpActionConfig, extra: Partial<ActionRequest> = {}): ActionRequest {
  return {
    name: 'kill_switch',
    config,
    params: { actor: 'bob', reason: 'entropy collapse' },
    idempotencyKey: newIdempotencyKey(),
    ...extra,
  };
}

const steps = (ev: StepEvent[]) => ev.map((e) => e.step);
const adminRequests = (s: ControlServer) => s.requests.filter((r) => r.path.startsWith('/admin/'));

describe('runAction over HTTP', () => {
  it('sends, is acknowledged, then verified once the verify source shows the value', async () => {
    const s = await server({ influence: 10, applyDelayMs: 300 });
    const events: StepEvent[] = [];
    let reads = 0;
    const r = req(killSwitch(s));
    const out = await runAction(r, {
      onStep: (e) => events.push(e),
      readVerify: async () => (reads++, readInfluence(s.url)),
      verifyPollMs: 100,
    });
    expect(out).toMatchObject({ ok: true, step: 'verified', attempts: 1, status: 200, verifiedValue: 0 });
    expect(steps(events)).toEqual(['sending', 'sent', 'acknowledged', 'verifying', 'verified']);
    expect(reads).toBeGreaterThan(1); // the influence changed only after 300 ms
    const [sent] = adminRequests(s);
    expect(sent!.method).toBe('POST');
    expect(sent!.body).toEqual({ enabled: true, reason: 'entropy collapse', actor: 'bob' });
    expect(sent!.headers['idempotency-key']).toBe(r.idempotencyKey);
    expect(sent!.headers['authorization']).toBe('Bearer tok-live-0001');
    expect(sent!.headers['content-type']).toMatch(/application\/json/);
    expect(s.influence).toBe(0);
  });

  it("emits 'sending' synchronously, before runAction returns", () => {
    const events: StepEvent[] = [];
    const p = runAction(req(killSwitch({ url: 'http://127.0.0.1:9' } as ControlServer, { retries: 0, verify: undefined })), {
      onStep: (e) => events.push(e),
    });
    expect(steps(events)).toEqual(['sending']);
    return p;
  });

  it('retries a 500 with the same idempotency key and backoff, then succeeds', async () => {
    const s = await server();
    s.respondWith([{ status: 500, body: 'db locked' }]);
    const events: StepEvent[] = [];
    const r = req(killSwitch(s, { verify: undefined }));
    const out = await runAction(r, { onStep: (e) => events.push(e) });
    expect(out).toMatchObject({ ok: true, step: 'acknowledged', attempts: 2, status: 200 });
    const admin = adminRequests(s);
    expect(admin).toHaveLength(2);
    expect(admin[0]!.headers['idempotency-key']).toBe(r.idempotencyKey);
    expect(admin[1]!.headers['idempotency-key']).toBe(r.idempotencyKey);
    expect(admin[1]!.at - admin[0]!.at).toBeGreaterThanOrEqual(240);
    const retry = events.find((e) => e.error);
    expect(retry).toMatchObject({ step: 'sent', attempt: 1, detail: 'retrying in 250ms (attempt 2 of 4)' });
    expect(retry!.error).toBe(`HTTP 500 from POST ${s.url}/admin/kill-switch: db locked`);
    expect(steps(events)).toEqual(['sending', 'sent', 'sent', 'sending', 'sent', 'acknowledged']);
  });

  it('gives up after the last attempt with the status and the start of the body', async () => {
    const s = await server();
    const long = 'x'.repeat(500);
    s.respondWith([{ status: 503, body: long }, { status: 503, body: long }]);
    const out = await runAction(req(killSwitch(s, { retries: 1 })), {});
    expect(out.ok).toBe(false);
    expect(out.attempts).toBe(2);
    expect(out.status).toBe(503);
    expect(out.step).toBe('sent');
    expect(out.error).toMatch(new RegExp(`^kill-switch failed \\(after 2 attempts\\): HTTP 503 from POST ${s.url}/admin/kill-switch: x{190,200}…?$`));
    expect(s.influence).toBe(10);
  });

  it('times out each attempt, retries, then fails with a clear message', async () => {
    const s = await server();
    s.respondWith([0, 1, 2].map(() => ({ status: 200, delayMs: 1500 })));
    const events: StepEvent[] = [];
    const t0 = Date.now();
    const out = await runAction(req(killSwitch(s, { timeout: 200, retries: 2 })), { onStep: (e) => events.push(e) });
    const took = Date.now() - t0;
    expect(out.ok).toBe(false);
    expect(out.attempts).toBe(3);
    expect(out.error).toBe(`kill-switch failed (after 3 attempts): timed out after 200ms waiting for POST ${s.url}/admin/kill-switch`);
    expect(adminRequests(s)).toHaveLength(3);
    expect(took).toBeGreaterThanOrEqual(3 * 200 + 250 + 500 - 50);
    expect(took).toBeLessThan(3000);
    expect(events.at(-1)).toMatchObject({ step: 'failed', attempt: 3 });
  });

  it('reports connection refused', async () => {
    const s = await startControlServer();
    const url = s.url;
    await s.stop();
    const out = await runAction(req(killSwitch({ url } as ControlServer, { retries: 1, verify: undefined })), {});
    expect(out).toMatchObject({ ok: false, step: 'sending', attempts: 2 });
    expect(out.error).toBe(`kill-switch failed (after 2 attempts): connection refused: POST ${url}/admin/kill-switch`);
  });

  it('fails at verifying, naming the value seen and the value expected', async () => {
    const s = await server({ influence: 10, apply: false });
    const out = await runAction(req(killSwitch(s, { verify: { source: 'exporter', metric: 'policy_influence_pct', expect: '== 0', within: 800 } })), {
      readVerify: () => readInfluence(s.url),
      verifyPollMs: 100,
    });
    expect(out).toMatchObject({ ok: false, step: 'verifying', attempts: 1, status: 200 });
    expect(out.error).toBe('not verified within 800ms: policy_influence_pct = 10 (expected == 0)');
    expect(out.durationMs).toBeGreaterThanOrEqual(800);
    expect(out.durationMs).toBeLessThan(2000);
  });

  it('sets influence with {{pct}} as a JSON number and verifies == {{pct}}', async () => {
    const s = await server({ influence: 10 });
    const config: HttpActionConfig = {
      kind: 'http',
      method: 'post',
      url: `${s.url}/admin/influence`,
      headers: {},
      body: { pct: '{{pct}}', note: '{{actor}} -> {{pct}}%' },
      timeout: 1000,
      retries: 0,
      verify: { source: 'exporter', metric: 'policy_influence_pct', expect: '== {{pct}}', within: 2000 },
    };
    const out = await runAction(
      { name: 'set_influence', config, params: { actor: 'alice', pct: 25 }, idempotencyKey: newIdempotencyKey() },
      { readVerify: () => readInfluence(s.url), verifyPollMs: 50 },
    );
    expect(out).toMatchObject({ ok: true, step: 'verified', verifiedValue: 25 });
    expect(adminRequests(s)[0]!.body).toEqual({ pct: 25, note: 'alice -> 25%' });
    expect(s.influence).toBe(25);
  });

  it('stops at acknowledged when verify is configured but nothing can read it', async () => {
    const s = await server();
    const out = await runAction(req(killSwitch(s)), {});
    expect(out).toMatchObject({ ok: true, step: 'acknowledged', attempts: 1 });
  });

  it('never puts header values or secrets in errors or step details', async () => {
    const s = await server();
    const echo = 'auth was Bearer tok-live-0001; env pw=Hunter2-xyz \u001b]0;pwned\u0007\u001b[31m red';
    s.respondWith([{ status: 500, body: echo }, { status: 401, body: echo }]);
    const events: StepEvent[] = [];
    const config = killSwitch(s, { retries: 1, url: `${s.url}/admin/kill-switch?key=Hunter2-xyz` });
    const out = await runAction(req(config, { secrets: ['Hunter2-xyz'] }), { onStep: (e) => events.push(e) });
    expect(out.ok).toBe(false);
    const texts = [out.error ?? '', ...events.flatMap((e) => [e.error ?? '', e.detail ?? ''])].join('\n');
    expect(texts).toContain('HTTP 401');
    expect(texts).toContain('[redacted]');
    expect(texts).not.toContain('tok-live-0001');
    expect(texts).not.toContain('Hunter2-xyz');
    expect(texts).not.toMatch(/[\u001b\u0007]/);
    // The request itself still carried the real values.
    expect(adminRequests(s)[0]!.headers['authorization']).toBe('Bearer tok-live-0001');
  });

  it('does not send anything when the template is wrong', async () => {
    const s = await server();
    const events: StepEvent[] = [];
    const out = await runAction(req(killSwitch(s, { body: { who: '{{user}}' } })), { onStep: (e) => events.push(e) });
    expect(out).toMatchObject({ ok: false, step: 'failed', attempts: 0 });
    expect(out.error).toMatch(/kill-switch not sent: unknown placeholder \{\{user\}\}/);
    expect(steps(events)).toEqual(['failed']);
    expect(adminRequests(s)).toHaveLength(0);
  });

  it('abort cancels the request in flight and any retries', async () => {
    const s = await server();
    s.respondWith([{ status: 200, delayMs: 5000 }]);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 150);
    const t0 = Date.now();
    const out = await runAction(req(killSwitch(s)), { signal: ac.signal });
    expect(out).toMatchObject({ ok: false, error: 'cancelled', attempts: 1 });
    expect(Date.now() - t0).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 400));
    expect(adminRequests(s)).toHaveLength(1);
  });

  it('abort during backoff stops further attempts', async () => {
    const s = await server();
    s.respondWith([{ status: 500 }, { status: 500 }]);
    const ac = new AbortController();
    const out = await runAction(req(killSwitch(s)), {
      signal: ac.signal,
      onStep: (e) => {
        if (e.error) ac.abort();
      },
    });
    expect(out).toMatchObject({ ok: false, error: 'cancelled', attempts: 1 });
    await new Promise((r) => setTimeout(r, 400));
    expect(adminRequests(s)).toHaveLength(1);
  });

  it('abort during verification stops polling', async () => {
    const s = await server({ apply: false });
    const ac = new AbortController();
    let reads = 0;
    const out = await runAction(req(killSwitch(s)), {
      signal: ac.signal,
      verifyPollMs: 50,
      readVerify: async () => {
        if (++reads === 3) ac.abort();
        return readInfluence(s.url);
      },
    });
    expect(out).toMatchObject({ ok: false, step: 'verifying', error: 'cancelled' });
    const seen = reads;
    await new Promise((r) => setTimeout(r, 200));
    expect(reads).toBe(seen);
  });

  it('latency (report only)', async () => {
    const s = await server();
    const config = killSwitch(s, { verify: undefined, retries: 0 });
    const lat: number[] = [];
    for (let i = 0; i < 50; i++) {
      const before = s.requests.length;
      const called = performance.timeOrigin + performance.now();
      const out = await runAction(req(config), {});
      expect(out.ok).toBe(true);
      lat.push(s.requests[before]!.at - called);
    }
    lat.sort((a, b) => a - b);
    const median = (lat[24]! + lat[25]!) / 2;
    // eslint-disable-next-line no-console
    console.log(
      `[actions] runAction call -> request received: median ${median.toFixed(2)} ms, p90 ${lat[44]!.toFixed(2)} ms, max ${lat[49]!.toFixed(2)} ms (50 runs)`,
    );
    expect(lat).toHaveLength(50);
  });
});
