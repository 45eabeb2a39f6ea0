/**
 * The paced loop's `audit` event: the audit trail's writes failing, and saved again, each told
 * once. A real ledger on a temp dir whose file turns unwritable (a directory in its place, as a
 * full or read-only disk would make it), linked to a session as the console links it.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/audit/ledger.js';
import { FakeClock } from '../../src/core/clock.js';
import type { AuditEvent } from '../../src/runtime/loopEvents.js';
import { linkLedger } from '../../src/session/ledgerLink.js';
import { Session } from '../../src/session/session.js';
import { testConfig } from '../helpers/config.js';

const dirs: string[] = [];
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The ledger's write loop ends a turn after its flush resolves. */
const settled = () => new Promise((r) => setImmediate(r));

/** Until `ok()` holds, letting the ledger's file writes and the fake clock's timers run. */
async function until(clock: FakeClock, ok: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !ok(); i++) {
    await new Promise((r) => setTimeout(r, 5));
    clock.advance(500);
  }
  if (!ok()) throw new Error(`never happened: ${what}`);
}

describe('the paced loop\'s audit event', () => {
  it('is emitted once when writes start failing and once when every pending line is saved again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warroom-audit-event-'));
    dirs.push(dir);
    const clock = new FakeClock();
    const config = testConfig({ audit: { dir } });
    const ledger = await Ledger.open(dir, { clock, deployment: config.deployment.name, environment: config.deployment.environment, lockAs: 'alice' });
    closers.push(() => ledger.close());
    const session = new Session({ config, actor: 'alice', clock });
    closers.push(() => session.stop());
    const seen: AuditEvent[] = [];
    session.live.on('audit', (e) => seen.push(e));
    closers.push(linkLedger(session, ledger, clock, { deployment: config.deployment.name, maxAgeMs: config.decision.signoffMaxAge }));

    // A healthy write: no event.
    ledger.append({ type: 'note', text: 'healthy', actor: 'alice' });
    await ledger.flush(2000);
    await settled();
    expect(seen).toEqual([]);

    rmSync(join(dir, 'ledger.jsonl'));
    mkdirSync(join(dir, 'ledger.jsonl'));
    ledger.append({ type: 'note', text: 'one', actor: 'alice' });
    await until(clock, () => seen.length > 0, 'the failing event');
    // More lines and retries while it fails: still the one event.
    ledger.append({ type: 'note', text: 'two', actor: 'alice' });
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 5));
      clock.advance(2000);
    }
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ state: 'failing', error: expect.stringContaining('cannot write') });
    expect(seen[0]!.pending).toBeGreaterThan(0);
    expect(session.store.getState().audit.error).toContain('cannot write');

    rmSync(join(dir, 'ledger.jsonl'), { recursive: true });
    await until(clock, () => seen.length > 1, 'the saved event');
    expect(seen[1]).toMatchObject({ state: 'saved', pending: 0 });
    expect(seen[1]).not.toHaveProperty('error');
    expect(ledger.pending()).toBe(0);

    // Later healthy writes: nothing more.
    ledger.append({ type: 'note', text: 'three', actor: 'alice' });
    await ledger.flush(2000);
    await settled();
    expect(seen).toHaveLength(2);
    session.live.flush();
    const log = session.store.getState().events.map((e) => e.text);
    expect(log.filter((t) => t.startsWith('AUDIT NOT SAVED: cannot write'))).toHaveLength(1);
    expect(log.filter((t) => t === 'audit trail written again: every pending line saved')).toHaveLength(1);
  });
});
