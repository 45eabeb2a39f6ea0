/**
 * Every chord of the keymap, pressed on the real console (Session, Controller, Ink views),
 * reaches its entry's action; the table's footer and help are what the screen shows.
 */
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { openFlow } from '../../src/flows/reducer.js';
import { KEYMAP, type ScreenAction } from '../../src/input/keymap.js';
import { FOOTER_KEYS, FOOTER_KEYS_NARROW, FOOTER_KEYS_READONLY, smallScreenKeys } from '../../src/input/keyHints.js';
import { setNotice, updateUi } from '../../src/store/store.js';
import { renderConsole } from '../helpers/ink.js';
import { chordBytes } from '../helpers/keys.js';

type Ui = Awaited<ReturnType<typeof renderConsole>>;

interface Probe {
  /** Puts the console where the action can be seen to happen. */
  arrange?: (ui: Ui) => void;
  check: (ui: Ui) => void;
}

/** The flow actions do exactly what the reducer's openFlow does from the same context. */
function opens(kind: 'kill' | 'influence' | 'advance' | 'decision' | 'signoff' | 'waive' | 'approve'): Probe {
  let expected: ReturnType<typeof openFlow> | undefined;
  return {
    arrange: (ui) => {
      expected = openFlow(kind, ui.controller.flowContext());
    },
    check: (ui) => {
      const s = ui.store.getState();
      expect(s.flow?.kind ?? null).toBe(expected!.flow?.kind ?? null);
      if (expected!.effect?.type === 'refused') expect(s.notice?.text).toBe(expected!.effect.message);
      else expect(s.flow?.kind).toBe(kind);
    },
  };
}

const selected = (ui: Ui) => ui.store.getState().ui.selected;

/** A total record: a new action fails typecheck here until it has a probe. */
const PROBES: Record<ScreenAction, Probe> = {
  kill: opens('kill'),
  influence: opens('influence'),
  advance: opens('advance'),
  decision: opens('decision'),
  signoff: opens('signoff'),
  waive: opens('waive'),
  approve: opens('approve'),
  quit: { check: (ui) => expect(ui.quits()).toBe(1) },
  acknowledge: { check: (ui) => expect(ui.store.getState().notice?.text).toMatch(/^nothing to acknowledge/) },
  refresh: { check: (ui) => expect(ui.store.getState().events.map((e) => e.text)).toContain('refresh requested by alice') },
  up: { arrange: (ui) => updateUi(ui.store, { selected: 2 }), check: (ui) => expect(selected(ui)).toBe(1) },
  down: { check: (ui) => expect(selected(ui)).toBe(1) },
  pageUp: { arrange: (ui) => updateUi(ui.store, { selected: 4 }), check: (ui) => expect(selected(ui)).toBe(0) },
  pageDown: { check: (ui) => expect(selected(ui)).toBe(4) },
  detail: { check: (ui) => expect(ui.store.getState().ui.detail).toBe(true) },
  dismiss: {
    arrange: (ui) => {
      setNotice(ui.store, 'something happened');
      updateUi(ui.store, { detail: true });
    },
    check: (ui) => {
      expect(ui.store.getState().notice).toBeUndefined();
      expect(ui.store.getState().ui.detail).toBe(false);
    },
  },
  filter: { check: (ui) => expect(ui.store.getState().ui.filtering).toBe(true) },
  help: { check: (ui) => expect(ui.store.getState().ui.help).toBe(true) },
  palette: { check: (ui) => expect(ui.store.getState().flow?.kind).toBe('palette') },
  remedy: { check: (ui) => expect(ui.store.getState().notice?.text).toMatch(/"Policy entropy" has no remedy/) },
};

const screenChords = KEYMAP.filter((b) => b.when !== 'prompt').flatMap((b) =>
  Object.entries(b.keys).map(([chord, action]) => ({ chord, action: action as ScreenAction, label: b.label })),
);

describe('dispatch from the keymap', () => {
  it.each(screenChords)('$chord ($label) reaches $action', async ({ chord, action }) => {
    const ui = await renderConsole();
    await ui.feed({ influence: 10 });
    const probe = PROBES[action];
    await act(async () => probe.arrange?.(ui));
    await ui.press(chordBytes(chord));
    // A bare Esc is held until Ink's flush.
    await act(async () => {
      await new Promise((r) => setTimeout(r, 30));
    });
    await ui.flush();
    probe.check(ui);
    ui.unmount();
  });

  it('an anywhere key acts over the help and the filter; a main-screen key there only closes or types', async () => {
    const ui = await renderConsole();
    await ui.press('?', 'K');
    expect(ui.store.getState().flow?.kind).toBe('kill');
    // Cancelling the kill confirm goes back to the help, still open; its closing key does nothing else.
    expect(ui.store.getState().ui.help).toBe(true);
    await ui.press('n', 'i');
    expect(ui.store.getState().flow).toBeNull();
    expect(ui.store.getState().ui.help).toBe(false);
    await ui.press('/', 'i', 'K');
    expect(ui.store.getState().ui.filter).toBe('i');
    expect(ui.store.getState().flow?.kind).toBe('kill');
    ui.unmount();
  });

  it('an open prompt reads its own keys: the prompt entry cancels it, a main-screen key is typed', async () => {
    const ui = await renderConsole();
    await ui.press('w', 'r');
    expect(ui.store.getState().flow).toMatchObject({ kind: 'waive', draft: 'r' });
    expect(ui.store.getState().events.map((e) => e.text)).not.toContain('refresh requested by alice');
    await ui.press('\u0003');
    expect(ui.store.getState().flow).toBeNull();
    expect(ui.quits()).toBe(0);
    ui.unmount();
  });
});

describe('the screen shows the table', () => {
  it('the footer at full width, at 80 columns, read-only, and below 80x24', async () => {
    const last = (ui: Ui) => ui.frame().split('\n').at(-1);
    const wide = await renderConsole({ columns: 120, rows: 30 });
    expect(last(wide)).toBe(FOOTER_KEYS);
    await wide.resize(80, 24);
    expect(last(wide)).toBe(FOOTER_KEYS_NARROW);
    await wide.resize(60, 20);
    expect(wide.frame()).toContain(smallScreenKeys(false));
    wide.unmount();
    const ro = await renderConsole({ readOnly: true, columns: 120, rows: 30 });
    expect(last(ro)).toBe(FOOTER_KEYS_READONLY);
    await ro.resize(60, 20);
    expect(ro.frame()).toContain(smallScreenKeys(true));
    expect(ro.frame()).not.toContain(smallScreenKeys(false));
    ro.unmount();
  });

  it('? lists every entry of the table', async () => {
    const ui = await renderConsole({ columns: 120, rows: 40 });
    await ui.press('?');
    const lines = ui.frame().split('\n');
    for (const b of KEYMAP) expect(lines.some((l) => l.includes(`${b.label.padEnd(13)}${b.description}`)), b.label).toBe(true);
    ui.unmount();
  });
});
