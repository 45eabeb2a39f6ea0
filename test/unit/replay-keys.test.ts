/** Replay reads its keys from the keymap: acting entries are refused, navigation, help and quit work. */
import { describe, expect, it } from 'vitest';
import { KEYMAP } from '../../src/input/keymap.js';
import { splitKeys } from '../../src/input/keySplit.js';
import { REPLAY_REFUSAL, replayKey } from '../../src/input/replayKeys.js';
import { createWarroomStore } from '../../src/store/store.js';
import { testConfig } from '../helpers/config.js';
import { chordBytes } from '../helpers/keys.js';

function replayStore() {
  return createWarroomStore({ config: testConfig(), actor: 'replay', now: 0, readOnly: true, mode: 'replay' });
}

/** Presses each key (terminal bytes) on a replay; true when one of them ends it. */
function press(store: ReturnType<typeof replayStore>, bytes: string): boolean {
  return splitKeys(bytes).some((k) => replayKey(store, k.input, k.key));
}

const acting = KEYMAP.filter((b) => b.acts && b.when !== 'prompt').flatMap((b) => Object.keys(b.keys));

describe('replay keys', () => {
  it.each(acting)('refuses the acting key %s with a notice, and opens nothing', (chord) => {
    const store = replayStore();
    expect(press(store, chordBytes(chord))).toBe(false);
    const s = store.getState();
    expect(s.notice?.text).toBe(REPLAY_REFUSAL);
    expect(s.flow).toBeNull();
    expect(s.ui.selected).toBe(0);
  });

  it('moves, opens the detail, filters and shows the help', () => {
    const store = replayStore();
    press(store, 'jj');
    expect(store.getState().ui.selected).toBe(2);
    press(store, chordBytes('up'));
    expect(store.getState().ui.selected).toBe(1);
    press(store, chordBytes('pagedown'));
    expect(store.getState().ui.selected).toBe(4);
    press(store, '\r');
    expect(store.getState().ui.detail).toBe(true);
    press(store, '?');
    expect(store.getState().ui.help).toBe(true);
    // Any key closes the help, an acting one included, and does nothing else.
    press(store, 'K');
    expect(store.getState().ui.help).toBe(false);
    expect(store.getState().notice).toBeUndefined();
    press(store, '/ok');
    expect(store.getState().ui).toMatchObject({ filtering: true, filter: 'ok' });
    expect(store.getState().notice).toBeUndefined();
  });

  it('ends on q and on Ctrl+C', () => {
    expect(press(replayStore(), 'q')).toBe(true);
    expect(press(replayStore(), '\u0003')).toBe(true);
    expect(press(replayStore(), 'x')).toBe(false);
  });
});
