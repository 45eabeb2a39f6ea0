/**
 * `node dist/bench/judge.js [--trials N] [--seed S] [--repeated-only]`: repeated looks at a compare gate, simulated through the
 * real engine (evaluateGate). A/A windows: canary and baseline from one distribution, 2 h judged every minute;
 * the share of windows that ever show FAIL. A/B windows: 30 min healthy, then the canary 25 % worse; the
 * minutes from the regression's start to the first FAIL shown. Per-minute samples with Gaussian noise of
 * 10 % and 20 % of each series' mean. Rules: the one-window rule of the contract as `check` applies it
 * (30 min window, 10 % tolerance, 95 %, for: 3) and the console's repeated-looks rule (same gate).
 */
import type { GateConfig, JudgeConfig } from '../src/config/types.js';
import type { Reading } from '../src/core/types.js';
import { evaluateGate, type GateMemory } from '../src/engine/gate.js';
import { designAlpha, SEQ_DESIGN_ALPHA, seqThreshold } from '../src/judge/sequential.js';

const MIN = 60_000;
const WINDOW_MIN = 30;
const HORIZON_MIN = 120;
const ONSET_MIN = 30;
const REGRESSION = 1.25;

function option(name: string, def: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) ? v : def;
}

/** Seeded standard normals (mulberry32 + Box–Muller). */
function gaussian(seed: number): () => number {
  let s = seed >>> 0;
  const u = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

const judge: JudgeConfig = { kind: 'compare', canary: 'c', baseline: 'b', window: WINDOW_MIN * MIN, step: MIN, bad: 'increase', tolerance: 0.1, confidence: 0.95, minSamples: 10 };
const gate: GateConfig = { id: 'p99', title: 'p99', group: 'g', severity: 'critical', source: 'prom', for: 0, staleAfter: 3 * MIN, judge, forEvaluations: 3 };

interface Run {
  /** Minute (1-based look) of the first FAIL shown, or undefined. */
  firstFail?: number;
  /** Minute of the first raw FAIL (before `for:` holds it back). */
  firstRaw?: number;
}

/** One window judged every minute; the canary is `factor(minute)` × the baseline's mean. */
function run(noise: number, seed: number, repeated: boolean, factor: (m: number) => number, looks: number): Run {
  const g = gaussian(seed);
  const c: { t: number; v: number }[] = [];
  const b: { t: number; v: number }[] = [];
  let memory: GateMemory | undefined;
  let firstRaw: number | undefined;
  for (let m = 0; m < looks; m++) {
    const t = m * MIN;
    c.push({ t, v: factor(m) * (1 + noise * g()) });
    b.push({ t, v: 1 + noise * g() });
    const from = t - WINDOW_MIN * MIN;
    const reading = (s: typeof c): Reading => {
      const series = s.filter((p) => p.t > from);
      return { value: series[series.length - 1]!.v, observedAt: t, series };
    };
    const out = evaluateGate(gate, { now: t, reading: reading(c), baseline: reading(b), repeated, ...(memory ? { memory } : {}) });
    memory = out.memory;
    if (out.result.raw === 'FAIL' && firstRaw === undefined) firstRaw = m + 1;
    if (out.result.status === 'FAIL') return { firstFail: m + 1, firstRaw: firstRaw! };
  }
  return firstRaw === undefined ? {} : { firstRaw };
}

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
}

function main(): void {
  const trials = option('--trials', 400);
  const seed0 = option('--seed', 25);
  console.log(`# Repeated looks at a compare gate (${trials} windows each; sequential rule: CUSUM, allowance = tolerance, design alpha ${SEQ_DESIGN_ALPHA}; h(k=0.35) = ${seqThreshold(0.35, 120, designAlpha(0.35)).toFixed(2)}, h(k=0.7) = ${seqThreshold(0.7, 120, designAlpha(0.7)).toFixed(2)})`);
  console.log('');
  console.log('| rule | noise | A/A: windows ever FAIL | A/B: median / p95 min to FAIL | A/B: FAIL within 10 min | A/B: median / p95 min to raw FAIL (before for:) | A/B never |');
  console.log('|---|---|---|---|---|---|---|');
  const onlySeq = process.argv.includes('--repeated-only');
  for (const repeated of onlySeq ? [true] : [false, true]) {
    for (const noise of [0.1, 0.2]) {
      let falseAlarms = 0;
      const times: number[] = [];
      const raws: number[] = [];
      let never = 0;
      for (let i = 0; i < trials; i++) {
        if (run(noise, seed0 * 1_000_003 + i, repeated, () => 1, HORIZON_MIN).firstFail !== undefined) falseAlarms++;
        const r = run(noise, seed0 * 7_000_003 + i, repeated, (m) => (m >= ONSET_MIN ? REGRESSION : 1), ONSET_MIN + HORIZON_MIN);
        if (r.firstFail === undefined) never++;
        else times.push(r.firstFail - ONSET_MIN);
        if (r.firstRaw !== undefined) raws.push(r.firstRaw - ONSET_MIN);
      }
      const within = times.filter((x) => x <= 10).length / trials;
      const name = repeated ? 'repeated looks (console)' : 'one window (check)';
      const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
      console.log(`| ${name} | ${noise * 100} % | ${pct(falseAlarms / trials)} | ${quantile(times, 0.5)} / ${quantile(times, 0.95)} | ${pct(within)} | ${quantile(raws, 0.5)} / ${quantile(raws, 0.95)} | ${never} |`);
    }
  }
}

main();
