/** Feed health reaches the store with the live loop's write, not once per frame. */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { PacedLoop } from '../../src/runtime/pacedLoop.js';
import { createWarroomStore, type FeedView } from '../../src/store/store.js';
import { testConfig } from '../helpers/config.js';

const view = (dropped: number): FeedView => ({
  sourceId: 'feed', state: 'open', dropped, droppedByReason: { not_json: dropped }, missed: 0, reconnects: 0, restarts: 0, firing: 0, firingPage: 0, firingMore: 0,
});

describe('PacedLoop.setFeed', () => {
  it('a storm of 5000 feed updates is one store write, holding the last one', () => {
    const clock = new FakeClock();
    const store = createWarroomStore({ config: testConfig(), actor: 'alice', now: clock.now() });
    const live = new PacedLoop(store, clock);
    live.start();
    let writes = 0;
    store.subscribe(() => writes++);
    for (let i = 1; i <= 5000; i++) live.setFeed(view(i));
    expect(store.getState().feeds.feed).toBeUndefined();
    clock.advance(1000);
    expect(writes).toBe(1);
    expect(store.getState().feeds.feed).toMatchObject({ dropped: 5000, droppedByReason: { not_json: 5000 } });
    live.stop();
  });
});

describe('PacedLoop.setAuthority', () => {
  it('a changed sign-off is written flushMs after it arrives, not held to the 1 s gap; the same authority again waits for the gap', () => {
    const clock = new FakeClock();
    const store = createWarroomStore({ config: testConfig(), actor: 'alice', now: clock.now() });
    const live = new PacedLoop(store, clock);
    live.start();
    clock.advance(100);
    let writes = 0;
    store.subscribe(() => writes++);
    const so = [{ role: 'on_call', actor: 'bob', at: clock.now() }];
    live.setAuthority(so as never, []);
    clock.advance(249);
    expect(writes).toBe(0);
    clock.advance(1);
    expect(writes).toBe(1);
    expect(store.getState().signoffs).toEqual(so);
    // Nothing changed: the next write is the gap's (1 s after the last), not 250 ms.
    live.setAuthority(so.map((s) => ({ ...s })) as never, []);
    clock.advance(300);
    expect(writes).toBe(1);
    clock.advance(700);
    expect(writes).toBe(2);
    live.stop();
  });
});
