import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'react';
import type { Flow, FlowContext } from '../../src/flows/types.js';
import { CTRL_K, ENTER, run } from './flows-helpers.js';

// Colour must be forced before chalk (via ink) loads, so the colour assertions can see SGR codes.
process.env.FORCE_COLOR = '1';
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
const { render } = await import('ink-testing-library');
const { PromptPanel } = await import('../../views/PromptPanel.js');

const mounted: { unmount: () => void }[] = [];
afterEach(() => {
  while (mounted.length) mounted.pop()!.unmount();
});

async function show(flow: Flow, ctx: FlowContext, opts: { width?: number; ascii?: boolean; color?: boolean } = {}) {
  let r!: ReturnType<typeof render>;
  await act(async () => {
    r = render(<PromptPanel flow={flow} ctx={ctx} width={opts.width ?? 80} ascii={opts.ascii ?? false} color={opts.color ?? false} />);
  });
  mounted.push(r);
  return r.lastFrame() ?? '';
}

const ANSI = /\u001b\[[0-9;]*m/g;
const lines = (f: string) => f.replace(ANSI, '').split('\n');

describe('PromptPanel', () => {
  it('kill-switch: bordered box with the title, hint and the word KILL-SWITCH', async () => {
    const r = run('kill', []);
    const f = await show(r.flow!, r.ctx);
    expect(f).toContain('┌');
    expect(f).toContain('KILL-SWITCH: influence 10% → 0%');
    expect(f).toContain('y or Enter to confirm · Esc or n cancels');
    expect(f).not.toMatch(/\u001b\[3\dm/); // no colour with colour off
  });

  it('kill-switch is red and bold with colour on, and still says KILL-SWITCH', async () => {
    const r = run('kill', []);
    const f = await show(r.flow!, r.ctx, { color: true });
    expect(f).toMatch(/\u001b\[31m/); // red
    expect(f).toMatch(/\u001b\[1m/); // bold
    expect(f).toContain('KILL-SWITCH');
  });

  it('text step shows the input with a cursor and the error line', async () => {
    const r = run('influence', ['12x', ENTER]);
    const f = await show(r.flow!, r.ctx);
    expect(f).toContain('new influence %: 12x_');
    expect(f).toMatch(/error: pct must be a whole number 0-100 \(got "12x"\)/);
  });

  it('error is red with colour on', async () => {
    const r = run('influence', ['abc', ENTER]);
    const f = await show(r.flow!, r.ctx, { color: true });
    const errLine = f.split('\n').find((l) => l.includes('error:'))!;
    expect(errLine).toMatch(/\u001b\[31m/);
  });

  it('ascii: classic border, no non-ASCII characters', async () => {
    const r = run('decision', ['n', 'bad', ENTER, '4h', ENTER]);
    const f = await show(r.flow!, r.ctx, { ascii: true });
    expect(f).toContain('+---');
    expect(f).toContain('sign-offs: release_captain v | on_call missing');
    expect(f).toMatch(/^[\x00-\x7f]*$/);
  });

  it('is at most 8 lines tall and fits 80 columns, for every step of every flow', async () => {
    const long = 'x'.repeat(200);
    const cases = [
      run('kill', []),
      run('influence', ['4', CTRL_K]),
      run('influence', ['999', ENTER]),
      run('influence', ['90', ENTER, long], { overall: 'WARN' }),
      run('influence', ['90', ENTER, long, ENTER], { overall: 'WARN' }),
      run('advance', [], { nextStageInfluence: 50 }),
      run('decision', [], { overall: 'NO-GO' }),
      run('decision', ['n', long, ENTER, 'later', ENTER]),
      run('decision', ['n', long, ENTER, '4h', ENTER]),
      run('signoff', []),
      run('waive', [long, ENTER, '9d', ENTER], { selectedGate: { id: 'g', title: 'T'.repeat(120), manual: false } }),
      run('waive', [long, ENTER, '2h', ENTER]),
      run('quit', [], { actionInFlight: true }),
    ];
    for (const r of cases) {
      for (const ascii of [false, true]) {
        const ls = lines(await show(r.flow!, r.ctx, { ascii }));
        const where = `${r.flow!.kind}/${r.flow!.step}`;
        expect(ls.length, where).toBeLessThanOrEqual(8);
        for (const l of ls) expect(l.length, `${where}: ${l}`).toBeLessThanOrEqual(80);
        expect(ls.at(-1), where).toMatch(/^[└+]/);
      }
    }
  });

  it('with a long bad draft: title, the end of the draft at the cursor, error and hint, within the width', async () => {
    const r = run('influence', ['a'.repeat(150) + 'END', ENTER]);
    const f = await show(r.flow!, r.ctx, { width: 60 });
    expect(f).toContain('SET INFLUENCE (now 10%)');
    expect(f).toMatch(/new influence %: …a+END_/);
    expect(f).toMatch(/error: pct must be a whole number/);
    expect(f).toContain('a whole number 0-100, Enter · Esc cancels');
    for (const l of lines(f)) expect(l.length).toBeLessThanOrEqual(60);
  });
});
