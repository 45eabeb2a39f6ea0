/** `notify:` in warroom.yaml (SPEC §9.4): strict sinks, line-numbered problems, secrets kept out. */
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/load.js';
import { makeRedactor } from '../../src/util/redactor.js';

const HEAD = `version: 1
deployment: { name: d }
sources:
  ex: { type: scrape, url: "http://127.0.0.1:1/metrics" }
gates:
  - { id: g, source: ex, metric: m, go: ">= 1" }
`;
const load = (notify: string, env: Record<string, string> = {}) => loadConfigText(HEAD + notify, { file: '/srv/warroom.yaml', env });

describe('notify config', () => {
  it('normalizes every sink type with defaults; pagerduty url defaults to events.pagerduty.com', () => {
    const r = load(
      `notify:
  - { type: slack, url: "\${SLACK_WEBHOOK}", on: [overall, kill, status], every: 30m, throttle: 5m }
  - { type: webhook, url: "http://127.0.0.1:7000/hook", on: [all], headers: { X-Token: abc } }
  - { type: pagerduty, routing_key: "\${PD_KEY}", on: [kill, trigger] }
  - { type: teams, url: "https://example.webhook.office.com/workflows/abc", on: [decision], timeout: 2s, retries: 1, queue: 5 }
`,
      { SLACK_WEBHOOK: 'https://hooks.slack.com/services/T0/B0/secretsecret', PD_KEY: 'R0UTINGKEY123' },
    );
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const n = r.config.notify!;
    expect(n.map((s) => s.type)).toEqual(['slack', 'webhook', 'pagerduty', 'teams']);
    expect(n[0]).toMatchObject({ index: 0, every: 30 * 60_000, throttle: 5 * 60_000, timeout: 5000, retries: 3, queue: 100 });
    expect(n[1]!.headers).toEqual({ 'X-Token': 'abc' });
    expect(n[2]).toMatchObject({ url: 'https://events.pagerduty.com', routingKey: 'R0UTINGKEY123' });
    expect(n[3]).toMatchObject({ timeout: 2000, retries: 1, queue: 5, throttle: 0 });
  });

  it('an inline Slack or Teams URL path and a routing key are secrets: redacted from any text', () => {
    const r = load(`notify:
  - { type: slack, url: "https://hooks.slack.com/services/T1/B1/inlinesecret", on: [all] }
  - { type: pagerduty, routing_key: inlinekey1234, on: [kill] }
`);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const red = makeRedactor(r.config);
    const out = red('POST https://hooks.slack.com/services/T1/B1/inlinesecret failed; path /services/T1/B1/inlinesecret; key inlinekey1234');
    expect(out).not.toContain('inlinesecret');
    expect(out).not.toContain('inlinekey1234');
  });

  it('unknown keys, events and sink types are problems with their line', () => {
    const r = load(`notify:
  - { type: slack, url: "https://hooks.slack.com/x", on: [overal] }
  - { type: email, to: a@b }
  - { type: webhook, url: "http://h/x", on: [all], throtle: 5m }
  - { type: slack, url: "https://hooks.slack.com/y", on: [overall], every: 10m }
`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byPath = Object.fromEntries(r.problems.map((p) => [p.path, `${p.line}: ${p.message}`]));
    expect(byPath['notify[0].on[0]']).toMatch(/^8: must be one of overall, trigger/);
    expect(byPath['notify[1].type']).toMatch(/^9: unknown sink type "email": expected one of slack, teams, webhook, pagerduty/);
    expect(byPath["notify[2].throtle"]).toMatch(/^10: unknown key "throtle" \(did you mean "throttle"\?\)/);
    expect(byPath['notify[3].every']).toMatch(/^11: every sends periodic status: add status \(or all\) to on/);
  });
});
