/** The palette and runbook flows (SPEC §9.5) as a state machine: filter, pick, params, confirm; refusals; Ctrl+K. */
import { describe, expect, it } from 'vitest';
import { describeFlow } from '../../src/flows/describe.js';
import { paletteEntries, PALETTE_BUILTINS, type RunbookOption } from '../../src/flows/palette.js';
import { paletteRows } from '../../src/flows/paletteRows.js';
import { actRefusal, type Actor } from '../../src/flows/permissions.js';
import { openRemedy } from '../../src/flows/runbookFlow.js';
import { READ_ONLY_MESSAGE, type Key } from '../../src/flows/types.js';
import { ctxOf, CTRL_K, ENTER, ESC, play, run } from './flows-helpers.js';

const UP: Key = { input: '', upArrow: true };
const DOWN: Key = { input: '', downArrow: true };

const DOWNSHIFT: RunbookOption = {
  id: 'downshift',
  title: 'Downshift to balanced',
  params: [{ name: 'mode', kind: 'choice', choices: ['balanced', 'fast'] }],
  usesReason: false,
  sends: 'sends POST http://127.0.0.1:8001/admin/mode/set',
  verifies: 'llm_mode{mode="balanced"} == 1 within 30s',
};
const CAP: RunbookOption = {
  id: 'cap',
  title: 'Cap canary traffic',
  params: [
    { name: 'p', kind: 'pct', label: 'cap %' },
    { name: 'note', kind: 'text', maxLength: 20 },
  ],
  usesReason: true,
  confirm: 'Cap the canary now?',
  sends: 'runs make (no shell)',
  verifies: 'cap_pct == {{p}} within 30s',
};
const LOCKED: RunbookOption = { ...DOWNSHIFT, id: 'flush', title: 'Flush caches', refusal: 'runbook "Flush caches" needs role tech_lead (you are: release_captain, on_call)' };
const runbooks = [DOWNSHIFT, CAP, LOCKED];

describe('the palette', () => {
  it('lists every built-in, then every runbook; refused entries carry why', () => {
    const entries = paletteEntries(ctxOf({ runbooks }));
    expect(entries.map((e) => e.id)).toEqual([...PALETTE_BUILTINS.map((b) => b.id), 'runbook:downshift', 'runbook:cap', 'runbook:flush']);
    expect(entries.find((e) => e.id === 'runbook:flush')?.refusal).toMatch(/needs role tech_lead/);
    const ro = paletteEntries(ctxOf({ runbooks, readOnly: true }));
    expect(ro.filter((e) => e.refusal === undefined).map((e) => e.id)).toEqual(['refresh', 'help']);
    expect(ro.find((e) => e.id === 'runbook:downshift')?.refusal).toBe(READ_ONLY_MESSAGE);
  });

  it('filters fuzzily, moves with ↑/↓ within the matches, and a new filter resets the highlight', () => {
    const r = run('palette', ['cap', DOWN, DOWN, DOWN], { runbooks });
    expect(r.flow).toMatchObject({ kind: 'palette', step: 'filter', draft: 'cap' });
    const rows = paletteRows(r.flow!, r.ctx, 10).rows;
    expect(rows[0]!.text).toMatch(/^runbook +Cap canary traffic \(cap\)/);
    expect(rows.filter((x) => x.selected)).toHaveLength(1);
    const back = play(r, [UP, UP, UP, UP, 'x']);
    expect(back.flow?.data.cursor).toBe(0);
  });

  it('keeps the highlighted entry in view when the list is longer than the rows', () => {
    // Down past every built-in and the first runbook: the second runbook is highlighted.
    const r = run('palette', Array<Key>(PALETTE_BUILTINS.length + 1).fill(DOWN), { runbooks });
    const { rows, total, more } = paletteRows(r.flow!, r.ctx, 4);
    expect(total).toBe(PALETTE_BUILTINS.length + 3);
    expect(rows).toHaveLength(4);
    expect(more).toBe(total - 4);
    expect(rows[3]).toMatchObject({ selected: true });
    expect(rows[3]!.text).toMatch(/^runbook +Cap canary traffic/);
  });

  it('Enter on a built-in opens its own flow; on a command closes with that command', () => {
    expect(run('palette', ['kill', ENTER], { runbooks }).flow).toMatchObject({ kind: 'kill', step: 'confirm' });
    expect(run('palette', ['set infl', ENTER], { runbooks }).flow).toMatchObject({ kind: 'influence', step: 'pct' });
    const refresh = run('palette', ['refresh', ENTER], { runbooks });
    expect(refresh.flow).toBeNull();
    expect(refresh.effects).toEqual([{ type: 'command', command: 'refresh' }]);
  });

  it('a refused entry stays in the palette with the reason and is refused, nothing else', () => {
    const r = run('palette', ['flush', ENTER], { runbooks });
    expect(r.flow).toMatchObject({ kind: 'palette', error: expect.stringMatching(/^Flush caches refused: .*tech_lead/) });
    expect(r.effects).toEqual([{ type: 'refused', message: expect.stringMatching(/^Flush caches refused/) }]);
    const ro = run('palette', ['downshift', ENTER, ENTER, 'y'], { runbooks, readOnly: true });
    expect(ro.effects.every((e) => e.type === 'refused')).toBe(true);
    expect(ro.flow?.kind).toBe('palette');
  });

  it('K is a letter in the filter; Ctrl+K opens the kill confirm and Esc comes back to the palette, draft kept', () => {
    const r = run('palette', ['K', 'i', CTRL_K], { runbooks });
    expect(r.flow).toMatchObject({ kind: 'kill', step: 'confirm', suspended: { kind: 'palette', draft: 'Ki' } });
    expect(play(r, [ESC]).flow).toMatchObject({ kind: 'palette', draft: 'Ki' });
    expect(run('palette', ['abc', ESC], { runbooks }).flow).toBeNull();
  });
});

describe('a runbook flow', () => {
  it('choice param by ↑/↓ and Enter (or a digit), then the confirm screen, then y → one effect with the params', () => {
    const r = run('palette', ['dwnbal', ENTER, DOWN, UP, DOWN], { runbooks });
    expect(r.flow).toMatchObject({ kind: 'runbook', step: 'param', data: { cursor: 1 } });
    expect(describeFlow(r.flow!, r.ctx).lines).toEqual(['mode:', '  1 balanced', '> 2 fast']);
    const c = play(r, [ENTER]);
    expect(c.flow).toMatchObject({ kind: 'runbook', step: 'confirm' });
    const d = describeFlow(c.flow!, c.ctx);
    expect(d.title).toBe('run Downshift to balanced?');
    expect(d.lines).toEqual(['params: mode=fast', 'Sends POST http://127.0.0.1:8001/admin/mode/set.', 'Then verifies llm_mode{mode="balanced"} == 1 within 30s.']);
    const done = play(c, ['y']);
    expect(done.flow).toBeNull();
    expect(done.effects).toEqual([{ type: 'runbook', id: 'downshift', params: { mode: 'fast' } }]);
    expect(play(run('palette', ['dwnbal', ENTER], { runbooks }), ['1', 'y']).effects).toEqual([{ type: 'runbook', id: 'downshift', params: { mode: 'balanced' } }]);
  });

  it('at a choice param K is the kill key; Esc or n sends nothing; y within the guard does not confirm', () => {
    const atChoice = run('palette', ['dwnbal', ENTER], { runbooks });
    expect(play(atChoice, ['K']).flow).toMatchObject({ kind: 'kill', suspended: { kind: 'runbook', step: 'param' } });
    expect(play(atChoice, [ENTER, 'n']).flow).toBeNull();
    expect(play(atChoice, [ENTER, ESC]).effects).toEqual([]);
    const fast = play(atChoice, [ENTER, 'y'], 50);
    expect(fast.flow?.step).toBe('confirm');
    expect(fast.effects).toEqual([]);
  });

  it('typed params are checked, then a reason when a template sends one, then the configured confirm text', () => {
    const r = run('palette', ['cap', ENTER, '150', ENTER], { runbooks });
    expect(r.flow).toMatchObject({ step: 'param', error: expect.stringMatching(/^cap %: pct must be a whole number 0-100/) });
    const BS: Key = { input: '', backspace: true };
    // K is a letter while typing text ("Keep it").
    const t = play(r, [BS, BS, BS, '40', ENTER, 'Keep it', ENTER]);
    expect(t.flow).toMatchObject({ step: 'reason', data: { params: { p: 40, note: 'Keep it' } } });
    const c = play(t, [ENTER]);
    expect(c.flow?.error).toMatch(/reason/);
    const done = play(c, ['entropy low', ENTER]);
    const confirm = describeFlow(done.flow!, done.ctx);
    expect(confirm.title).toBe('Cap the canary now?');
    expect(confirm.lines).toEqual(['params: p=40, note=Keep it', 'reason: entropy low', 'Runs make (no shell).', 'Then verifies cap_pct == 40 within 30s.']);
    expect(play(done, ['y']).effects).toEqual([{ type: 'runbook', id: 'cap', params: { p: 40, note: 'Keep it' }, reason: 'entropy low' }]);
  });
});

describe('x: the remedy', () => {
  const gate = { id: 'entropy', title: 'Policy entropy', manual: false, remedy: 'downshift' };
  it("runs the banner's gate remedy first, else the selected gate's, with the gate recorded", () => {
    const banner = openRemedy(ctxOf({ runbooks, selectedGate: { id: 'q', title: 'Q spread', manual: false, remedy: 'cap' }, bannerGate: { id: 'entropy', title: 'Policy entropy', remedy: 'downshift' } }));
    expect(banner.flow).toMatchObject({ kind: 'runbook', data: { runbook: { id: 'downshift' }, gate: 'entropy' } });
    const selected = openRemedy(ctxOf({ runbooks, selectedGate: gate }));
    expect(selected.flow).toMatchObject({ kind: 'runbook', data: { gate: 'entropy' } });
    const d = describeFlow(selected.flow!, ctxOf());
    expect(d.lines[0]).toBe('remedy for "Policy entropy"');
    const r = play({ flow: selected.flow, effects: [], ctx: ctxOf({ runbooks }), seen: [] }, [ENTER, 'y']);
    expect(r.effects).toEqual([{ type: 'runbook', id: 'downshift', params: { mode: 'balanced' }, gate: 'entropy' }]);
  });

  it('says so when there is no remedy, the runbook is missing, or the actor may not run it', () => {
    expect(openRemedy(ctxOf({ runbooks, selectedGate: { ...gate, remedy: undefined } })).effect).toEqual({ type: 'refused', message: '"Policy entropy" has no remedy (a gate\'s remedy: names a runbook)' });
    expect(openRemedy(ctxOf({ runbooks, selectedGate: undefined })).effect?.type).toBe('refused');
    expect(openRemedy(ctxOf({ runbooks, selectedGate: { ...gate, remedy: 'flush' } })).effect).toMatchObject({ type: 'refused', message: expect.stringMatching(/^Flush caches refused: .*tech_lead/) });
    expect(openRemedy(ctxOf({ runbooks: [], selectedGate: gate })).effect).toEqual({ type: 'refused', message: 'runbook downshift is not configured' });
  });
});

describe('actRefusal for runbooks (checked at the act)', () => {
  const actor = (over: Partial<Actor> = {}): Actor => ({ readOnly: false, replay: false, rolesConfigured: true, actorRoles: ['on_call'], ...over });
  it("a runbook's roles decide; without them any console that may act, but never a role-less, read-only or replaying one", () => {
    expect(actRefusal('runbook', actor(), { label: 'runbook "Downshift"', roles: ['release_captain', 'on_call'] })).toBeUndefined();
    expect(actRefusal('runbook', actor(), { label: 'runbook "Flush"', roles: ['tech_lead'] })).toBe('runbook "Flush" needs role tech_lead (you are: on_call)');
    expect(actRefusal('runbook', actor(), { label: 'runbook "Any"' })).toBeUndefined();
    expect(actRefusal('runbook', actor({ actorRoles: [] }), { label: 'runbook "Any"' })).toBe('runbook "Any" needs a configured role (you are: no role)');
    expect(actRefusal('runbook', actor({ rolesConfigured: false, actorRoles: [] }), { label: 'runbook "Any"' })).toBeUndefined();
    expect(actRefusal('runbook', actor({ rolesConfigured: false, actorRoles: [] }), { roles: ['tech_lead'] })).toBeUndefined();
    expect(actRefusal('runbook', actor({ readOnly: true }), { roles: ['on_call'] })).toBe(READ_ONLY_MESSAGE);
    expect(actRefusal('runbook', actor({ replay: true }), { roles: ['on_call'] })).toBe('REPLAY: nothing is sent');
  });
});
