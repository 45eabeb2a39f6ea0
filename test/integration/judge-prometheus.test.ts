/**
 * compare: and trend: gates against a real Prometheus holding hours of history (backfilled with promtool),
 * through the compiled binary: `check --format json --strict`.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startBackfilledPrometheus, type BackfillSeries } from '../helpers/promBackfill.js';
import type { TestPrometheus } from '../helpers/prometheus.js';
import { mulberry32 } from '../../bench/random.js';

const NOW = Date.now();
const H = 3_600_000;
const EVERY = 15_000;

function series(name: string, seed: number, f: (t: number, u: number) => number): BackfillSeries {
  const raw = mulberry32(seed);
  // Deterministic noise in [-1, 1).
  const r = () => (raw() / 4294967296) * 2 - 1;
  const points: { t: number; v: number }[] = [];
  for (let t = NOW - 3 * H; t <= NOW - 5000; t += EVERY) points.push({ t, v: Number(f(t, r()).toFixed(6)) });
  return { series: name, points };
}
const p99 = (factor: number) => (_t: number, u: number) => 0.18 * factor * (1 + 0.1 * u);

let prom: TestPrometheus;
let dir: string;

beforeAll(async () => {
  prom = await startBackfilledPrometheus({
    lat_p99: [series('lat_p99{track="canary"}', 1, p99(1)), series('lat_p99{track="stable"}', 2, p99(1))],
    reg_p99: [series('reg_p99{track="canary"}', 3, p99(1.25)), series('reg_p99{track="stable"}', 4, p99(1))],
    nan_p99: [series('nan_p99{track="canary"}', 5, (t, u) => (Math.floor(t / 60_000) % 7 === 0 ? NaN : p99(1.25)(t, u))), series('nan_p99{track="stable"}', 6, p99(1))],
    reward_ma: [series('reward_ma', 7, (t, u) => 100 - (5 * (t - (NOW - 3 * H))) / H + 0.3 * u)],
    flat_reward: [series('flat_reward', 8, (_t, u) => 100 + 0.3 * u)],
  });
  await prom.waitForSeries('reward_ma');
  dir = await mkdtemp(join(tmpdir(), 'warroom-judge-'));
}, 90_000);
afterAll(async () => {
  await prom?.stop();
});

const compare = (id: string, canary: string, baseline: string) => `  - id: ${id}
    source: prom
    compare: { canary: '${canary}', baseline: '${baseline}', window: 30m, step: 1m, bad: increase, tolerance: 10%, confidence: 95% }
`;

/** A config of `gates` against the test's Prometheus, written to a file of its own. */
async function configFile(gates: string): Promise<string> {
  const file = join(dir, `w${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, `version: 1
deployment: { name: canary-test, environment: test }
sources:
  prom: { type: prometheus, url: ${prom.url}, interval: 15s, timeout: 5s }
gates:
${gates}`);
  return file;
}

async function check(gates: string) {
  const file = await configFile(gates);
  const r = await runCli(['check', '--config', file, '--format', 'json', '--strict'], { env: { WARROOM_ACTOR: 'ci' } });
  const report = JSON.parse(r.stdout) as { overall: string; criteria: { id: string; status: string; reason: string; value_text?: string; judgment?: Record<string, unknown> }[] };
  return { code: r.code, report, by: (id: string) => report.criteria.find((c) => c.id === id)! };
}

describe('judged gates on a real Prometheus with history', () => {
  it('a 25 % canary regression FAILs with its effect and interval; one distribution PASSes', async () => {
    const r = await check(compare('healthy', 'lat_p99{track="canary"}', 'lat_p99{track="stable"}') + compare('regression', 'reg_p99{track="canary"}', 'reg_p99{track="stable"}'));
    expect(r.code).toBe(2);
    expect(r.by('healthy').status).toBe('PASS');
    const reg = r.by('regression');
    expect(reg.status).toBe('FAIL');
    expect(reg.judgment).toMatchObject({ kind: 'compare', m: 31, n: 31 });
    const j = reg.judgment as { effect: number; ci: [number, number]; p: number; shift: number };
    expect(j.effect).toBeGreaterThan(0.18);
    expect(j.effect).toBeLessThan(0.32);
    expect(j.ci[0]).toBeGreaterThan(0);
    expect(j.ci[0]).toBeLessThanOrEqual(j.shift);
    expect(j.p).toBeLessThan(1e-4);
    expect(reg.value_text).toMatch(/^\+2\d% \[\+\d+%, \+\d+%\] vs baseline$/);
  }, 30_000);

  it('check text shows the effect and its interval whole', async () => {
    const file = await configFile(compare('regression', 'reg_p99{track="canary"}', 'reg_p99{track="stable"}'));
    const r = await runCli(['check', '--config', file], { env: { WARROOM_ACTOR: 'ci' } });
    expect(r.stdout).toMatch(/\[FAIL\]\s+regression\s+\+2\d% \[\+\d+%, \+\d+%\] vs baseline\s+increase > 10% @95%\s+canary \+2\d% /);
  }, 30_000);

  it('NaN samples are dropped and counted; the verdict still stands', async () => {
    const r = await check(compare('nan', 'nan_p99{track="canary"}', 'nan_p99{track="stable"}'));
    const c = r.by('nan');
    expect(c.status).toBe('FAIL');
    expect((c.judgment as { dropped: number; m: number }).dropped).toBeGreaterThan(0);
    expect((c.judgment as { m: number }).m).toBeLessThan(31);
    expect(c.reason).toMatch(/\d+ NaN\/Inf samples? dropped/);
  }, 30_000);

  it('a query with two series, a bad query and an empty one are UNKNOWN with their reason', async () => {
    const r = await check(compare('many', 'lat_p99', 'lat_p99{track="stable"}') + compare('badql', 'lat_p99{', 'lat_p99{track="stable"}') + compare('none', 'nothing_here', 'lat_p99{track="stable"}'));
    expect(r.code).toBe(2);
    expect(r.by('many')).toMatchObject({ status: 'UNKNOWN', reason: 'canary: returns 2 series; compare needs one per side — aggregate it' });
    expect(r.by('badql').status).toBe('UNKNOWN');
    expect(r.by('badql').reason).toMatch(/^canary: PromQL error: .*parse error/);
    expect(r.by('none').reason).toBe('canary: returns no series in the window; compare needs one per side');
  }, 30_000);

  it('a 2-hour trend: a reward falling 5 %/h FAILs a 2 %/h tolerance; a flat one PASSes', async () => {
    const r = await check(`  - { id: falling, source: prom, trend: { query: reward_ma, window: 2h, step: 5m, bad: decrease, tolerance: 2%/h, confidence: 95% } }
  - { id: flat, source: prom, trend: { query: flat_reward, window: 2h, step: 5m, bad: decrease, tolerance: 2%/h } }
`);
    const f = r.by('falling');
    expect(f.status).toBe('FAIL');
    expect(f.judgment).toMatchObject({ kind: 'trend', n: 25 });
    const j = f.judgment as { slope: number; ci: [number, number]; relative: number };
    expect(j.slope).toBeCloseTo(-5, 0);
    expect(j.ci[1]).toBeLessThan(0);
    expect(j.relative).toBeLessThan(-0.02);
    expect(f.value_text).toMatch(/^-5\.\d%\/h \[/);
    expect(r.by('flat').status).toBe('PASS');
  }, 30_000);

  it('check --watch looks again and again: the repeated-looks rule FAILs the regression, with its CUSUM', async () => {
    const file = await configFile(compare('regression', 'reg_p99{track="canary"}', 'reg_p99{track="stable"}'));
    const r = await runCli(['check', '--config', file, '--watch', '--interval', '300ms', '--fail-after', '1s', '--timeout', '20s', '--format', 'json'], { env: { WARROOM_ACTOR: 'ci' }, timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    const final = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { event: string; criteria: { status: string; reason: string; judgment?: { kind: string } }[] };
    expect(final.event).toBe('final');
    expect(final.criteria[0]).toMatchObject({ status: 'FAIL', judgment: { kind: 'compare' } });
    expect(final.criteria[0]!.reason).toMatch(/^canary \+2\d% vs baseline over the last \d+ steps: sustained beyond tolerance \(CUSUM \d+\.\d of \d+\.\d\); window \+2\d% \[/);
  }, 40_000);

  it('Prometheus down is the source\'s error', async () => {
    const file = join(dir, 'down.yaml');
    await writeFile(file, `version: 1
deployment: { name: d }
sources:
  prom: { type: prometheus, url: http://127.0.0.1:9, interval: 15s, timeout: 2s }
gates:
${compare('x', 'a', 'b')}`);
    const r = await runCli(['check', '--config', file, '--format', 'json'], { env: { WARROOM_ACTOR: 'ci' } });
    const c = (JSON.parse(r.stdout) as { criteria: { status: string; reason: string }[] }).criteria[0]!;
    expect(c.status).toBe('UNKNOWN');
    expect(c.reason).toMatch(/^source prom down: .*127\.0\.0\.1:9/);
  }, 30_000);
});
