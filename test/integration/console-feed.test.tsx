/**
 * Consoles in one room over a real ws feed: our actions are published, other consoles'
 * influence changes, acks and decisions show in the event log, and a feed ack signs a gate.
 * Hostile feed text never reaches the screen as control sequences.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/audit/ledger.js';
import { systemClock } from '../../src/core/clock.js';
import { testConfig } from '../helpers/config.js';
import { startFeedServer, type FeedServer } from '../helpers/feedServer.js';
import { gate } from '../helpers/gates.js';
import { renderConsole } from '../helpers/ink.js';
import { parseThreshold } from '../../src/config/threshold.js';

let feed: FeedServer;
let ledger: Ledger;
let seq = 0;
const ts = () => new Date().toISOString();

beforeEach(async () => {
  feed = await startFeedServer();
  seq = 0;
  const dir = await mkdtemp(join(tmpdir(), 'warroom-feed-'));
  ledger = await Ledger.open(dir, { clock: systemClock, deployment: 'd', environment: 'e' });
});
afterEach(async () => {
  await ledger.close();
  await feed.stop();
});

function config() {
  return testConfig(
    {
      sources: { feed: { id: 'feed', type: 'websocket', url: feed.url, headers: {}, interval: 10_000, timeout: 2000, staleAfter: 10_000 } },
    },
    [
      gate({ id: 'ks', title: 'Kill-switch tested', source: 'feed', key: 'killswitch.tested', go: '== true', staleAfter: 10_000 }),
      gate({ id: 'feed_page_alerts', title: 'No page alerts', source: 'feed', key: '@page_alerts', staleAfter: 10_000, builtin: true }),
      gate({ id: 'oncall_ack', title: 'On-call ACK', source: 'manual', signoffRole: 'on_call' }),
    ].map((g) => (g.id === 'feed_page_alerts' ? { ...g, go: parseThreshold('== 0') } : g)),
  );
}

describe('console on a shared feed', () => {
  it('shows statuses, alerts and other consoles’ actions; strips control sequences', async () => {
    const ui = await renderConsole({ config: config(), ledger, clock: systemClock });
    ui.session.start();
    await feed.waitFor((m) => (m as { type?: string }).type === 'resume');
    feed.send({ type: 'status', seq: ++seq, ts: ts(), key: 'killswitch.tested', value: true, detail: 'build 1234' });
    await ui.waitFor(/● GO\s+Kill-switch tested/);
    feed.send({ type: 'alert', seq: ++seq, ts: ts(), id: 'a-17', severity: 'page', state: 'firing', summary: 'checkout \u001b[2J\u001b]0;pwned\u0007burn' });
    const f = await ui.waitFor(/ALERT a-17 page firing: checkout burn/);
    expect(f).not.toContain('\u001b]0;');
    await ui.waitFor(/● NO-GO\s+No page alerts/);
    feed.send({ type: 'influence', seq: ++seq, ts: ts(), pct: 10, actor: 'bob', reason: 'ramp stage 1' });
    feed.send({ type: 'decision', seq: ++seq, ts: ts(), decision: 'HOLD', actor: 'carol', id: 'x' });
    await ui.waitFor(/\[remote:bob\] influence → 10% by bob: ramp stage 1/);
    await ui.waitFor(/\[remote:carol\] decision HOLD by carol/);
    // another console's ack without a signature is a claim: shown as unverified, never counted
    feed.send({ type: 'ack', seq: ++seq, ts: ts(), role: 'on_call', actor: 'bob', gate: 'oncall_ack' });
    await ui.waitFor(/unverified sign-off \(feed\): on_call on oncall_ack by bob: unsigned/);
    expect(ui.frame()).toMatch(/● NO-GO\s+On-call ACK/);
    expect(ui.frame()).not.toContain('✓bob');
    // a gap in seq is shown with the count missed
    seq += 3;
    feed.send({ type: 'event', seq: ++seq, ts: ts(), text: 'canary pods healthy' });
    await ui.waitFor(/gap in seq .*3 message\(s\) missed/);
    feed.sendRaw('not json at all');
    await ui.waitFor(/dropped 1 \(1 not_json\)/);
    await ui.session.stop();
    ui.unmount();
  });

  it('publishes our own sign-off to the feed', async () => {
    const ui = await renderConsole({ config: config(), ledger, clock: systemClock });
    ui.session.start();
    await feed.waitFor((m) => (m as { type?: string }).type === 'resume');
    await ui.waitFor(/feed up/);
    await ui.press('j', 'j', 's');
    await ui.waitFor(/y to confirm/);
    await ui.press('y');
    const ack = await feed.waitFor((m) => (m as { type?: string }).type === 'ack');
    expect(ack).toMatchObject({ type: 'ack', role: 'on_call', actor: 'alice', gate: 'oncall_ack' });
    expect(ack).not.toHaveProperty('seq');
    await ui.session.stop();
    ui.unmount();
  });

  it('after a disconnect the feed gates turn UNKNOWN once stale', async () => {
    const cfg = config();
    for (const g of cfg.gates) if (g.source === 'feed') g.staleAfter = 800;
    const ui = await renderConsole({ config: cfg, ledger, clock: systemClock });
    ui.session.start();
    await feed.waitFor((m) => (m as { type?: string }).type === 'resume');
    feed.send({ type: 'status', seq: ++seq, ts: ts(), key: 'killswitch.tested', value: true });
    await ui.waitFor(/● GO\s+Kill-switch tested/);
    await feed.kill();
    await ui.waitFor(/● \?\s+Kill-switch tested/, 8000);
    await ui.waitFor(/feed feed disconnected/);
    await ui.session.stop();
    ui.unmount();
  });
});
