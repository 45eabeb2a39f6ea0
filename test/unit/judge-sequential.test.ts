import { describe, expect, it } from 'vitest';
import { pairUp, SEQ_DESIGN_ALPHA, seqThreshold, seqUpdate, sharedShare } from '../../src/judge/sequential.js';
import type { JudgeSpec, Point } from '../../src/judge/verdict.js';
import { evaluateGate, type GateMemory } from '../../src/engine/gate.js';
import { gate } from '../helpers/gates.js';
import { gaussian } from '../../bench/random.js';

const MIN = 60_000;
const spec: JudgeSpec = { kind: 'compare', window: 30 * MIN, step: MIN, bad: 'increase', tolerance: 0.1, confidence: 0.95, minSamples: 10 };
const wobble = (i: number) => (((i * 7) % 11) - 5) / 50; // -0.1 .. +0.1, mean 0
const pts = (n: number, f: (i: number) => number, from = 0): Point[] => Array.from({ length: n }, (_, i) => ({ t: (from + i) * MIN, v: f(from + i) }));

describe('CUSUM threshold', () => {
  it("matches the published one-sided ARL0 of 336 for h = 4, k = 0.5 (Siegmund's approximation)", () => {
    const looks = 338 * -Math.log(1 - SEQ_DESIGN_ALPHA); // the horizon whose target ARL0 is Siegmund's value at h = 4
    expect(seqThreshold(0.5, looks)).toBeCloseTo(4, 2);
  });
  it('needs a higher threshold for a smaller allowance or a longer horizon', () => {
    expect(seqThreshold(0.35, 120)).toBeGreaterThan(seqThreshold(0.7, 120));
    expect(seqThreshold(0.7, 240)).toBeGreaterThan(seqThreshold(0.7, 120));
  });
});

describe('pairing', () => {
  it('pairs equal times, else the nearest within half a step, each point once', () => {
    expect(pairUp([{ t: 0, v: 1 }, { t: 60, v: 2 }], [{ t: 60, v: 3 }, { t: 0, v: 4 }])).toEqual([{ t: 0, c: 1, b: 4 }, { t: 60, c: 2, b: 3 }]);
    expect(pairUp([{ t: 1000, v: 1 }, { t: 11_000, v: 2 }], [{ t: 3000, v: 5 }, { t: 30_000, v: 6 }], 10_000)).toEqual([{ t: 1000, c: 1, b: 5 }]);
    expect(pairUp([{ t: 0, v: NaN }], [{ t: 0, v: 1 }])).toEqual([]);
  });
});

describe('seqUpdate', () => {
  it('no state before min_samples pairs; one distribution does not alarm', () => {
    expect(seqUpdate(spec, undefined, pts(9, () => 1), pts(9, () => 1))).toBeUndefined();
    const r = seqUpdate(spec, undefined, pts(30, (i) => 1 + wobble(i)), pts(30, (i) => 1 + wobble(i + 5)));
    expect(r?.alarm).toBe(false);
    expect(r?.state.pairs).toBe(30);
  });
  it('a shift well beyond the tolerance alarms; each pair counts once however often it is looked at', () => {
    const b = pts(30, (i) => 1 + wobble(i + 5));
    const healthy = seqUpdate(spec, undefined, pts(20, (i) => 1 + wobble(i)), b.slice(0, 20))!;
    expect(healthy.alarm).toBe(false);
    const again = seqUpdate(spec, healthy.state, pts(20, (i) => 1 + wobble(i)), b.slice(0, 20))!;
    expect(again.state).toEqual(healthy.state);
    const c = [...pts(20, (i) => 1 + wobble(i)), ...pts(10, (i) => 1.5 + wobble(i), 20)];
    const worse = seqUpdate(spec, healthy.state, c, b)!;
    expect(worse.state.pairs).toBe(30);
    expect(worse.alarm).toBe(true);
    expect(worse.stat).toBeGreaterThan(worse.threshold);
  });
});

describe('repeated looks in the engine', () => {
  const g = gate({ id: 'p99', source: 'prom', forEvaluations: 3, staleAfter: 3 * MIN, judge: { kind: 'compare', canary: 'c', baseline: 'b', window: 30 * MIN, step: MIN, bad: 'increase', tolerance: 0.1, confidence: 0.95, minSamples: 10 } });
  const b = pts(90, (i) => 1 + wobble(i + 5) / 5);
  function looks(c: Point[]) {
    let mem: GateMemory | undefined;
    const out: { raw: string; status: string; reason: string }[] = [];
    for (let m = 30; m <= 90; m++) {
      const now = (m - 1) * MIN;
      const win = (s: Point[]) => {
        const series = s.filter((p) => p.t <= now && p.t > now - 30 * MIN);
        return { value: series.at(-1)!.v, observedAt: now, series };
      };
      const r = evaluateGate(g, { now, reading: win(c), baseline: win(b), repeated: true, ...(mem ? { memory: mem } : {}) });
      mem = r.memory;
      out.push(r.result);
    }
    return out;
  }
  it('a real shift within the tolerance is WARN and never FAIL', () => {
    const r = looks([...pts(40, (i) => 1 + wobble(i) / 5), ...pts(50, (i) => 1.05 + wobble(i) / 5, 40)]);
    expect(r.some((x) => x.raw === 'WARN')).toBe(true);
    expect(r.some((x) => x.raw === 'FAIL')).toBe(false);
  });
  it('a shift beyond it: the alarm is raw FAIL with its CUSUM, shown after 3 evaluations', () => {
    const r = looks([...pts(40, (i) => 1 + wobble(i) / 5), ...pts(50, (i) => 1.25 + wobble(i) / 5, 40)]);
    const first = r.findIndex((x) => x.raw === 'FAIL');
    expect(first).toBeGreaterThan(0);
    expect(r[first]!.reason).toMatch(/^FAIL pending 1 of 3 evaluations: canary \+2\d% vs baseline over the last \d+ steps?: sustained beyond tolerance \(CUSUM \d+\.\d of \d+\.\d\); window [+-]\d/);
    expect(r[first]!.status).toBe('PASS');
    expect(r[first + 2]!.status).toBe('FAIL');
  });
  it('one look (check) keeps the one-window rule', () => {
    const c = pts(30, (i) => 1.25 + wobble(i) / 5);
    const one = evaluateGate(g, { now: 29 * MIN, reading: { value: 1, observedAt: 29 * MIN, series: c }, baseline: { value: 1, observedAt: 29 * MIN, series: b.slice(0, 30) } }).result;
    expect(one.status).toBe('FAIL');
    expect(one.reason).toMatch(/: beyond tolerance$/);
  });
});


describe('the shared share of the baseline', () => {
  const pair = (c: (i: number) => number, b: (i: number) => number, n = 30) => Array.from({ length: n }, (_, i) => ({ c: c(i), b: b(i) }));
  it('is the slope of canary on baseline, held to [0, 1]', () => {
    expect(sharedShare(pair((i) => 1 + wobble(i), (i) => 1 + wobble(i)))).toBeCloseTo(1, 6);
    expect(sharedShare(pair((i) => 1 + 0.5 * wobble(i), (i) => 1 + wobble(i)))).toBeCloseTo(0.5, 6);
    expect(sharedShare(pair((i) => 1 - wobble(i), (i) => 1 + wobble(i)))).toBe(0);
    expect(sharedShare(pair((i) => 1 + 3 * wobble(i), (i) => 1 + wobble(i)))).toBe(1);
    expect(sharedShare(pair(() => 1, () => 1))).toBe(0);
  });
  it('a step in the canary level alone barely moves it', () => {
    const g = gaussian(7);
    const b = Array.from({ length: 30 }, () => 1 + 0.1 * g());
    const flat = sharedShare(b.map((v, i) => ({ c: 1 + 0.5 * (v - 1) + wobble(i) / 100, b: v })));
    const stepped = sharedShare(b.map((v, i) => ({ c: 1 + 0.5 * (v - 1) + wobble(i) / 100 + (i >= 15 ? 0.3 : 0), b: v })));
    expect(flat).toBeCloseTo(0.5, 1);
    expect(Math.abs(stepped - flat)).toBeLessThan(0.2);
  });
});

describe('the canary against the pooled baseline level', () => {
  it('with independent noise the difference has about the canary noise, not √2 × (paired)', () => {
    const g = gaussian(25);
    const c = pts(60, () => 1 + 0.1 * g());
    const b = pts(60, () => 1 + 0.1 * g());
    const r = seqUpdate(spec, undefined, c, b)!;
    const paired = c.map((p, i) => p.v - b[i]!.v);
    const vonNeumann = Math.sqrt(paired.slice(1).reduce((s, x, i) => s + (x - paired[i]!) ** 2, 0) / (2 * (paired.length - 1)));
    expect(vonNeumann).toBeGreaterThan(0.12);
    expect(r.sigma).toBeLessThan(0.8 * vonNeumann);
    expect(r.sigma).toBeGreaterThan(0.07);
  });
  it('load hitting both tracks is paired away; the same spike on the canary alone alarms', () => {
    const g = gaussian(3);
    const noise = Array.from({ length: 60 }, () => [0.05 * g(), 0.05 * g()] as const);
    const load = (i: number) => (i >= 40 && i < 45 ? 1.6 : 1);
    const b = pts(60, (i) => load(i) * (1 + noise[i]![1]));
    let shared = seqUpdate(spec, undefined, pts(30, (i) => load(i) * (1 + noise[i]![0])), b.slice(0, 30))!;
    let alone = shared;
    for (let n = 31; n <= 60; n++) {
      shared = seqUpdate(spec, shared.state, pts(n, (i) => load(i) * (1 + noise[i]![0])), b.slice(0, n))!;
      alone = seqUpdate(spec, alone.state, pts(n, (i) => load(i) * (1 + noise[i]![0])), pts(n, (i) => 1 + noise[i]![1]))!;
      expect(shared.alarm).toBe(false);
    }
    expect(alone.state.up).toBeGreaterThan(alone.threshold);
    // The spike's baseline samples stay out of the pooled level.
    expect(shared.state.bN).toBeLessThanOrEqual(55);
    expect(shared.state.bSum! / shared.state.bN!).toBeCloseTo(1, 1);
  });
});
