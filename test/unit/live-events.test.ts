import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { PacedLoop } from '../../src/runtime/pacedLoop.js';
import { createWarroomStore, EVENT_LIMIT } from '../../src/store/store.js';
import { testConfig } from '../helpers/config.js';

describe('live loop events', () => {
  it('a storm of events between two writes keeps the newest EVENT_LIMIT lines, newest first', () => {
    const clock = new FakeClock();
    const store = createWarroomStore({ config: testConfig(), actor: 'alice', readOnly: false, now: clock.now() });
    const live = new PacedLoop(store, clock);
    for (let i = 0; i < 5000; i++) live.event({ kind: 'feed', level: 'info', text: `msg ${i}` });
    live.flush();
    const events = store.getState().events.filter((e) => e.kind === 'feed');
    expect(events).toHaveLength(EVENT_LIMIT);
    expect(events[0]!.text).toBe('msg 4999');
    expect(events.at(-1)!.text).toBe(`msg ${5000 - EVENT_LIMIT}`);
    live.stop();
  });
});
