import { describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import stripAnsi from 'strip-ansi';
import { renderConsole } from '../helpers/ink.js';
import { testConfig } from '../helpers/config.js';
import { fitColumns, splitColumns } from '../../views/theme.js';

// The grid is drawn as two multi-line Texts (lights | the rest), which Ink cannot truncate line
// by line: each line must fit the terminal by itself, wide characters from a source included.
describe('grid lines', () => {
  it('fitColumns and splitColumns count terminal columns, not characters', () => {
    expect(fitColumns('abcdef', 4)).toBe('abcd');
    expect(fitColumns('● GO', 10)).toBe('● GO');
    const cjk = fitColumns('漢字漢字漢字', 5);
    expect(stringWidth(cjk)).toBeLessThanOrEqual(5);
    expect(cjk).toBe('漢字');
    expect(splitColumns('Group one', 4)).toEqual({ left: 'Grou', right: 'p one' });
    const s = splitColumns('漢字漢 x', 5);
    expect(stringWidth(s.left)).toBe(5);
    expect(s.left + s.right).toBe('漢字 漢 x');
  });

  it('a wide-character title and group stay within the terminal, with colour on, and every light keeps its word', async () => {
    const config = testConfig();
    config.gates[0]!.title = '方策エントロピー'.repeat(12);
    config.gates[0]!.group = 'グループ'.repeat(40);
    const ui = await renderConsole({ config, columns: 100, rows: 30, theme: { color: true } });
    await ui.feed({ entropy: 0.93, q_spread: 1.5, errors: 0.002, latency: 0.5 });
    const f = stripAnsi(ui.frame());
    // The grid's lines (the event log below truncates through Ink, not here).
    const grid = f.slice(0, f.indexOf('events (newest first)')).split('\n');
    for (const line of grid) expect([stringWidth(line), line]).toEqual([Math.min(stringWidth(line), 100), line]);
    expect(f).toMatch(/› ● GO\s+方策エントロピー/);
    expect(f).toMatch(/● NO-GO\s+On-call ACK/);
    expect(f).toMatch(/^グループ/m);
    expect(f).toContain('Service');
    ui.unmount();
  });
});
