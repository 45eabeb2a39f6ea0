/**
 * One data writer (issue 12): whatever the feed does, the store — and so the screen — is
 * written on the live engine's cadence, not per frame. The cadence is a fake clock held still,
 * so every write that happens during the storm is one that bypassed the live loop.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock, systemClock } from '../../src/core/clock.js';
import { Session } from '../../src/session/session.js';
import { testConfig } from '../helpers/config.js';
import { startFeedServer, type FeedServer } from '../helpers/feedServer.js';
import { gate } from '../helpers/gates.js';

let feed: FeedServer | undefined;
let session: Session | undefined;
afterEach(async () => {
  await session?.stop();
  await feed?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('store write budget under a bad-frame storm', () => {
  it('2,000 malformed frames and 500 alerts cause no store write until the cadence allows one; then one write carries them all', async () => {
    feed = await startFeedServer();
    const config = testConfig(
      { sources: { feed: { id: 'feed', type: 'websocket', url: feed.url, headers: {}, interval: 10_000, timeout: 2000, staleAfter: 10_000 } } },
      [gate({ id: 'feed_page_alerts', title: 'No page alerts', source: 'feed', key: '@page_alerts', staleAfter: 10_000, builtin: true, go: '== 0' })],
    );
    const cadence = new FakeClock(Date.now());
    session = new Session({ config, actor: 'alice', clock: systemClock, cadence });
    let writes = 0;
    session.store.subscribe(() => writes++);
    session.start();
    await until(() => feed!.clients() === 1, 5_000, 'the console to connect');
    await feed.waitFor((m) => (m as { type?: string }).type === 'resume');
    await sleep(200);
    const before = writes;

    let seq = 0;
    for (let i = 0; i < 2_000; i++) feed.sendRaw(i % 2 ? 'not json {' : JSON.stringify({ type: 'bogus', seq: 1, ts: new Date().toISOString() }));
    for (let i = 0; i < 500; i++) feed.send({ type: 'alert', seq: ++seq, ts: new Date().toISOString(), id: `a-${i}`, severity: 'page', state: 'firing', summary: 'burn' });
    const client = (session.adapters.get('feed') as unknown as { client: { stats(): { dropped: number } } }).client;
    await until(() => client.stats().dropped >= 2_000, 10_000, 'every bad frame to arrive');
    await sleep(300);
    // Nothing reached the store while the cadence stood still.
    expect(writes - before).toBe(0);

    // One cadence step later: one write shows the storm's counts and the alerts.
    cadence.advance(1_000);
    await sleep(50);
    expect(writes - before).toBeLessThanOrEqual(2);
    const s = session.store.getState();
    expect(s.feeds.feed?.dropped).toBe(2_000);
    expect(s.feeds.feed?.firingPage).toBe(500);
    expect(s.gates.feed_page_alerts?.status).toBe('FAIL');
  });
});
