/** SPEC §9.2 on the websocket source: max_seq_jump and max_firing_alerts, with defaults and line-numbered errors. */
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/load.js';

const yaml = (feed: string) => `version: 1
deployment: { name: d }
sources:
  feed: { type: websocket, url: "ws://127.0.0.1:9200/status"${feed} }
gates:
  - { id: ks, source: feed, key: killswitch.tested, go: "== true" }
`;
const load = (feed: string) => loadConfigText(yaml(feed), { file: '/tmp/w.yaml', env: {} });

describe('websocket source limits', () => {
  it('default to 100000 and 1000', () => {
    const r = load('');
    expect(r.ok && r.config.sources.feed).toMatchObject({ maxSeqJump: 100_000, maxFiringAlerts: 1000 });
  });

  it('take whole positive numbers', () => {
    const r = load(', max_seq_jump: 500, max_firing_alerts: 20');
    expect(r.ok && r.config.sources.feed).toMatchObject({ maxSeqJump: 500, maxFiringAlerts: 20 });
  });

  it('refuse zero, fractions and strings, each with its path and line', () => {
    const r = load(', max_seq_jump: 0, max_firing_alerts: 1.5');
    expect(r.ok).toBe(false);
    const msgs = r.ok ? [] : r.problems.map((p) => `${p.path}@${p.line}: ${p.message}`);
    expect(msgs).toEqual(expect.arrayContaining([expect.stringMatching(/max_seq_jump@4: must be 1 or more/), expect.stringMatching(/max_firing_alerts@4: .*whole number/)]));
    expect(load(', max_seq_jump: lots').ok).toBe(false);
  });

  it('a misspelt key is still an error', () => {
    const r = load(', max_seq_jmp: 5');
    expect(r.ok).toBe(false);
  });
});
