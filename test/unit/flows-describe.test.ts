import { describe, expect, it } from 'vitest';
import { describeFlow } from '../../src/flows/describe.js';
import { CTRL_K, ENTER, T0, ctxOf, play, run } from './flows-helpers.js';

describe('describeFlow', () => {
  it('kill-switch names current → 0% and how to confirm', () => {
    const r = run('kill', [], { influencePct: 10 });
    const d = describeFlow(r.flow!, r.ctx);
    expect(d.title).toBe('KILL-SWITCH: influence 10% → 0%');
    expect(d.hint).toBe('y or Enter to confirm · Esc or n cancels');
    expect(d.lines.join('\n')).toMatch(/influence to 0%/);
    expect(describeFlow(run('kill', [], { influencePct: undefined }).flow!, r.ctx).title).toBe('KILL-SWITCH: influence ?% → 0%');
  });

  it('kill over a suspended prompt says the draft comes back on cancel', () => {
    const r = run('influence', ['4', CTRL_K]);
    expect(describeFlow(r.flow!, r.ctx).lines.join('\n')).toMatch(/set influence prompt, draft kept/);
  });

  it('influence: pct input, then reason with why, then confirm from → to with the reason; only y confirms', () => {
    const pct = run('influence', ['5']);
    const d1 = describeFlow(pct.flow!, pct.ctx);
    expect(d1.input).toEqual({ label: 'new influence %', value: '5' });
    const reason = play(pct, ['0', ENTER, 'because']);
    const d2 = describeFlow(reason.flow!, reason.ctx);
    expect(d2.title).toBe('SET INFLUENCE 10% → 50%');
    expect(d2.lines).toContain('reason required: step 10% → 50% is above max_step 25');
    expect(d2.input).toEqual({ label: 'reason', value: 'because' });
    const confirm = play(reason, [ENTER]);
    const d3 = describeFlow(confirm.flow!, confirm.ctx);
    expect(d3.title).toBe('SET INFLUENCE 10% → 50%');
    expect(d3.lines[0]).toBe('reason: because');
    expect(d3.hint).toBe('y to confirm · Esc or n cancels');
    expect(d3.input).toBeUndefined();
  });

  it('carries the validation error', () => {
    const r = run('influence', ['200', ENTER]);
    expect(describeFlow(r.flow!, r.ctx).error).toMatch(/0-100/);
  });

  it('decision confirm lists decision, justification, next review (ISO) and sign-offs', () => {
    const r = run('decision', ['n', 'entropy down', ENTER, '4h', ENTER], {
      requiredSignoffs: ['release_captain', 'on_call'],
      missingSignoffs: ['on_call'],
    });
    const d = describeFlow(r.flow!, r.ctx);
    expect(d.title).toBe('RECORD DECISION: NO-GO');
    expect(d.lines).toContain('justification: entropy down');
    expect(d.lines).toContain(`next review: ${new Date(T0 + 4 * 3_600_000).toISOString().replace('.000Z', 'Z')} (in 4h)`);
    expect(d.lines).toContain('sign-offs: release_captain ✓ · on_call missing');
  });

  it('decision choice warns that GO is refused while NO-GO', () => {
    const r = run('decision', [], { overall: 'NO-GO' });
    expect(describeFlow(r.flow!, r.ctx).lines).toContain('GO is refused while the light is NO-GO');
  });

  it('sign-off and waiver say what they record', () => {
    const s = run('signoff', []);
    expect(describeFlow(s.flow!, s.ctx).title).toBe('SIGN OFF "On-call ACK" as on_call');
    const w = run('waive', ['flaky', ENTER, '2h', ENTER]);
    const d = describeFlow(w.flow!, w.ctx);
    expect(d.title).toBe('WAIVE "On-call ACK"');
    expect(d.lines).toContain('reason: flaky');
    expect(d.lines.join('\n')).toMatch(/expires: 2026-11-23T14:00:00Z \(in 2h\)/);
  });

  it('strips control sequences from a hostile gate title', () => {
    const r = run('waive', [], { selectedGate: { id: 'g', title: 'ok\u001b[2J\u001b]0;pwn\u0007 gate', manual: false } });
    const d = describeFlow(r.flow!, r.ctx);
    expect(d.title).toBe('WAIVE "ok gate"');
    expect(JSON.stringify(d)).not.toMatch(/\\u001b/);
  });

  it('quit asks about the action in flight', () => {
    const r = run('quit', [], ctxOf({ actionInFlight: true }));
    expect(describeFlow(r.flow!, r.ctx).lines[0]).toBe('an action is in flight; quit?');
  });
});
