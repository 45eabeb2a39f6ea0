/**
 * Who speaks for the room (SPEC §9.4, Flagger #1515): two consoles on one audit dir, the one
 * holding ledger.jsonl's lock posts room-wide events (overall, status, trigger raise), each
 * posts its own acts, and a failed delivery is shown and recorded once. Real ledgers on a
 * temp dir, a manual clock, and a recording sender in place of HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/audit/ledger.js';
import { FakeClock } from '../../src/core/clock.js';
import type { NotifySinkConfig } from '../../src/config/types.js';
import { MAX_FAILURE_LINES, startNotifyLink, type NotifyLink } from '../../src/notify/link.js';
import { Session } from '../../src/session/session.js';
import type { SendResult } from '../../src/notify/queue.js';
import { testConfig } from '../helpers/config.js';
import { gate as gateConfig } from '../helpers/gates.js';

const GATES = [gateConfig({ id: 'entropy', title: 'Policy entropy', go: '>= 0.9', metric: 'policy_entropy' })];

const flush = async () => {
  for (let i = 0; i < 4; i++) await new Promise((r) => setImmediate(r));
};
const sink: NotifySinkConfig = { type: 'webhook', index: 0, url: 'http://127.0.0.1:1/hook', headers: {}, on: ['all'], every: 60_000, throttle: 0, timeout: 5000, retries: 0, queue: 100 };

const dirs: string[] = [];
const links: NotifyLink[] = [];
const ledgers: Ledger[] = [];
afterEach(async () => {
  for (const l of links.splice(0)) await l.stop();
  for (const l of ledgers.splice(0)) await l.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function consoleOf(actor: string, dir: string, clock: FakeClock, answer: () => SendResult = () => ({ ok: true, status: 200 }), speaks?: () => boolean) {
  const config = testConfig({ audit: { dir }, notify: [sink] }, GATES);
  const ledger = await Ledger.open(dir, { clock, deployment: config.deployment.name, environment: config.deployment.environment, lockAs: actor });
  ledgers.push(ledger);
  const session = new Session({ config, actor, clock });
  const sent: Record<string, any>[] = [];
  const link = startNotifyLink(session, ledger, clock, { sender: () => async (req) => (sent.push(req.body as Record<string, any>), answer()), ...(speaks ? { speaks } : {}) })!;
  links.push(link);
  return { session, ledger, link, sent };
}

/** The light as the console's paced loop evaluates it: a reading of the gate, then one evaluation. */
function light(s: Session, _overall: 'GO' | 'NO-GO', entropy: number) {
  const now = s.opts.clock.now();
  s.live.ingest({ sourceId: 'exporter', startedAt: now, finishedAt: now, result: { ok: true, readings: { 'gate:entropy': { value: entropy, observedAt: now } } } });
  s.live.flush();
}

describe('notifyLink', () => {
  it('with the room on NATS, room-wide events follow the speaker key as it moves; own acts always go', async () => {
    const clock = new FakeClock();
    const da = mkdtempSync(join(tmpdir(), 'warroom-notify-'));
    const db = mkdtempSync(join(tmpdir(), 'warroom-notify-'));
    dirs.push(da, db);
    let speaker = 'alice';
    // Two machines: each console holds its own ledger.jsonl, so the lock says nothing about the room.
    const a = await consoleOf('alice', da, clock, undefined, () => speaker === 'alice');
    const b = await consoleOf('bob', db, clock, undefined, () => speaker === 'bob');
    for (const c of [a, b]) light(c.session, 'GO', 0.95);
    await flush();
    for (const c of [a, b]) light(c.session, 'NO-GO', 0.71);
    await flush();
    expect(a.sent.map((x) => x.event)).toEqual(['overall']);
    expect(b.sent).toEqual([]);
    speaker = 'bob';
    for (const c of [a, b]) c.ledger.append({ type: 'trigger', phase: 'raised', gate: 'entropy', mode: 'prompt', value: 0.71, threshold: '>= 0.9', actor: 'warroom' });
    await flush();
    expect(a.sent.map((x) => x.event)).toEqual(['overall']);
    expect(b.sent.map((x) => x.event)).toEqual(['trigger']);
    clock.advance(60_000);
    await flush();
    expect(b.sent.map((x) => x.event)).toEqual(['trigger', 'status']);
    expect(a.sent.map((x) => x.event)).toEqual(['overall']);
    a.ledger.append({ type: 'signoff', role: 'on_call', actor: 'alice' });
    await flush();
    expect(a.sent.at(-1)).toMatchObject({ event: 'signoff' });
  });

  it('the lock holder posts the room-wide events; the second console only its own acts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warroom-notify-'));
    dirs.push(dir);
    const clock = new FakeClock();
    const a = await consoleOf('alice', dir, clock);
    const b = await consoleOf('bob', dir, clock);
    expect([a.link.primary, b.link.primary]).toEqual([true, false]);
    expect(b.ledger.file).toBe('ledger-bob.jsonl');

    for (const c of [a, b]) light(c.session, 'GO', 0.95);
    await flush();
    for (const c of [a, b]) light(c.session, 'NO-GO', 0.71);
    await flush();
    expect(a.sent.map((x) => [x.event, x.detail.summary])).toEqual([['overall', 'NO-GO: entropy = 0.71 fails >= 0.9 (critical)']]);
    expect(b.sent).toEqual([]);

    // Both consoles record the trigger they saw; only the lock holder posts it.
    for (const c of [a, b]) c.ledger.append({ type: 'trigger', phase: 'raised', gate: 'entropy', mode: 'prompt', value: 0.71, threshold: '>= 0.9', actor: 'warroom' });
    await flush();
    expect(a.sent.at(-1)).toMatchObject({ event: 'trigger', detail: { phase: 'raised' } });
    expect(b.sent).toEqual([]);

    // Bob's own sign-off is Bob's console's to post.
    b.ledger.append({ type: 'signoff', role: 'on_call', actor: 'bob' });
    await flush();
    expect(b.sent.map((x) => [x.event, x.actor])).toEqual([['signoff', 'bob']]);
    expect(a.sent.some((x) => x.event === 'signoff')).toBe(false);

    // every: status from the lock holder alone.
    clock.advance(60_000);
    await flush();
    expect(a.sent.filter((x) => x.event === 'status')).toHaveLength(1);
    expect(b.sent.some((x) => x.event === 'status')).toBe(false);
  });

  it('a message that fails for good: the header view says so and one notify.failed line is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warroom-notify-'));
    dirs.push(dir);
    const clock = new FakeClock();
    const a = await consoleOf('alice', dir, clock, () => ({ ok: false, error: 'HTTP 404: no_service', retryable: false }));
    a.ledger.append({ type: 'signoff', role: 'on_call', actor: 'alice' });
    await flush();
    expect(a.session.store.getState().notify).toEqual([{ name: 'webhook#0', failing: true, dropped: 0 }]);
    const failed = a.ledger.lines().filter((l) => l.type === 'notify.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ sink: 'webhook#0 http://127.0.0.1:1/…', event: 'signoff', error: 'HTTP 404: no_service', attempts: 1, actor: 'alice' });
    // Its own line is not news: nothing more was sent.
    expect(a.sent).toHaveLength(1);

    // A sink down for the whole window: the ledger gets a bounded number of lines, then one note.
    for (let i = 0; i < 30; i++) a.ledger.append({ type: 'waiver', gate: 'entropy', reason: `r${i}`, expires: '2026-11-23T18:00:00Z', actor: 'alice' });
    await flush();
    const lines = a.ledger.lines();
    expect(lines.filter((l) => l.type === 'notify.failed')).toHaveLength(MAX_FAILURE_LINES - 1);
    expect(lines.filter((l) => l.type === 'note').map((l) => (l as { text?: string }).text)).toEqual([
      `notify webhook#0 http://127.0.0.1:1/…: ${MAX_FAILURE_LINES} deliveries failed; further failures of this sink are shown, not recorded`,
    ]);
  });

  it('a read-only console never notifies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warroom-notify-'));
    dirs.push(dir);
    const clock = new FakeClock();
    const config = testConfig({ audit: { dir }, notify: [sink] }, GATES);
    const ledger = await Ledger.open(dir, { clock, deployment: config.deployment.name, environment: config.deployment.environment });
    ledgers.push(ledger);
    const session = new Session({ config, actor: 'carol', clock, readOnly: true });
    expect(startNotifyLink(session, ledger, clock, { sender: () => async () => ({ ok: true, status: 200 }) })).toBeUndefined();
  });
});
