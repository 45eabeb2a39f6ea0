/** The history link on a real store and a real directory: off the write path, and never in the way. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import type { GateResult } from '../../src/core/types.js';
import { parseHistory, type GatePoint, type MetaLine } from '../../src/history/format.js';
import { startHistory } from '../../src/history/link.js';
import { createWarroomStore, upsertAction } from '../../src/store/store.js';
import { testConfig } from '../helpers/config.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'warroom-history-link-'));
  dirs.push(d);
  return d;
};
const gate = (id: string, status: GateResult['status'], value: number | null): GateResult => ({ id, status, raw: status, value, threshold: '>= 0.9 (warn >= 0.8)', reason: '' });
const T0 = Date.parse('2026-12-07T10:00:00Z');

describe('history link', () => {
  it('samples on a later turn, never inside the store write; writes the meta, points and the held last change at stop', async () => {
    const dir = tmp();
    const store = createWarroomStore({ config: testConfig(), actor: 'alice', now: T0 });
    const said: string[] = [];
    const link = startHistory(store, join(dir, 'ledger-bob.jsonl'), { clock: systemClock, say: (_l, t) => said.push(t), writer: { batchMs: 10 } })!;
    expect(link.writer.path).toBe(join(dir, 'history-bob.jsonl'));
    const queued = link.writer.pending();
    store.setState({ now: T0, gates: { entropy: gate('entropy', 'PASS', 0.95) }, influence: { pct: 10 } });
    // Inside the write nothing was sampled: a kill-switch step writing the store never waits for history.
    expect(link.writer.pending()).toBe(queued);
    upsertAction(store, 'k', () => ({ id: 'k', name: 'kill_switch', label: 'kill', state: 'running', step: 'sent', steps: [], startedAt: T0 }));
    expect(link.writer.pending()).toBe(queued);
    await new Promise((r) => setImmediate(r));
    expect(link.writer.pending()).toBeGreaterThan(queued);
    // 2 s later a change is held (10 s rule) and written at stop.
    store.setState({ now: T0 + 2000, gates: { entropy: gate('entropy', 'FAIL', 0.5) }, influence: { pct: 0 } });
    await new Promise((r) => setImmediate(r));
    await link.stop();
    const { lines } = parseHistory(readFileSync(join(dir, 'history-bob.jsonl'), 'utf8'));
    expect((lines[0] as MetaLine).gates.map((g) => g.id)).toEqual(['entropy', 'q_spread', 'errors', 'latency', 'oncall_ack']);
    expect((lines[0] as MetaLine).gates[1]).toMatchObject({ go: '<= 2x', baseline: 1.4 });
    const points = lines.filter((l): l is GatePoint => 'g' in l);
    expect(points.map((p) => [p.t - T0, p.s, p.v])).toEqual([[0, 'PASS', 0.95], [2000, 'FAIL', 0.5]]);
    expect(lines.filter((l) => 'i' in l).map((l) => (l as { i: number }).i)).toEqual([10, 0]);
    expect(said).toEqual([]);
  });

  it('a read-only or replaying console writes no history', () => {
    const dir = tmp();
    for (const init of [{ readOnly: true }, { mode: 'replay' as const }]) {
      const store = createWarroomStore({ config: testConfig(), actor: 'alice', now: T0, ...init });
      expect(startHistory(store, join(dir, 'ledger.jsonl'), { clock: systemClock, say: () => {} })).toBeUndefined();
    }
  });

  it('a history that cannot be written is said once in the event log; the store keeps working', async () => {
    const dir = tmp();
    // history.jsonl is a directory: every append fails.
    mkdirSync(join(dir, 'history.jsonl'));
    const store = createWarroomStore({ config: testConfig(), actor: 'alice', now: T0 });
    const said: string[] = [];
    const link = startHistory(store, join(dir, 'ledger.jsonl'), { clock: systemClock, say: (_l, t) => said.push(t), writer: { batchMs: 5 } })!;
    for (let i = 0; i < 5; i++) {
      store.setState({ now: T0 + i * 20_000, gates: { entropy: gate('entropy', 'PASS', 0.9 + i / 100) } });
      await new Promise((r) => setTimeout(r, 30));
    }
    expect(store.getState().gates.entropy!.value).toBeCloseTo(0.94);
    await link.stop();
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^gate history not saved: cannot write .*history\.jsonl: .*; retrying \(the console goes on\)$/);
  });
});
