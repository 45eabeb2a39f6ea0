/**
 * A compare gate in the real console (tmux) against the simulator: canary-healthy stays GO with its effect and
 * interval on the grid; canary-regression (+25 % canary p99) turns it NO-GO, and the detail shows the figures.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { lineWith, overall, setScenario, startConsole, startSim, writeE2eConfig } from '../helpers/e2e.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const light = (screen: string) => /● (GO|WARN|NO-GO|\?|WAIVED)\s/.exec(lineWith(screen, 'p99 vs stable'))?.[1];

describe('compare gate in the console (real binary, simulator)', () => {
  it('healthy canary: GO with its effect; a 25 % regression: NO-GO, detail with m, n, shift, p and sparklines', async () => {
    const sim = await startSim({ scenario: 'canary-healthy', speed: 20 });
    cleanups.push(() => sim.stop());
    const ws = writeE2eConfig(sim, {
      gates: [{
        id: 'p99_vs_stable', title: 'p99 vs stable', source: 'exporter',
        compare: { canary: 'sim_track_latency_p99_seconds{track="canary"}', baseline: 'sim_track_latency_p99_seconds{track="stable"}', window: '1m', bad: 'increase', tolerance: '10%', min_samples: 10 },
      }],
    });
    cleanups.push(() => ws.cleanup());
    const t = startConsole(ws.configPath, { cols: 120, rows: 40 });
    cleanups.push(() => t.stop());

    const healthy = await t.waitFor((s) => light(s) === 'GO', 30_000, 'p99 vs stable GO after min_samples');
    expect(lineWith(healthy, 'p99 vs stable')).toMatch(/[+-]\d+(\.\d)?% \[[+-]\d+(\.\d)?%, [+-]\d+(\.\d)?%\]\s+inc >10%/);

    await setScenario(sim, 'canary-regression');
    const failed = await t.waitFor((s) => light(s) === 'NO-GO', 40_000, 'p99 vs stable NO-GO');
    expect(overall(failed)).toBe('NO-GO');
    t.send('Enter');
    const detail = await t.waitFor(/shift\s+\+/, 5000, 'the detail');
    if (process.env.SHOW) console.log(detail);
    expect(detail).toMatch(/samples\s+canary m=\d+ median 0\.\d+ · baseline n=\d+ median 0\.1\d*/);
    expect(detail).toMatch(/reason\s+canary \+\d+% vs baseline over the last \d+ steps?: sustained beyond tolerance \(CUSUM/);
    expect(detail).toMatch(/p\s+\d/);
    expect(detail).toMatch(/series\s+canary [▁▂▃▄▅▆▇█]{10,}  baseline [▁▂▃▄▅▆▇█]{10,}/);
  }, 90_000);
});
