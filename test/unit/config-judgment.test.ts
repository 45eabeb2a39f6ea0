import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/load.js';
import { yamlConfigs } from '../helpers/config.js';

const HEAD = `version: 1
deployment: { name: d }
sources:
  prom: { type: prometheus, url: "http://127.0.0.1:9090" }
  exp: { type: scrape, url: "http://127.0.0.1:9108/metrics", interval: 5s }
  cmd: { type: command, argv: ["true"] }
gates:
`;
const { ok, bad } = yamlConfigs(HEAD);

describe('compare: and trend: gates', () => {
  it('normalises a compare gate (fractions, ms, for: 3 evaluations by default)', () => {
    const c = ok(`  - id: p99_vs_stable
    source: prom
    compare:
      canary: 'q{track="canary"}'
      baseline: 'q{track="stable"}'
      window: 30m
      step: 1m
      bad: increase
      tolerance: 10%
      confidence: 95%
      min_samples: 10
`);
    expect(c.gates[0]).toMatchObject({
      id: 'p99_vs_stable', severity: 'critical', forEvaluations: 3, for: 0,
      judge: { kind: 'compare', canary: 'q{track="canary"}', baseline: 'q{track="stable"}', window: 1_800_000, step: 60_000, bad: 'increase', tolerance: 0.1, confidence: 0.95, minSamples: 10 },
    });
  });
  it('a trend gate with defaults; a scrape trend is sampled at the source interval; an explicit for: replaces the 3 evaluations', () => {
    const c = ok(`  - { id: reward, source: prom, trend: { query: 'rl_reward_ma{window="100"}', window: 2h, step: 5m, bad: decrease, tolerance: 2%/h } }
  - { id: cost, source: exp, for: 1m, trend: { metric: cost_usd_hourly, window: 10m, tolerance: 50%/h } }
`);
    expect(c.gates[0]!.judge).toEqual({ kind: 'trend', series: 'rl_reward_ma{window="100"}', window: 7_200_000, step: 300_000, bad: 'decrease', tolerance: 0.02, confidence: 0.95, minSamples: 10 });
    expect(c.gates[1]!.judge).toMatchObject({ series: 'cost_usd_hourly', step: 5000, bad: 'either', tolerance: 0.5 });
    expect(c.gates[1]).toMatchObject({ for: 60_000, forEvaluations: 0 });
  });
  it('a confidence and a decision score are percentages with the sign, each range and message its own', () => {
    const p = bad(`  - { id: c, source: prom, compare: { canary: c, baseline: b, window: 30m, confidence: 40% } }
  - { id: d, source: prom, trend: { query: q, window: 30m, tolerance: 2%/h, confidence: 0.95 } }
decision:
  score: { pass: 120%, warning: 75 }
`);
    const at = (path: string) => p.find((x) => x.path === path)?.message;
    expect(at('gates[0].compare.confidence')).toBe('expected a confidence from 50% to 99.9% like "95%", got "40%"');
    expect(at('gates[1].trend.confidence')).toBe('expected a confidence from 50% to 99.9% like "95%", got number 0.95');
    expect(at('decision.score.pass')).toBe('expected a percentage from 0% to 100% like "90%", got "120%"');
    expect(at('decision.score.warning')).toBe('expected a percentage from 0% to 100% like "90%", got number 75');
    const c = ok(`  - { id: c, source: prom, compare: { canary: c, baseline: b, window: 30m, tolerance: 10%, confidence: 99.9% } }
decision:
  score: { pass: 100%, warning: 0% }
`);
    expect((c.gates[0]!.judge as { confidence: number }).confidence).toBeCloseTo(0.999, 12);
    expect(c.decision?.score).toMatchObject({ pass: 100, warning: 0 });
  });

  it('refuses a short window, a tolerance outside 0–1000 %, a confidence outside 50–99.9 %, each with its line', () => {
    const p = bad(`  - id: a
    source: prom
    compare:
      canary: c
      baseline: b
      window: 5m
      step: 1m
      tolerance: 1200%
      confidence: 99.95%
  - id: b
    source: prom
    trend: { query: q, window: 1h, step: 5m, tolerance: 2% }
  - id: c
    source: prom
    compare: { canary: c, baseline: b, window: 30m, tolerance: -5%, confidence: 40% }
`);
    const at = (path: string) => p.find((x) => x.path === path);
    expect(at('gates[0].compare.tolerance')).toMatchObject({ line: 15, message: expect.stringContaining('0% to 1000%') });
    expect(at('gates[0].compare.confidence')).toMatchObject({ line: 16, message: expect.stringContaining('50% to 99.9%') });
    expect(at('gates[1].trend.tolerance')?.message).toContain('per hour');
    expect(at('gates[2].compare.tolerance')?.line).toBe(22);
    expect(at('gates[2].compare.confidence')?.line).toBe(22);
    // The window problem is found once the fields parse: alone it carries its own line.
    const w = bad(`  - id: a
    source: prom
    compare:
      canary: c
      baseline: b
      window: 5m
      step: 1m
      tolerance: 10%
`);
    expect(w).toEqual([expect.objectContaining({ path: 'gates[0].compare.window', line: 13, message: expect.stringContaining('shorter than min_samples (10) × step (1m) = 10m') })]);
  });
  it('refuses threshold keys on a judged gate, both kinds at once, and sources without series', () => {
    const p = bad(`  - { id: a, source: prom, go: "< 1", compare: { canary: c, baseline: b, window: 30m, tolerance: 10% }, trend: { query: q, window: 2h, step: 5m, tolerance: 1%/h } }
  - { id: b, source: cmd, trend: { window: 2h, tolerance: 1%/h } }
  - { id: c, source: exp, compare: { canary: c, baseline: b, window: 30m, step: 1m, tolerance: 10% } }
`);
    const paths = p.map((x) => x.path);
    expect(paths).toEqual(expect.arrayContaining(['gates[0].trend', 'gates[0].go', 'gates[1].source', 'gates[2].compare.step']));
    expect(p.find((x) => x.path === 'gates[1].source')?.message).toContain('prometheus, scrape or websocket');
  });
});

describe('the bundled canary config', () => {
  it('is valid', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('../../config/canary.yaml', import.meta.url), 'utf8');
    const r = loadConfigText(text, { file: '/x/canary.yaml', env: {} });
    expect(r.ok ? r.config.gates[0]!.judge : r.problems).toMatchObject({ kind: 'compare', window: 120_000, step: 2000 });
  });
});

describe('probes of judged gates', () => {
  it('prometheus: two range probes; scrape: the two metrics as ordinary probes', async () => {
    const { probesBySource } = await import('../../src/engine/probes.js');
    const c = ok(`  - { id: a, source: prom, compare: { canary: 'c{t="1"}', baseline: 'b', window: 30m, step: 1m, tolerance: 10% } }
  - { id: t, source: exp, trend: { metric: m, window: 2m, tolerance: 1%/h } }
`);
    const p = probesBySource(c);
    expect(p.prom).toEqual([
      { id: 'gate:a', query: 'c{t="1"}', range: { window: 1_800_000, step: 60_000, role: 'canary' } },
      { id: 'baseline:a', query: 'b', range: { window: 1_800_000, step: 60_000, role: 'baseline' } },
    ]);
    expect(p.exp).toEqual([{ id: 'gate:t', metric: 'm' }]);
  });
});
