import { describe, expect, it } from 'vitest';
import { CONFIRM_GUARD_MS, flowKey, isCtrlK, openFlow } from '../../src/flows/reducer.js';
import type { FlowKind } from '../../src/flows/types.js';
import { BACKSPACE, CTRL_K, ENTER, ESC, T0, W0, ctxOf, play, run, type Step } from './flows-helpers.js';

const H = 3_600_000;

describe('kill-switch', () => {
  it('K opens a confirm naming current → 0%; y confirms with one kill effect', () => {
    const r = run('kill', ['y'], { influencePct: 40 });
    expect(r.flow).toBeNull();
    expect(r.effects).toEqual([{ type: 'kill', from: 40, reason: 'kill-switch by console' }]);
  });

  it('Enter also confirms the kill-switch', () => {
    const r = run('kill', [ENTER]);
    expect(r.effects).toEqual([{ type: 'kill', from: 10, reason: 'kill-switch by console' }]);
  });

  it('unknown influence still opens it (from undefined)', () => {
    const r = run('kill', ['y'], { influencePct: undefined });
    expect(r.effects).toEqual([{ type: 'kill', from: undefined, reason: 'kill-switch by console' }]);
  });

  it('other keys at the confirm are ignored, including K again', () => {
    const r = run('kill', ['K', 'x', ' ', 'Y', { input: 'y', ctrl: true }]);
    expect(r.effects).toEqual([]);
    expect(r.flow?.kind).toBe('kill');
    expect(r.flow?.error).toBeUndefined();
  });
});

describe('confirm guard', () => {
  it(`ignores a confirm key within ${CONFIRM_GUARD_MS} ms and accepts one after`, () => {
    const ctx = ctxOf();
    const open = openFlow('kill', ctx).flow!;
    expect(open.confirmShownAt).toBe(W0);
    const early = flowKey(open, { input: 'y' }, { ...ctx, wallNow: W0 + CONFIRM_GUARD_MS - 1 });
    expect(early.effect).toBeUndefined();
    expect(early.flow).toEqual(open); // stays, no error set
    const late = flowKey(early.flow!, { input: 'y' }, { ...ctx, wallNow: W0 + CONFIRM_GUARD_MS });
    expect(late.effect?.type).toBe('kill');
    expect(late.flow).toBeNull();
  });

  it('type-ahead: "K" then "y" in the same instant never confirms', () => {
    const r = run('kill', ['y', ENTER, 'y'], {}, 0);
    expect(r.effects).toEqual([]);
    expect(r.flow?.kind).toBe('kill');
  });

  it('type-ahead across steps: "20\\ry" typed at once does not confirm the influence', () => {
    const r = run('influence', ['20', ENTER, 'y'], {}, 0);
    expect(r.effects).toEqual([]);
    expect(r.flow?.step).toBe('confirm');
    const later = play(r, [{ wait: CONFIRM_GUARD_MS }, 'y'], 0);
    expect(later.effects).toEqual([{ type: 'setInfluence', from: 10, to: 20, reason: undefined, advance: false }]);
  });

  it('a wall clock stepping back re-arms the guard instead of confirming', () => {
    const ctx = ctxOf();
    const open = openFlow('kill', ctx).flow!;
    const back = flowKey(open, { input: 'y' }, { ...ctx, wallNow: W0 - 10_000 });
    expect(back.effect).toBeUndefined();
    expect(back.flow?.confirmShownAt).toBe(W0 - 10_000);
    expect(flowKey(back.flow!, { input: 'y' }, { ...ctx, wallNow: W0 - 10_000 + 100 }).effect).toBeUndefined();
    expect(flowKey(back.flow!, { input: 'y' }, { ...ctx, wallNow: W0 - 10_000 + 150 }).effect?.type).toBe('kill');
  });

  it('is armed at each confirm step of every flow', () => {
    const cases: [FlowKind, Step[], Record<string, unknown>][] = [
      ['influence', ['20', ENTER], {}],
      ['advance', [], {}],
      ['decision', ['h', 'wait', ENTER], {}],
      ['signoff', [], {}],
      ['waive', ['r', ENTER, '2h', ENTER], {}],
      ['quit', [], { actionInFlight: true }],
    ];
    for (const [kind, script, over] of cases) {
      const r = run(kind, script, over);
      expect(r.flow?.step, kind).toBe('confirm');
      expect(r.flow?.confirmShownAt, kind).toBe(r.ctx.wallNow);
      expect(play(r, ['y'], 100).effects, kind).toEqual([]);
      expect(play(r, ['y'], 150).effects.length, kind).toBe(1);
    }
  });
});

describe('set influence (i)', () => {
  it('small step with a GO light: pct, Enter, y — no reason asked', () => {
    const r = run('influence', ['3', '5', ENTER]);
    expect(r.flow?.step).toBe('confirm');
    expect(r.flow?.data).toMatchObject({ from: 10, to: 35 });
    const done = play(r, ['y']);
    expect(done.effects).toEqual([{ type: 'setInfluence', from: 10, to: 35, reason: undefined, advance: false }]);
    expect(done.flow).toBeNull();
  });

  it('a step above max_step asks for a reason and says why', () => {
    const r = run('influence', ['50', ENTER]);
    expect(r.flow?.step).toBe('reason');
    expect(r.flow?.data.reasonRequired).toBe('step 10% → 50% is above max_step 25');
    const done = play(r, ['widen canary', ENTER, 'y']);
    expect(done.effects).toEqual([{ type: 'setInfluence', from: 10, to: 50, reason: 'widen canary', advance: false }]);
  });

  it('exactly max_step is not above it', () => {
    expect(run('influence', ['35', ENTER]).flow?.step).toBe('confirm');
  });

  it('a light that is not GO asks for a reason, even for a decrease', () => {
    for (const overall of ['WARN', 'NO-GO'] as const) {
      const r = run('influence', ['5', ENTER], { overall });
      expect(r.flow?.step).toBe('reason');
      expect(r.flow?.data.reasonRequired).toBe(`light is ${overall}`);
    }
    const both = run('influence', ['90', ENTER], { overall: 'WARN' });
    expect(both.flow?.data.reasonRequired).toBe('step 10% → 90% is above max_step 25; light is WARN');
  });

  it('unknown current influence counts as a step from 0%', () => {
    expect(run('influence', ['25', ENTER], { influencePct: undefined }).flow?.step).toBe('confirm');
    const r = run('influence', ['26', ENTER], { influencePct: undefined });
    expect(r.flow?.step).toBe('reason');
    expect(r.flow?.data.reasonRequired).toMatch(/unknown, counted as 0%/);
  });

  it('an empty reason keeps the step with an error', () => {
    const r = run('influence', ['50', ENTER, '   ', ENTER]);
    expect(r.flow?.step).toBe('reason');
    expect(r.flow?.error).toMatch(/reason .*is required/);
    expect(r.effects).toEqual([]);
    // typing clears the error
    expect(play(r, ['x']).flow?.error).toBeUndefined();
  });

  it('bad pct keeps the step with an error: empty, > 100, non-integer, words', () => {
    for (const bad of ['', '101', '12.5', 'abc', '-5', '1000']) {
      const r = run('influence', [bad, ENTER]);
      expect(r.flow?.step, bad).toBe('pct');
      expect(r.flow?.error, bad).toMatch(/0-100/);
      expect(r.flow?.draft, bad).toBe(bad);
      expect(r.effects, bad).toEqual([]);
    }
  });

  it('accepts 0, 100 and a trailing %', () => {
    expect(run('influence', ['0', ENTER]).flow?.data.to).toBe(0);
    expect(run('influence', ['100%', ENTER]).flow?.data.to).toBe(100);
  });

  it('Enter does NOT confirm influence; only y does', () => {
    const r = run('influence', ['20', ENTER, { wait: 1000 }, ENTER, ENTER]);
    expect(r.effects).toEqual([]);
    expect(r.flow?.step).toBe('confirm');
    expect(play(r, ['y']).effects).toHaveLength(1);
  });

  it('text editing: backspace, Ctrl+U, control characters and escape sequences ignored, 200-char cap', () => {
    const r = run('influence', ['12', BACKSPACE, '5']);
    expect(r.flow?.draft).toBe('15');
    expect(play(r, [{ input: 'u', ctrl: true }]).flow?.draft).toBe('');
    expect(play(r, [{ input: '\u0007' }, { input: '\u001b[31m' }, { input: '', delete: true }]).flow?.draft).toBe('1');
    const long = run('waive', ['x'.repeat(250)]);
    expect(long.flow?.draft).toHaveLength(200);
    const pasted = play(run('waive', []), [{ input: 'rea\u001b]0;evil\u0007son\r' }]);
    expect(pasted.flow?.draft).toBe('reason');
  });

  it('letters that are action keys are just text inside a prompt', () => {
    const r = run('waive', ['qKdnswiy', ENTER]);
    expect(r.effects).toEqual([]);
    expect(r.flow?.data.reason).toBe('qKdnswiy');
    expect(r.flow?.step).toBe('expiry');
  });
});

describe('advance (n)', () => {
  it('skips the pct step and confirms to the next stage, advance: true', () => {
    const r = run('advance', []);
    expect(r.flow?.step).toBe('confirm');
    expect(play(r, ['y']).effects).toEqual([{ type: 'setInfluence', from: 10, to: 25, reason: undefined, advance: true }]);
  });

  it('asks for a reason when the next stage is above max_step or the light is not GO', () => {
    const r = run('advance', ['skip ahead', ENTER, 'y'], { nextStageInfluence: 50 });
    expect(r.seen[0]?.step).toBe('reason');
    expect(r.effects).toEqual([{ type: 'setInfluence', from: 10, to: 50, reason: 'skip ahead', advance: true }]);
    expect(run('advance', [], { overall: 'WARN' }).flow?.step).toBe('reason');
  });

  it('refused at the last ramp stage', () => {
    const r = run('advance', [], { nextStageInfluence: undefined });
    expect(r.flow).toBeNull();
    expect(r.effects).toEqual([{ type: 'refused', message: 'already at the last ramp stage' }]);
  });
});

describe('decision (d)', () => {
  it('GO: g, justification, y', () => {
    const r = run('decision', ['x', 'g', 'all green', ENTER]);
    expect(r.flow?.step).toBe('confirm');
    expect(play(r, ['y']).effects).toEqual([{ type: 'decision', decision: 'GO', justification: 'all green' }]);
  });

  it('HOLD: h, justification, y (no review asked)', () => {
    const r = run('decision', ['h', 'waiting on db', ENTER, 'y']);
    expect(r.effects).toEqual([{ type: 'decision', decision: 'HOLD', justification: 'waiting on db' }]);
  });

  it('NO-GO: n, justification, next review 4h, y', () => {
    const r = run('decision', ['n', 'entropy collapse', ENTER, '4h', ENTER]);
    expect(r.flow?.step).toBe('confirm');
    expect(r.flow?.data.nextReview).toBe(T0 + 4 * H);
    expect(play(r, ['y']).effects).toEqual([
      { type: 'decision', decision: 'NO-GO', justification: 'entropy collapse', nextReview: T0 + 4 * H },
    ]);
  });

  it('next review as a time of day or ISO', () => {
    expect(run('decision', ['n', 'j', ENTER, '14:30', ENTER]).flow?.data.nextReview).toBe(Date.UTC(2026, 10, 23, 14, 30));
    expect(run('decision', ['n', 'j', ENTER, '2026-11-24T09:00:00Z', ENTER]).flow?.data.nextReview).toBe(
      Date.UTC(2026, 10, 24, 9, 0),
    );
  });

  it('bad or past review time keeps the step with an error', () => {
    for (const bad of ['', 'soon', '2020-01-01T00:00:00Z', '0', '25:99']) {
      const r = run('decision', ['n', 'j', ENTER, bad, ENTER]);
      expect(r.flow?.step, bad).toBe('review');
      expect(r.flow?.error, bad).toMatch(/next review/);
      expect(r.effects, bad).toEqual([]);
    }
  });

  it('empty justification keeps the step with an error', () => {
    const r = run('decision', ['g', ENTER]);
    expect(r.flow?.step).toBe('justification');
    expect(r.flow?.error).toMatch(/justification is required/);
  });

  it('GO while the light is NO-GO is refused and the flow ends', () => {
    const r = run('decision', ['g'], { overall: 'NO-GO' });
    expect(r.flow).toBeNull();
    expect(r.effects).toEqual([{ type: 'refused', message: 'GO refused: the light is NO-GO' }]);
    // NO-GO and HOLD are still possible
    expect(run('decision', ['n'], { overall: 'NO-GO' }).flow?.step).toBe('justification');
  });

  it('GO is refused at confirm if the light turned NO-GO meanwhile', () => {
    const r = run('decision', ['g', 'fine', ENTER]);
    const after = play({ ...r, ctx: { ...r.ctx, overall: 'NO-GO' } }, ['y']);
    expect(after.effects).toEqual([{ type: 'refused', message: 'GO refused: the light is NO-GO' }]);
  });
});

describe('sign-off (s)', () => {
  it('signs the selected manual gate with its role', () => {
    const r = run('signoff', ['y'], { actorRoles: ['on_call'] });
    expect(r.effects).toEqual([{ type: 'signoff', role: 'on_call', gate: 'oncall_ack' }]);
  });

  it('refuses a manual gate without its role, saying why', () => {
    const r = run('signoff', [], { actorRoles: ['tech_lead'] });
    expect(r.effects).toEqual([{ type: 'refused', message: 'sign-off of "On-call ACK" needs role on_call (you are: tech_lead)' }]);
  });

  it('on a non-manual gate, signs the decision as the first required role still missing', () => {
    const gate = { id: 'entropy', title: 'Policy entropy', manual: false };
    const r = run('signoff', ['y'], { selectedGate: gate, missingSignoffs: ['on_call'] });
    expect(r.effects).toEqual([{ type: 'signoff', role: 'on_call' }]);
    const none = run('signoff', ['y'], { selectedGate: gate, missingSignoffs: [] });
    expect(none.effects).toEqual([{ type: 'signoff', role: 'release_captain' }]);
  });

  it('refuses the decision sign-off when you hold no required role', () => {
    const gate = { id: 'entropy', title: 'Policy entropy', manual: false };
    const r = run('signoff', [], { selectedGate: gate, actorRoles: ['tech_lead'] });
    expect(r.flow).toBeNull();
    expect(r.effects[0]?.type).toBe('refused');
    expect((r.effects[0] as { message: string }).message).toMatch(/"Policy entropy" is not a manual gate.*release_captain, on_call.*you are: tech_lead/);
    const noneRequired = run('signoff', [], { selectedGate: gate, requiredSignoffs: [] });
    expect((noneRequired.effects[0] as { message: string }).message).toMatch(/nothing to sign/);
  });

  it('without roles configured, signs the manual gate as its role', () => {
    const r = run('signoff', ['y'], { rolesConfigured: false, actorRoles: [] });
    expect(r.effects).toEqual([{ type: 'signoff', role: 'on_call', gate: 'oncall_ack' }]);
  });
});

describe('waive (w)', () => {
  it('reason, expiry 2h, y', () => {
    const r = run('waive', ['flaky exporter', ENTER, '2h', ENTER]);
    expect(r.flow?.step).toBe('confirm');
    expect(play(r, ['y']).effects).toEqual([{ type: 'waive', gate: 'oncall_ack', reason: 'flaky exporter', expires: T0 + 2 * H }]);
  });

  it('past, unparsable or over-7-day expiry keeps the step with an error', () => {
    for (const [bad, msg] of [
      ['2020-01-01T00:00:00Z', /future/],
      ['whenever', /expiry/],
      ['8d', /at most 7 days/],
      ['', /expiry/],
    ] as const) {
      const r = run('waive', ['r', ENTER, bad, ENTER]);
      expect(r.flow?.step, bad).toBe('expiry');
      expect(r.flow?.error, bad).toMatch(msg);
      expect(r.effects, bad).toEqual([]);
    }
    expect(run('waive', ['r', ENTER, '7d', ENTER]).flow?.step).toBe('confirm');
  });

  it('empty reason keeps the step with an error', () => {
    const r = run('waive', [ENTER]);
    expect(r.flow?.step).toBe('reason');
    expect(r.flow?.error).toMatch(/reason/);
  });

  it('refused with no selected gate', () => {
    const r = run('waive', [], { selectedGate: undefined });
    expect(r.effects).toEqual([{ type: 'refused', message: 'waiver: select a gate first' }]);
  });
});

describe('quit (q)', () => {
  it('quits at once with nothing in flight', () => {
    const r = openFlow('quit', ctxOf());
    expect(r).toEqual({ flow: null, effect: { type: 'quit' } });
  });

  it('asks y with an action in flight', () => {
    const r = run('quit', [], { actionInFlight: true });
    expect(r.flow?.step).toBe('confirm');
    expect(r.effects).toEqual([]);
    expect(play(r, [ENTER]).effects).toEqual([]);
    expect(play(r, ['y']).effects).toEqual([{ type: 'quit' }]);
  });

  it('is allowed read-only', () => {
    expect(openFlow('quit', ctxOf({ readOnly: true })).effect).toEqual({ type: 'quit' });
  });
});

describe('Esc cancels at every step of every flow, sending nothing', () => {
  const paths: [string, FlowKind, Step[], Record<string, unknown>][] = [
    ['kill confirm', 'kill', [], {}],
    ['influence pct (empty)', 'influence', [], {}],
    ['influence pct (typed)', 'influence', ['4'], {}],
    ['influence pct (error shown)', 'influence', ['abc', ENTER], {}],
    ['influence reason', 'influence', ['50', ENTER, 'half'], {}],
    ['influence confirm (after reason)', 'influence', ['50', ENTER, 'why', ENTER], {}],
    ['influence confirm (no reason)', 'influence', ['20', ENTER], {}],
    ['advance reason', 'advance', ['x'], { nextStageInfluence: 50 }],
    ['advance confirm', 'advance', [], {}],
    ['decision choice', 'decision', [], {}],
    ['decision justification', 'decision', ['n', 'bad'], {}],
    ['decision review', 'decision', ['n', 'bad', ENTER, '4'], {}],
    ['decision confirm NO-GO', 'decision', ['n', 'bad', ENTER, '4h', ENTER], {}],
    ['decision confirm GO', 'decision', ['g', 'ok', ENTER], {}],
    ['signoff confirm', 'signoff', [], {}],
    ['waive reason', 'waive', ['r'], {}],
    ['waive expiry', 'waive', ['r', ENTER, '2'], {}],
    ['waive confirm', 'waive', ['r', ENTER, '2h', ENTER], {}],
    ['quit confirm', 'quit', [], { actionInFlight: true }],
  ];
  for (const [name, kind, script, over] of paths) {
    it(name, () => {
      const at = run(kind, script, over);
      expect(at.flow).not.toBeNull();
      expect(at.effects).toEqual([]);
      const esc = play(at, [ESC]);
      expect(esc.flow).toBeNull();
      expect(esc.effects).toEqual([]);
      // a raw ESC byte (no flag) counts too
      const raw = play(at, [{ input: '\u001b' }]);
      expect(raw.flow).toBeNull();
      expect(raw.effects).toEqual([]);
      // at a confirm, n also cancels (tmux delays a bare Esc)
      if (at.flow?.step === 'confirm') {
        for (const n of ['n', 'N']) {
          const no = play(at, [n]);
          expect(no.flow).toBeNull();
          expect(no.effects).toEqual([]);
        }
      }
    });
  }
});

describe('Ctrl+K while a prompt is open', () => {
  it('recognises Ctrl+K as ctrl+k or the raw VT byte, not a plain K', () => {
    expect(isCtrlK({ input: 'k', ctrl: true })).toBe(true);
    expect(isCtrlK({ input: '\u000b' })).toBe(true);
    expect(isCtrlK({ input: 'K' })).toBe(false);
    expect(isCtrlK({ input: 'k' })).toBe(false);
  });

  it('from a half-typed influence pct: kill confirm, draft kept, restored on Esc', () => {
    const typing = run('influence', ['4']);
    const k = play(typing, [CTRL_K]);
    expect(k.flow?.kind).toBe('kill');
    expect(k.flow?.step).toBe('confirm');
    expect(k.flow?.suspended?.kind).toBe('influence');
    expect(k.flow?.suspended?.draft).toBe('4');
    const back = play(k, [ESC]);
    expect(back.effects).toEqual([]);
    expect(back.flow).toMatchObject({ kind: 'influence', step: 'pct', draft: '4' });
    // carries on where it was: 40% is a 30-point step, so a reason is asked
    const done = play(back, ['0', ENTER, 'widen', ENTER, 'y']);
    expect(done.effects).toEqual([{ type: 'setInfluence', from: 10, to: 40, reason: 'widen', advance: false }]);
  });

  it('n on the kill confirm restores the suspended flow too', () => {
    const k = run('waive', ['half a reas', CTRL_K]);
    const back = play(k, ['n']);
    expect(back.flow).toMatchObject({ kind: 'waive', step: 'reason', draft: 'half a reas' });
    expect(back.effects).toEqual([]);
  });

  it('confirming the kill emits it and drops the suspended flow', () => {
    const k = run('decision', ['n', 'why', CTRL_K]);
    const done = play(k, ['y']);
    expect(done.flow).toBeNull();
    expect(done.effects).toEqual([{ type: 'kill', from: 10, reason: 'kill-switch by console' }]);
  });

  it('a restored confirm screen re-arms its guard', () => {
    const atConfirm = run('influence', ['20', ENTER]);
    const back = play(atConfirm, [CTRL_K, 'n'], 0);
    expect(back.flow?.kind).toBe('influence');
    expect(back.flow?.confirmShownAt).toBe(back.ctx.wallNow);
    expect(play(back, ['y'], 0).effects).toEqual([]);
    expect(play(back, ['y'], 150).effects).toHaveLength(1);
  });

  it('a bare K is the kill key where nothing is typed (confirm, choice), and a letter in a text prompt', () => {
    const atConfirm = play(run('influence', ['20', ENTER]), ['K']);
    expect(atConfirm.flow).toMatchObject({ kind: 'kill', step: 'confirm', suspended: { kind: 'influence', step: 'confirm' } });
    expect(atConfirm.effects).toEqual([]);
    const atChoice = run('decision', ['K']);
    expect(atChoice.flow).toMatchObject({ kind: 'kill', suspended: { kind: 'decision', step: 'choice' } });
    const typing = run('waive', ['Kafka lag']);
    expect(typing.flow).toMatchObject({ kind: 'waive', step: 'reason', draft: 'Kafka lag' });
    expect(typing.effects).toEqual([]);
  });

  it('Ctrl+K on the kill confirm itself is ignored; Ctrl+K with no role keeps the prompt and says why', () => {
    const k = run('kill', [CTRL_K]);
    expect(k.flow?.kind).toBe('kill');
    expect(k.flow?.suspended).toBeUndefined();
    expect(k.effects).toEqual([]);
    const noRole = play(run('waive', ['abc'], { rolesConfigured: false, actorRoles: [] }), []);
    const refusedKill = play({ ...noRole, ctx: { ...noRole.ctx, rolesConfigured: true, actorRoles: ['tech_lead'] } }, [CTRL_K]);
    expect(refusedKill.flow).toMatchObject({ kind: 'waive', draft: 'abc' });
    expect(refusedKill.effects).toEqual([
      { type: 'refused', message: 'kill-switch needs role on_call or release_captain (you are: tech_lead)' },
    ]);
  });
});

describe('refusals when opening', () => {
  it('read-only refuses every action but quit', () => {
    for (const kind of ['kill', 'influence', 'advance', 'decision', 'signoff', 'waive'] as const) {
      expect(openFlow(kind, ctxOf({ readOnly: true })), kind).toEqual({
        flow: null,
        effect: { type: 'refused', message: 'READ-ONLY: actions are disabled' },
      });
    }
  });

  it('kill-switch needs on_call or release_captain', () => {
    expect(openFlow('kill', ctxOf({ actorRoles: ['tech_lead'] })).effect).toEqual({
      type: 'refused',
      message: 'kill-switch needs role on_call or release_captain (you are: tech_lead)',
    });
    expect(openFlow('kill', ctxOf({ actorRoles: [] })).effect).toMatchObject({ message: /you are: no role/ });
    expect(openFlow('kill', ctxOf({ actorRoles: ['on_call'] })).flow?.kind).toBe('kill');
  });

  it('influence, advance, decision and waiver need release_captain', () => {
    const labels = { influence: 'set influence', advance: 'advance', decision: 'decision', waive: 'waiver' } as const;
    for (const [kind, label] of Object.entries(labels) as [keyof typeof labels, string][]) {
      const r = openFlow(kind, ctxOf({ actorRoles: ['on_call'] }));
      expect(r.flow, kind).toBeNull();
      expect(r.effect, kind).toEqual({ type: 'refused', message: `${label} needs role release_captain (you are: on_call)` });
    }
  });

  it('roles are not checked when not configured', () => {
    const over = { rolesConfigured: false, actorRoles: [] };
    for (const kind of ['kill', 'influence', 'advance', 'decision', 'waive'] as const) {
      expect(openFlow(kind, ctxOf(over)).flow?.kind, kind).toBe(kind);
    }
  });
});
