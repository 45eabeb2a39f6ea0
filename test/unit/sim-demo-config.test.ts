import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { FakeClock } from '../../src/core/clock.js';
import { SimModel } from '../../src/sim/model.js';
import { renderExposition } from '../../src/sim/exposition.js';

const file = fileURLToPath(new URL('../../config/demo.yaml', import.meta.url));
const text = readFileSync(file, 'utf8');

interface Gate { id: string; source: string; metric?: string; key?: string; group?: string }
const doc = parse(text) as {
  sources: Record<string, { type: string; url?: string }>;
  gates: Gate[];
  actions: Record<string, { http: { url: string; body: Record<string, unknown> }; verify: { metric: string } }>;
  influence: { source: string; metric: string };
  ramp: { max_step: number; stages: Array<{ influence: number }> };
  decision: { require_signoffs: string[] };
};

describe('config/demo.yaml against the simulator', () => {
  it('uses no environment variables and only the loopback sim port', () => {
    expect(text).not.toContain('${');
    const urls = [...text.matchAll(/(?:https?|ws):\/\/[^\s"']+/g)].map((m) => m[0]);
    expect(urls.length).toBeGreaterThanOrEqual(4);
    for (const u of urls) expect(u).toMatch(/^(?:http|ws):\/\/127\.0\.0\.1:9108\//);
  });

  it('every exporter metric it reads is one the simulator exports', () => {
    const clock = new FakeClock();
    const expo = renderExposition(new SimModel({ clock }).snapshot());
    const series = new Set(expo.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.slice(0, l.lastIndexOf(' '))));
    const names = new Set([...series].map((s) => s.replace(/\{.*$/, '')));
    const wanted = [
      ...doc.gates.filter((g) => g.source === 'exporter').map((g) => g.metric!),
      doc.influence.metric,
      ...Object.values(doc.actions).map((a) => a.verify.metric),
    ];
    expect(wanted.length).toBeGreaterThanOrEqual(7);
    for (const m of wanted) expect(m.includes('{') ? series.has(m) : names.has(m), m).toBe(true);
  });

  it('has the groups, feed key, ramp and actions the demo relies on', () => {
    expect(new Set(doc.gates.map((g) => g.group))).toEqual(new Set(['Policy health', 'Service', 'Readiness', 'Alerting & Monitoring']));
    expect(doc.gates.find((g) => g.source === 'feed')?.key).toBe('killswitch.tested');
    expect(doc.ramp.stages.map((s) => s.influence)).toEqual([10, 25, 50, 100]);
    expect(doc.ramp.max_step).toBe(25);
    expect(doc.decision.require_signoffs).toEqual(['on_call']);
    expect(doc.actions.kill_switch!.http.url).toBe('http://127.0.0.1:9108/admin/kill-switch');
    expect(doc.actions.set_influence!.http.body).toEqual({ pct: '{{pct}}' });
  });
});
