/** The history writer on a real filesystem: batches, caps, failures that never throw. */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import type { GateResult } from '../../src/core/types.js';
import { parseHistory } from '../../src/history/format.js';
import { HistorySampler } from '../../src/history/sampler.js';
import { HistoryWriter } from '../../src/history/writer.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'warroom-history-'));
  dirs.push(d);
  return d;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('history writer', () => {
  it('puts queued lines on disk in one batch and appends after a restart (a torn tail ended first)', async () => {
    const path = join(tmp(), 'history.jsonl');
    writeFileSync(path, '{"t":1,"o":"GO"}\n{"t":2,"o":"NO');
    const w = new HistoryWriter(path, { cadence: systemClock, clock: systemClock, batchMs: 20 });
    w.write([{ t: 3, o: 'WARN' }, { t: 4, i: 10 }]);
    expect(w.pending()).toBe(2);
    await sleep(200);
    expect(w.pending()).toBe(0);
    const { lines, skipped } = parseHistory(readFileSync(path, 'utf8'));
    expect(lines).toEqual([{ t: 1, o: 'GO' }, { t: 3, o: 'WARN' }, { t: 4, i: 10 }]);
    expect(skipped).toBe(1);
    await w.stop();
  });

  it('a directory it cannot write is said once through onHealth, never thrown, and the queue stays bounded', async () => {
    const d = tmp();
    writeFileSync(join(d, 'file'), 'x');
    const said: (string | undefined)[] = [];
    const w = new HistoryWriter(join(d, 'file', 'history.jsonl'), { cadence: systemClock, clock: systemClock, batchMs: 10, maxQueue: 5, onHealth: (e) => said.push(e) });
    for (let i = 0; i < 20; i++) w.write([{ t: i, o: 'GO' }]);
    await sleep(100);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/cannot write .*history\.jsonl/);
    expect(w.pending()).toBe(5);
    expect(w.dropped).toBe(15);
    await expect(w.stop(200)).resolves.toBeUndefined();
  });

  it('past thinBytes only status changes are asked for; past fullBytes nothing more is written; both marked', async () => {
    const path = join(tmp(), 'history.jsonl');
    const w = new HistoryWriter(path, { cadence: systemClock, clock: systemClock, batchMs: 10, thinBytes: 400, fullBytes: 800 });
    for (let i = 0; i < 100; i++) w.write([{ t: i, g: 'entropy', s: 'PASS', v: i }]);
    await w.stop();
    expect(w.cap).toBe('full');
    const text = readFileSync(path, 'utf8');
    expect(statSync(path).size).toBeLessThan(900);
    const kinds = parseHistory(text).lines.map((l) => ('k' in l ? l.k : 'point'));
    expect(kinds.filter((k) => k === 'thinned')).toHaveLength(1);
    expect(kinds[kinds.length - 1]).toBe('full');
  });

  it('measures the bytes per gate-hour of a gate whose value changes on every 1 s poll', async () => {
    const path = join(tmp(), 'history.jsonl');
    const w = new HistoryWriter(path, { cadence: systemClock, clock: systemClock, batchMs: 5 });
    const s = new HistorySampler();
    const T0 = Date.parse('2026-12-07T10:00:00Z');
    for (let sec = 0; sec < 3600; sec++) {
      const value = 0.93 + 0.02 * Math.sin(sec / 7) + (sec % 13) / 1000;
      const g: GateResult = { id: 'entropy', status: value > 0.94 ? 'PASS' : 'WARN', raw: 'PASS', value, threshold: '>= 0.9 (warn >= 0.8)', reason: '' };
      w.write(s.observe({ now: T0 + sec * 1000, gates: { entropy: g }, influence: 10, overall: 'GO' }).filter((l) => 'g' in l));
    }
    await w.stop(5000);
    const bytes = statSync(path).size;
    const points = parseHistory(readFileSync(path, 'utf8')).lines.length;
    // One point per 10 s on average: 360 an hour, plus the first and the burst.
    expect(points).toBeLessThanOrEqual(363);
    expect(points).toBeGreaterThan(300);
    expect(bytes).toBeLessThan(24_000);
    console.log(`history: ${points} points, ${bytes} bytes per gate-hour at worst (value changing every poll)`);
  });
});
