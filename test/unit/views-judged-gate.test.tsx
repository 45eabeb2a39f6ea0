/**
 * A judged gate in the console: the window's samples arrive one scrape at a time, the grid shows the effect
 * with its interval, and the detail shows m, n, medians, shift, p and both series.
 */
import { describe, expect, it } from 'vitest';
import type { JudgeConfig } from '../../src/config/types.js';
import { testConfig } from '../helpers/config.js';
import { gate } from '../helpers/gates.js';
import { renderConsole } from '../helpers/ink.js';

const judge: JudgeConfig = { kind: 'compare', canary: 'lat{track="canary"}', baseline: 'lat{track="stable"}', window: 600_000, step: 5000, bad: 'increase', tolerance: 0.1, confidence: 0.95, minSamples: 10 };
const config = () => testConfig({}, [gate({ id: 'p99_vs_stable', title: 'p99 vs stable', judge, forEvaluations: 3, staleAfter: 15_000 })]);
const wobble = (i: number) => 1 + (((i * 7) % 11) - 5) / 100;

describe('a compare gate in the console', () => {
  it('says not enough data at first, then FAIL with the effect and interval; the detail has the figures', async () => {
    const ui = await renderConsole({ config: config(), rows: 40, columns: 100 });
    await ui.feed({ 'gate:p99_vs_stable': 0.13, 'baseline:p99_vs_stable': 0.1 });
    expect(ui.store.getState().gates.p99_vs_stable?.reason).toContain('not enough data: canary 1, baseline 1');
    for (let i = 1; i < 14; i++) {
      await ui.advance(5000);
      await ui.feed({ 'gate:p99_vs_stable': 0.13 * wobble(i), 'baseline:p99_vs_stable': 0.1 * wobble(i + 4) });
    }
    const f = ui.frame();
    expect(f).toMatch(/NO-GO\s+p99 vs stable\s+\+\d\d% \[\+\d\d%, \+\d\d%\]\s+inc >10%/);
    await ui.press('\r');
    const d = ui.frame();
    if (process.env.SHOW) console.log(f + "\n" + d);
    expect(d).toMatch(/samples\s+canary m=14 median 0\.13\d* · baseline n=14 median 0\.1\d*/);
    expect(d).toMatch(/shift\s+\+0\.0\d+ \[\+0\.0\d+, \+0\.0\d+\] = \+\d\d% \[/);
    expect(d).toMatch(/p\s+\d\.\de-\d+ \(Mann–Whitney/);
    expect(d).toMatch(/series\s+canary [▁▂▃▄▅▆▇█]{14}  baseline [▁▂▃▄▅▆▇█]{14}/);
    ui.unmount();
  });
});
