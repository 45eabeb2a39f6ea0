/**
 * Notifications to real local HTTP receivers through the real sender (got): Slack's and
 * PagerDuty's shapes as received, retries of a failing webhook delivered exactly once, and
 * a receiver that hangs holding up nobody else.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { systemClock } from '../../src/core/clock.js';
import type { Criterion } from '../../src/engine/criteria.js';
import { overallEvent, type EventContext } from '../../src/notify/compose.js';
import { NotifyHub } from '../../src/notify/hub.js';
import { LedgerEvents } from '../../src/notify/ledgerEvents.js';
import { sendOnce } from '../../src/notify/send.js';
import type { LedgerLine } from '../../src/audit/types.js';
import { startReceiver, type Receiver } from '../helpers/notifyReceivers.js';

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});
async function receiver(script?: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const r = await startReceiver(script);
  receivers.push(r);
  return r;
}

function config(notify: string, env: Record<string, string> = {}): Config {
  const r = loadConfigText(
    `version: 1
deployment: { name: rl-policy-v42, environment: production }
sources:
  ex: { type: scrape, url: "http://127.0.0.1:1/metrics" }
gates:
  - { id: entropy, source: ex, metric: m, go: ">= 0.9" }
notify:
${notify}`,
    { file: '/srv/warroom.yaml', env },
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.config;
}

const entropy: Criterion = { id: 'entropy', title: 'Policy entropy', group: 'Policy health', severity: 'critical', status: 'FAIL', value: 0.71, threshold: '>= 0.9', observed_at: '2026-11-23T14:04:59.000Z', reason: 'below go' };
const ctx = (over: Partial<EventContext> = {}): EventContext => ({
  config: { deployment: { name: 'rl-policy-v42', environment: 'production' } },
  now: Date.parse('2026-11-23T14:05:00Z'),
  actor: 'alice',
  overall: 'NO-GO',
  reasons: ['critical FAIL: entropy'],
  criteria: [entropy],
  influencePct: 10,
  ...over,
});

describe('notify delivery to real receivers', () => {
  it('slack receives header/section/context blocks and text naming gate, value, threshold and actor', async () => {
    const slack = await receiver();
    const cfg = config(`  - { type: slack, url: "\${SLACK_WEBHOOK}", on: [overall] }\n`, { SLACK_WEBHOOK: `${slack.url}/services/T00/B00/s3cr3tpath` });
    const out = await sendOnce(cfg, overallEvent(ctx(), 'GO', undefined), { timeoutMs: 10_000 });
    expect(out).toEqual([{ sink: `slack#0 ${slack.url}/…`, result: 'delivered', attempts: 1 }]);
    expect(slack.received).toHaveLength(1);
    expect(slack.received[0]!.path).toBe('/services/T00/B00/s3cr3tpath');
    const body = slack.received[0]!.body as { text: string; blocks: { type: string; text?: { type: string; text: string }; elements?: { text: string }[] }[] };
    expect(body.text).toContain('NO-GO: entropy = 0.71 fails &gt;= 0.9 (critical)');
    expect(body.blocks.map((b) => b.type)).toEqual(['header', 'section', 'context']);
    expect(body.blocks[0]!.text).toEqual({ type: 'plain_text', text: 'NO-GO: entropy = 0.71 fails >= 0.9 (critical)', emoji: false });
    expect(body.blocks[1]!.text!.type).toBe('mrkdwn');
    expect(body.blocks[2]!.elements!.map((e) => e.text).join(' ')).toContain('actor alice');
  });

  it('pagerduty: trigger then resolve with one dedup_key on /v2/enqueue; a ramp stage is a change event', async () => {
    const pd = await receiver((_n) => 202);
    const cfg = config(`  - { type: pagerduty, routing_key: "\${PD_KEY}", url: "${'${PD_URL}'}", on: [overall, influence] }\n`, { PD_KEY: 'R0UTING-KEY-1234', PD_URL: pd.url });
    const hub = new NotifyHub(cfg, { clock: systemClock });
    try {
      hub.emit(overallEvent(ctx(), 'GO', 'rl-policy-v42/overall/ep1'));
      hub.emit(overallEvent(ctx({ overall: 'GO', reasons: [], criteria: [{ ...entropy, status: 'PASS', value: 0.95 }] }), 'NO-GO', 'rl-policy-v42/overall/ep1'));
      const line = { schema: 'warroom.ledger/v1', seq: 3, ts: '2026-11-23T14:10:00.000Z', deployment: 'rl-policy-v42', environment: 'production', prev_hash: 'p', hash: 'h', type: 'action', action: 'set_influence', phase: 'verified', from_pct: 10, to_pct: 25, reason: 'advance to 25%', idempotency_key: 'i1', actor: 'alice' } as unknown as LedgerLine;
      hub.emit(new LedgerEvents().event(line, ctx())!);
      expect(await hub.whenIdle(10_000)).toBe(true);
    } finally {
      hub.stop();
    }
    expect(pd.received.map((r) => r.path)).toEqual(['/v2/enqueue', '/v2/enqueue', '/v2/change/enqueue']);
    const [trigger, resolve, change] = pd.received.map((r) => r.body as Record<string, any>);
    expect(trigger).toMatchObject({ routing_key: 'R0UTING-KEY-1234', event_action: 'trigger', dedup_key: 'rl-policy-v42/overall/ep1' });
    expect(Object.keys(trigger!.payload).sort()).toEqual(['class', 'component', 'custom_details', 'group', 'severity', 'source', 'summary', 'timestamp']);
    expect(trigger!.payload).toMatchObject({ summary: '[rl-policy-v42/production] NO-GO: entropy = 0.71 fails >= 0.9 (critical)', source: 'warroom/rl-policy-v42', severity: 'error', component: 'rl-policy-v42', group: 'production', class: 'overall', timestamp: '2026-11-23T14:05:00.000Z' });
    expect(trigger!.payload.custom_details.actor).toBe('alice');
    expect(resolve).toEqual({ routing_key: 'R0UTING-KEY-1234', event_action: 'resolve', dedup_key: 'rl-policy-v42/overall/ep1' });
    expect(change).toMatchObject({ routing_key: 'R0UTING-KEY-1234', payload: { summary: '[rl-policy-v42/production] influence 10% → 25% verified by alice', source: 'warroom/rl-policy-v42' } });
  });

  it('a webhook failing twice (HTTP 500) is retried and delivered exactly once; a hanging receiver delays no other sink', async () => {
    const flaky = await receiver((n) => (n <= 2 ? 500 : 200));
    const slack = await receiver();
    const hang = await receiver('hang');
    const cfg = config(
      `  - { type: webhook, url: "${flaky.url}/hook", on: [all] }
  - { type: teams, url: "${hang.url}/workflows/abc", on: [all], timeout: 4s, retries: 0 }
  - { type: slack, url: "${slack.url}/services/x", on: [all] }
`,
    );
    const order: string[] = [];
    const hub = new NotifyHub(cfg, { clock: systemClock, backoffBaseMs: 50, onOutcome: (s, o) => order.push(`${s.name} ${o.result} ${o.attempts}`) });
    try {
      hub.emit(overallEvent(ctx(), 'GO', undefined));
      expect(await hub.whenIdle(20_000)).toBe(true);
    } finally {
      hub.stop();
    }
    // The hanging sink's outcome comes last: the others did not wait for it.
    expect(order).toHaveLength(3);
    expect(order[2]).toBe('teams#1 failed 1');
    expect(order.slice(0, 2).sort()).toEqual(['slack#2 delivered 1', 'webhook#0 delivered 3']);
    expect(flaky.received.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(flaky.delivered()).toHaveLength(1);
    expect(flaky.delivered()[0]).toMatchObject({ schema: 'warroom.event/v1', event: 'overall', overall: 'NO-GO', actor: 'alice' });
    expect(hang.received).toHaveLength(1);
    const health = hub.health().find((h) => h.name === 'teams#1')!;
    expect(health).toMatchObject({ failing: true, failed: 1 });
    expect(health.lastError).toBe('no answer within 4000 ms');
  });

  it('a redirect to another origin is not followed: the failure names its origin only, never the webhook path', async () => {
    const elsewhere = await receiver();
    // Points every request at another origin.
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/steal` });
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const cfg = config(`  - { type: slack, url: "http://127.0.0.1:${port}/services/T1/B1/redirsecret99", on: [overall], retries: 2 }\n`);
      const [out] = await sendOnce(cfg, overallEvent(ctx(), 'GO', undefined), { timeoutMs: 10_000 });
      expect(out).toMatchObject({ sink: `slack#0 http://127.0.0.1:${port}/…`, result: 'failed', attempts: 1 });
      expect(out!.error).toContain(`redirect to another origin (${elsewhere.url}) not followed`);
      expect(out!.error).not.toContain('redirsecret99');
      expect(elsewhere.received).toHaveLength(0);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
