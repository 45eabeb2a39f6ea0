/** SPEC §9.5: the header shows the weighted score where the room looks, within 80 columns. */
import { describe, expect, it } from 'vitest';
import { renderConsole } from '../helpers/ink.js';
import { testConfig } from '../helpers/config.js';
import { gate } from '../helpers/gates.js';
import { scoreHeaderText } from '../../views/Header.js';

describe('header score', () => {
  it('reads "score N % (pass ≥ P)", rounded down so a near miss never shows the pass mark', () => {
    expect(scoreHeaderText(87.5, 90)).toBe('score 87 % (pass ≥ 90)');
    expect(scoreHeaderText(89.99, 90)).toBe('score 89 % (pass ≥ 90)');
    expect(scoreHeaderText(null, 90)).toBe('score ? % (pass ≥ 90)');
    expect(scoreHeaderText(87.5, 90, true)).toBe('score 87 % (pass >= 90)');
  });

  it('shows the live score beside the light at 80x24, and nothing without decision.score', async () => {
    const gates = [
      gate({ id: 'entropy', go: '>= 0.9', warn: '>= 0.8', metric: 'policy_entropy', severity: 'advisory', weight: 3 }),
      gate({ id: 'errors', go: '<= 0.01', metric: 'err', severity: 'advisory' }),
    ];
    const config = testConfig({ decision: { unknown: 'nogo', warnWhenFailedAtMost: 0, requireSignoffs: [], signoffMaxAge: 3600_000, score: { pass: 90, warning: 75 } } }, gates);
    const ui = await renderConsole({ config, columns: 80, rows: 24 });
    // entropy WARN (½ × 3) + errors PASS (1) = 2.5 of 4 = 62.5 %: below warning, NO-GO.
    await ui.feed({ entropy: 0.85, errors: 0 });
    await ui.flush();
    let lines = ui.frame().split('\n');
    expect(lines[0]).toContain('score 62 % (pass ≥ 90)');
    expect(lines[0]).toContain('NO-GO');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    await ui.feed({ entropy: 0.95, errors: 0 });
    await ui.flush();
    lines = ui.frame().split('\n');
    expect(lines[0]).toContain('score 100 % (pass ≥ 90)');
    expect(lines[0]).toMatch(/\bGO\b/);
    ui.unmount();

    const plain = await renderConsole({ columns: 80, rows: 24 });
    await plain.feed({ entropy: 0.93 });
    expect(plain.frame().split('\n')[0]).not.toContain('score');
    plain.unmount();
  });
});
