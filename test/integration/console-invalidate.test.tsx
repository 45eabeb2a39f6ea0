/**
 * The console's invalidation act (SPEC §9.5) from the `:` palette: a sign-off this console
 * recorded is picked, given a reason and confirmed; the ledger gets a signed-off invalidation
 * line (nothing deleted) and the gate stops counting the sign-off at once. Only the decision
 * right may do it. Real Session, Controller, ledger and ledger link.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/audit/ledger.js';
import { verifyAuditDir } from '../../src/audit/verify.js';
import { systemClock } from '../../src/core/clock.js';
import { testConfig } from '../helpers/config.js';
import { gate } from '../helpers/gates.js';
import { renderConsole } from '../helpers/ink.js';

let dir: string;
let ledger: Ledger;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warroom-invalidate-'));
  ledger = await Ledger.open(dir, { clock: systemClock, deployment: 'rl-policy-v42', environment: 'production' });
});
afterEach(async () => {
  await ledger.flush(2000);
  await ledger.close();
});

const config = () =>
  testConfig({ roles: { release_captain: ['alice'], tech_lead: ['carol'] } }, [gate({ id: 'captain_ack', title: 'Captain ACK', source: 'manual', signoffRole: 'release_captain' })]);

describe('invalidate from the palette', () => {
  it('picks the sign-off, asks a reason, appends the invalidation and the gate stops counting it', async () => {
    const ui = await renderConsole({ config: config(), ledger, clock: systemClock, columns: 120, rows: 36 });
    await ui.press('s');
    await ui.waitFor(/SIGN OFF/i);
    await ui.press('y');
    await ui.waitFor(/signed off as release_captain/);
    await ui.waitFor(/PASS|GO +Captain ACK/);
    expect(ui.store.getState().signoffs.map((s) => s.actor)).toEqual(['alice']);

    await ui.press(':', 'i', 'n', 'v', 'a', 'l', '\r');
    const list = await ui.waitFor(/Which entry no longer counts\?/);
    expect(list).toMatch(/› 1 sign-off release_captain on captain_ack by alice at \d\d:\d\dZ \(ledger\.jsonl:1\)/);
    await ui.press('\r');
    await ui.waitFor(/reason/);
    await ui.press(...'signed before the pager test'.split(''), '\r');
    await ui.waitFor(/check, the console and report stop counting it/);
    // Nothing is written before the confirm.
    expect(ledger.lines().filter((l) => l.type === 'invalidate')).toEqual([]);
    await ui.press('y');
    await ui.waitFor(/invalidated sign-off release_captain on captain_ack/);
    const inv = ledger.lines().filter((l) => l.type === 'invalidate');
    expect(inv).toHaveLength(1);
    expect(inv[0]).toMatchObject({ actor: 'alice', reason: 'signed before the pager test', target: { file: 'ledger.jsonl', line: 1, hash: ledger.lines()[0]!.hash } });
    // The sign-off line is still there: nothing is deleted, the chain verifies.
    expect(ledger.lines()[0]!.type).toBe('signoff');
    for (let i = 0; i < 100 && ui.store.getState().signoffs.length > 0; i++) await ui.flush();
    expect(ui.store.getState().signoffs).toEqual([]);
    // Once invalidated it is no longer offered.
    await ui.press(':', 'i', 'n', 'v', 'a', 'l', '\r');
    await ui.waitFor(/nothing to invalidate/);
    ui.unmount();
    await ledger.flush(2000);
    expect(await verifyAuditDir(dir)).toMatchObject({ ok: true, exitCode: 0 });
  });

  it('an actor without the decision right sees it dimmed and refused; nothing is written', async () => {
    ledger.append({ type: 'signoff', role: 'release_captain', gate: 'captain_ack', actor: 'alice' });
    const ui = await renderConsole({ config: config(), actor: 'carol', ledger, clock: systemClock, columns: 120, rows: 36 });
    await ui.press(':');
    const frame = await ui.waitFor(/COMMANDS \d+ shown/);
    expect(frame).toMatch(/Invalidate a decision, sign-off or waiver - invalidation needs role r/);
    await ui.press('i', 'n', 'v', 'a', 'l', '\r');
    await ui.waitFor(/refused: invalidation needs role release_captain/);
    expect(ledger.lines().filter((l) => l.type === 'invalidate')).toEqual([]);
    ui.unmount();
  });
});
