/** Event → request body for every sink type (SPEC §9.4), and the words that explain a decision. */
import { describe, expect, it } from 'vitest';
import type { NotifySinkConfig } from '../../src/config/types.js';
import type { Criterion } from '../../src/engine/criteria.js';
import { overallEvent, type EventContext } from '../../src/notify/compose.js';
import { explainCriterion, sinkLabel, wants } from '../../src/notify/events.js';
import { LedgerEvents } from '../../src/notify/ledgerEvents.js';
import { pagerdutyRequest } from '../../src/notify/payloads/pagerduty.js';
import { slackBody } from '../../src/notify/payloads/slack.js';
import { ADAPTIVE_CARD, teamsBody } from '../../src/notify/payloads/teams.js';
import { webhookBody } from '../../src/notify/payloads/webhook.js';
import type { LedgerLine } from '../../src/audit/types.js';

const T = Date.parse('2026-11-23T14:05:00Z');
const crit = (over: Partial<Criterion>): Criterion => ({ id: 'g', title: 'G', group: 'General', severity: 'critical', status: 'PASS', value: 1, threshold: '>= 1', observed_at: null, reason: 'ok', ...over });
const entropy = crit({ id: 'entropy', title: 'Policy entropy', status: 'FAIL', value: 0.71, threshold: '>= 0.9', reason: 'below go' });
const ctx: EventContext = {
  config: { deployment: { name: 'rl-policy-v42', environment: 'production' } },
  now: T,
  actor: 'alice',
  overall: 'NO-GO',
  reasons: ['critical FAIL: entropy'],
  criteria: [entropy, crit({ id: 'errors', value: 0.001, threshold: '<= 0.01' })],
  influencePct: 10,
};
const sink = (over: Partial<NotifySinkConfig>): NotifySinkConfig => ({ type: 'webhook', index: 0, url: 'http://127.0.0.1:1/hook', headers: {}, on: ['all'], throttle: 0, timeout: 5000, retries: 3, queue: 100, ...over });

describe('notify events', () => {
  it('a NO-GO names gate, value, threshold and severity; the actor is on the event', () => {
    const e = overallEvent(ctx, 'GO', 'rl-policy-v42/overall/1');
    expect(e.title).toBe('NO-GO: entropy = 0.71 fails >= 0.9 (critical)');
    expect(e.actor).toBe('alice');
    expect(e.gates.map((g) => g.id)).toEqual(['entropy']);
    expect(e.pager).toEqual({ kind: 'alert', action: 'trigger', key: 'rl-policy-v42/overall/1' });
    expect(explainCriterion(crit({ id: 'feed', status: 'UNKNOWN', reason: 'stale: no sample for 40s' }))).toBe('feed UNKNOWN (critical): stale: no sample for 40s');
  });

  it('on: filters, and labels show the origin only', () => {
    expect(wants({ on: ['all'] }, 'status')).toBe(true);
    expect(wants({ on: ['kill', 'trigger'] }, 'overall')).toBe(false);
    expect(sinkLabel({ type: 'slack', index: 2, url: 'https://hooks.slack.com/services/T/B/secret' })).toBe('slack#2 https://hooks.slack.com/…');
  });
});

describe('payloads', () => {
  const e = overallEvent(ctx, 'GO', 'ep1');

  it('slack: header, section, context blocks and a text fallback; mrkdwn is escaped', () => {
    const b = slackBody({ ...e, lines: ['<!channel> & co'] });
    // The top-level text is mrkdwn as well: & < > escaped (Slack shows them as the characters).
    expect(b.text).toBe('[rl-policy-v42/production] NO-GO: entropy = 0.71 fails &gt;= 0.9 (critical)');
    expect(slackBody({ ...e, title: '<!channel> <https://evil.example|Approve>' }).text).toBe('[rl-policy-v42/production] &lt;!channel&gt; &lt;https://evil.example|Approve&gt;');
    expect(b.blocks.map((x) => x.type)).toEqual(['header', 'section', 'context']);
    expect(b.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: e.title, emoji: false } });
    const section = (b.blocks[1] as { text: { type: string; text: string } }).text;
    expect(section.type).toBe('mrkdwn');
    expect(section.text).toContain('&lt;!channel&gt; &amp; co');
    expect(section.text).toContain('FAIL entropy = 0.71 fails &gt;= 0.9 (critical)');
    const ctxTexts = (b.blocks[2] as { elements: { text: string }[] }).elements.map((x) => x.text);
    expect(ctxTexts.join(' ')).toContain('actor alice');
  });

  it('slack: a header over 150 characters is cut', () => {
    const b = slackBody({ ...e, title: 'x'.repeat(400) });
    expect((b.blocks[0] as { text: { text: string } }).text.text.length).toBe(150);
  });

  it('teams: a message with one Adaptive Card attachment', () => {
    const b = teamsBody(e);
    expect(b.type).toBe('message');
    expect(b.attachments).toHaveLength(1);
    expect(b.attachments[0]!.contentType).toBe(ADAPTIVE_CARD);
    expect(b.attachments[0]!.content.type).toBe('AdaptiveCard');
    expect(JSON.stringify(b.attachments[0]!.content.body)).toContain('entropy = 0.71 fails >= 0.9 (critical)');
  });

  it('teams: room text cannot make a link or emphasis (title, lines, facts)', () => {
    const evil = '[Approve](https://evil.example/x) *now* <https://evil.example> `code` a\\b';
    const escaped = String.raw`\[Approve\]\(https://evil.example/x) \*now\* \<https://evil.example> \`code\` a\\b`;
    const body = teamsBody({ ...e, title: evil, lines: [evil], actor: evil }).attachments[0]!.content.body as { text?: string; facts?: { title: string; value: string }[] }[];
    expect(body[0]!.text).toBe(escaped);
    expect(body[1]!.text).toBe(escaped);
    expect(body.find((x) => x.facts)!.facts!.find((f) => f.title === 'Actor')!.value).toBe(escaped);
    // Ordinary text is left readable.
    expect(teamsBody(e).attachments[0]!.content.body[0]).toMatchObject({ text: 'NO-GO: entropy = 0.71 fails >= 0.9 (critical)' });
  });

  it('webhook: exactly warroom.event/v1', () => {
    const b = webhookBody(e);
    expect(Object.keys(b)).toEqual(['schema', 'event', 'deployment', 'environment', 'overall', 'actor', 'ts', 'gates', 'detail']);
    expect(b).toMatchObject({ schema: 'warroom.event/v1', event: 'overall', deployment: 'rl-policy-v42', environment: 'production', overall: 'NO-GO', actor: 'alice', ts: '2026-11-23T14:05:00.000Z' });
    expect(b.gates[0]).toMatchObject({ id: 'entropy', status: 'FAIL', value: 0.71, threshold: '>= 0.9' });
    expect(b.detail.summary).toBe(e.title);
  });

  it('pagerduty: trigger then resolve with one dedup_key; events with no pager meaning give no request', () => {
    const pd = sink({ type: 'pagerduty', url: 'http://127.0.0.1:9/pd', routingKey: 'RK' });
    const t = pagerdutyRequest(e, pd)!;
    expect(t.url).toBe('http://127.0.0.1:9/pd/v2/enqueue');
    expect(t.body).toMatchObject({ routing_key: 'RK', event_action: 'trigger', dedup_key: 'ep1', payload: { severity: 'error', source: 'warroom/rl-policy-v42', component: 'rl-policy-v42', group: 'production', class: 'overall', timestamp: '2026-11-23T14:05:00.000Z' } });
    const back = overallEvent({ ...ctx, overall: 'GO', reasons: [], criteria: [] }, 'NO-GO', 'ep1');
    expect(pagerdutyRequest(back, pd)!.body).toEqual({ routing_key: 'RK', event_action: 'resolve', dedup_key: 'ep1' });
    expect(pagerdutyRequest({ ...e, pager: undefined }, pd)).toBeUndefined();
  });
});

describe('ledger lines → events', () => {
  const line = (l: Record<string, unknown>): LedgerLine => ({ schema: 'warroom.ledger/v1', seq: 1, ts: '2026-11-23T14:06:00.000Z', deployment: 'rl-policy-v42', environment: 'production', prev_hash: 'p', hash: 'h', ...l }) as unknown as LedgerLine;

  it('a trigger episode is one PagerDuty key from raise to clear; a new raise is a new key', () => {
    const d = new LedgerEvents();
    const raise = d.event(line({ type: 'trigger', phase: 'raised', gate: 'entropy', mode: 'prompt', value: 0.71, threshold: '>= 0.9', actor: 'warroom' }), ctx)!;
    expect(raise.title).toBe('ROLLBACK TRIGGER raised: entropy = 0.71 fails >= 0.9 (prompt)');
    const clear = d.event(line({ type: 'trigger', phase: 'cleared', gate: 'entropy', mode: 'prompt', value: 0.95, threshold: '>= 0.9', actor: 'warroom' }), ctx)!;
    expect(raise.pager).toMatchObject({ action: 'trigger' });
    expect(clear.pager).toEqual({ kind: 'alert', action: 'resolve', key: (raise.pager as { key: string }).key });
    const again = d.event(line({ type: 'trigger', phase: 'raised', gate: 'entropy', mode: 'prompt', value: 0.7, threshold: '>= 0.9', actor: 'warroom', ts: '2026-11-23T15:00:00.000Z' }), ctx)!;
    expect((again.pager as { key: string }).key).not.toBe((raise.pager as { key: string }).key);
  });

  it('a kill: requested triggers, verified resolves the same key; retries and remote copies are not news', () => {
    const d = new LedgerEvents();
    const k = { type: 'action', action: 'kill_switch', from_pct: 25, to_pct: 0, reason: 'entropy collapse', idempotency_key: 'k1', actor: 'bob', role: 'on_call' };
    const req = d.event(line({ ...k, phase: 'requested' }), ctx)!;
    expect(req.title).toBe('KILL-SWITCH 25% → 0% requested by bob');
    expect(req.event).toBe('kill');
    expect(req.pager).toEqual({ kind: 'alert', action: 'trigger', key: 'rl-policy-v42/kill/k1' });
    expect(d.event(line({ ...k, phase: 'verified' }), ctx)!.pager).toEqual({ kind: 'alert', action: 'resolve', key: 'rl-policy-v42/kill/k1' });
    expect(d.event(line({ ...k, phase: 'sent', error: 'HTTP 503', attempt: 1 }), ctx)).toBeUndefined();
    expect(d.event(line({ type: 'signoff', role: 'on_call', actor: 'carol', remote_line: {} }), ctx)).toBeUndefined();
  });

  it('a verified influence change is a PagerDuty change event', () => {
    const d = new LedgerEvents();
    const e = d.event(line({ type: 'action', action: 'set_influence', phase: 'verified', from_pct: 10, to_pct: 25, reason: 'advance to 25%', idempotency_key: 'i1', actor: 'alice' }), ctx)!;
    expect(e.event).toBe('influence');
    const r = pagerdutyRequest(e, sink({ type: 'pagerduty', url: 'https://events.pagerduty.com', routingKey: 'RK' }))!;
    expect(r.url).toBe('https://events.pagerduty.com/v2/change/enqueue');
    expect(r.body).toMatchObject({ routing_key: 'RK', payload: { summary: '[rl-policy-v42/production] influence 10% → 25% verified by alice' } });
  });

  it('a runbook outcome is a runbook event naming its params and the gate it remedies; failed is an error', () => {
    const d = new LedgerEvents();
    const rb = { type: 'action', action: 'runbook', runbook: 'downshift', params: { mode: 'balanced' }, gate: 'entropy', reason: 'remedy for entropy', idempotency_key: 'r1', actor: 'alice' };
    expect(d.event(line({ ...rb, phase: 'requested' }), ctx)).toBeUndefined();
    const ok = d.event(line({ ...rb, phase: 'verified' }), ctx)!;
    expect(ok).toMatchObject({ event: 'runbook', severity: 'info', title: 'RUNBOOK downshift (mode=balanced) as the remedy for entropy verified by alice', detail: { runbook: 'downshift', params: { mode: 'balanced' }, gate: 'entropy' } });
    expect(ok.gates.map((g) => g.id)).toEqual(['entropy']);
    expect(d.event(line({ ...rb, phase: 'failed', error: 'HTTP 500' }), ctx)).toMatchObject({ event: 'runbook', severity: 'error', title: 'RUNBOOK downshift (mode=balanced) as the remedy for entropy FAILED by alice' });
  });
});
