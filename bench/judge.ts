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
import { gaussian, uniform } from './random.js';

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



/**
 * Load that hits both tracks at once (a traffic burst, a slow dependency): in 3 % of minutes a spike of
 * +30 … +80 % starts and lasts 1–5 minutes. Both series are multiplied by it, so pairing cancels it and a
 * comparison against the baseline's window median does not.
 */
function sharedLoad(seed: number, minutes: number): number[] {
  const u = uniform(seed ^ 0x5bd1e995);
  const load = new Array<number>(minutes).fill(1);
  for (let m = 0; m < minutes; m++) {
    if (u() >= 0.03) continue;
    const size = 0.3 + 0.5 * u();
    const len = 1 + Math.floor(5 * u());
    for (let k = m; k < Math.min(minutes, m + len); k++) load[k] = Math.max(load[k]!, 1 + size);
  }
  return load;
}

interface Scenario {
  noise: number;
  spikes: boolean;
}

const judge: JudgeConfig = { kind: 'compare', canary: 'c', baseline: 'b', window: WINDOW_MIN * MIN, step: MIN, bad: 'increase', tolerance: 0.1, confidence: 0.95, minSamples: 10 };
// `--for N` measures another `for:` (the contract's default for judged gates is 3 evaluations; the calibration assumes it).
const gate: GateConfig = { id: 'p99', title: 'p99', group: 'g', severity: 'critical', source: 'prom', for: 0, staleAfter: 3 * MIN, judge, forEvaluations: option('--for', 3) };

interface Run {
  /** Minute (1-based look) of the first FAIL shown, or undefined. */
  firstFail?: number;
  /** Minute of the first raw FAIL (before `for:` holds it back). */
  firstRaw?: number;
}

/** One window judged every minute; the canary is `factor(minute)` × the baseline's mean. */
function run({ noise, spikes }: Scenario, seed: number, repeated: boolean, factor: (m: number) => number, looks: number): Run {
  const g = gaussian(seed);
  const load = spikes ? sharedLoad(seed, looks) : new Array<number>(looks).fill(1);
  const c: { t: number; v: number }[] = [];
  const b: { t: number; v: number }[] = [];
  let memory: GateMemory | undefined;
  let firstRaw: number | undefined;
  for (let m = 0; m < looks; m++) {
    const t = m * MIN;
    c.push({ t, v: load[m]! * factor(m) * (1 + noise * g()) });
    b.push({ t, v: load[m]! * (1 + noise * g()) });
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
    for (const sc of [{ noise: 0.1, spikes: false }, { noise: 0.2, spikes: false }, { noise: 0.1, spikes: true }]) {
      let falseAlarms = 0;
      const times: number[] = [];
      const raws: number[] = [];
      let never = 0;
      for (let i = 0; i < trials; i++) {
        if (run(sc, seed0 * 1_000_003 + i, repeated, () => 1, HORIZON_MIN).firstFail !== undefined) falseAlarms++;
        const r = run(sc, seed0 * 7_000_003 + i, repeated, (m) => (m >= ONSET_MIN ? REGRESSION : 1), ONSET_MIN + HORIZON_MIN);
        if (r.firstFail === undefined) never++;
        else times.push(r.firstFail - ONSET_MIN);
        if (r.firstRaw !== undefined) raws.push(r.firstRaw - ONSET_MIN);
      }
      const within = times.filter((x) => x <= 10).length / trials;
      const name = repeated ? 'repeated looks (console)' : 'one window (check)';
      const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
      console.log(`| ${name} | ${sc.noise * 100} %${sc.spikes ? ' + shared load spikes' : ''} | ${pct(falseAlarms / trials)} | ${quantile(times, 0.5)} / ${quantile(times, 0.95)} | ${pct(within)} | ${quantile(raws, 0.5)} / ${quantile(raws, 0.95)} | ${never} |`);
    }
  }
}

main();
