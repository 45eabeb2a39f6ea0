import { describe, it, expect } from 'vitest';
import { startSimulator } from '../../src/sim/index.js';
import { FeedClient } from '../../src/feed/client.js';

describe('xcheck', () => {
  it('C client works against sim feed incl. flap', async () => {
    const s = await startSimulator({ scenario: 'feed-flap', flapMs: 600, speed: 1 });
    const c = new FeedClient({ url: s.url.replace('http', 'ws') + '/status', backoff: { baseMs: 50 } });
    const got: any[] = []; const gaps: number[] = [];
    c.onMessage((m) => got.push(m)); c.onGap((n) => gaps.push(n));
    c.start();
    await new Promise((r) => setTimeout(r, 2500));
    console.log('publish', c.publish({ type: 'ack', role: 'on_call', actor: 'bob' } as never));
    await new Promise((r) => setTimeout(r, 300));
    console.log(got.map((m) => `${m.seq}:${m.type}`).join(' '), gaps, JSON.stringify(c.stats()));
    await c.stop(); await s.stop();
    expect(got.length).toBeGreaterThan(3);
  });
});
