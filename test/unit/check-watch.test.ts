/**
 * `check --watch` as a loop on a fake clock (SPEC §9.4): GO ends it, a held non-GO ends it
 * after --fail-after with its --strict code, the timeout gives 124, changes are reported only
 * when something changes, `for:` holds across rounds (the engine's memory is kept), sign-offs
 * are re-read every round, and an abort ends it with the signal's code.
 */
import { describe, expect, it } from 'vitest';
import { gateChanges, runWatch, watchVerdict, type WatchChange, type WatchDeps, type WatchOptions } from '../../src/commands/checkWatchLoop.js';
import type { Config } from '../../src/config/types.js';
import { FakeClock } from '../../src/core/clock.js';
import type { Signoff } from '../../src/core/types.js';
import type { PolledSource } from '../../src/runtime/poller.js';
import type { SourceResult } from '../../src/sources/types.js';
import { testConfig } from '../helpers/config.js';
import { gate } from '../helpers/gates.js';

/** One scrape-like source whose value the test sets; `fail` makes the read fail. */
function flippable(clock: FakeClock) {
  const state = { value: 0.5 as number, fail: false, reads: 0 };
  const source: PolledSource = {
    id: 'exporter',
    interval: 1000,
    timeout: 500,
    probes: [{ id: 'gate:entropy' }],
    adapter: {
      id: 'exporter',
      type: 'scrape',
      read: async (): Promise<SourceResult> => {
        state.reads++;
        if (state.fail) return { ok: false, error: 'connection refused', readings: {} };
        return { ok: true, readings: { 'gate:entropy': { value: state.value, observedAt: clock.now() } } };
      },
    },
  };
  return { state, source };
}

const config = (over: { for?: number } = {}, decision: Partial<Config['decision']> = {}) =>
  testConfig({ decision: { unknown: 'nogo', warnWhenFailedAtMost: 0, requireSignoffs: [], signoffMaxAge: 12 * 3600_000, ...decision } }, [
    gate({ id: 'entropy', go: '>= 0.9', warn: '>= 0.8', metric: 'policy_entropy', staleAfter: 3000, ...over }),
  ]);

/** Runs the watch, advancing the fake clock `step` ms at a time until it resolves. */
async function drive(cfg: Config, opts: WatchOptions, clock: FakeClock, deps: Partial<WatchDeps> & Pick<WatchDeps, 'sources'>, onTick?: (t: number) => void, step = 100) {
  const changes: WatchChange[] = [];
  let verdict: unknown;
  let done = false;
  const p = runWatch(cfg, opts, { clock, authority: async () => ({ signoffs: [], waivers: [] }), ...deps }, {
    onChange: (c) => changes.push(c),
    onVerdict: (report, exitCode, end) => {
      verdict = { overall: report?.overall, exitCode, end };
    },
  }).then((r) => {
    done = true;
    return r;
  });
  const start = clock.now();
  for (let i = 0; i < 100_000 && !done; i++) {
    for (let k = 0; k < 5; k++) await new Promise((r) => setImmediate(r));
    if (done) break;
    clock.advance(step);
    onTick?.(clock.now() - start);
  }
  return { result: await p, changes, verdict, elapsed: clock.now() - start };
}

describe('check --watch loop', () => {
  it('ends with 0 as soon as the verdict is GO, reporting only changes', async () => {
    const clock = new FakeClock();
    const { state, source } = flippable(clock);
    const r = await drive(config(), { intervalMs: 200, timeoutMs: 60_000 }, clock, { sources: [source] }, (t) => {
      if (t >= 2000) state.value = 0.95;
    });
    expect(r.result).toMatchObject({ exitCode: 0, end: 'go' });
    expect(r.result.report?.overall).toBe('GO');
    expect(r.verdict).toEqual({ overall: 'GO', exitCode: 0, end: 'go' });
    expect(state.reads).toBeGreaterThanOrEqual(10);
    // Two changes only: the first round (NO-GO, every gate) and the flip to GO.
    expect(r.changes.map((c) => [c.previous, c.overall])).toEqual([[null, 'NO-GO'], ['NO-GO', 'GO']]);
    expect(r.changes[1]!.gates).toEqual([expect.objectContaining({ id: 'entropy', from: 'FAIL', to: 'PASS', value: 0.95, threshold: '>= 0.9 (warn >= 0.8)' })]);
  });

  it('a NO-GO held for --fail-after ends with 2; a WARN held ends with 1; a change of verdict restarts the hold', async () => {
    const clock = new FakeClock();
    const { state, source } = flippable(clock);
    const nogo = await drive(config(), { intervalMs: 200, timeoutMs: 60_000, failAfterMs: 1000 }, clock, { sources: [source] }, (t) => {
      // WARN for the first 700 ms, then NO-GO: the hold starts again at the change.
      state.value = t < 700 ? 0.85 : 0.5;
    });
    expect(nogo.result).toMatchObject({ exitCode: 2, end: 'held' });
    expect(nogo.result.heldMs).toBeGreaterThanOrEqual(1000);
    expect(nogo.elapsed).toBeGreaterThanOrEqual(1700);

    const clock2 = new FakeClock();
    const warn = flippable(clock2);
    warn.state.value = 0.85;
    const w = await drive(config(), { intervalMs: 200, timeoutMs: 60_000, failAfterMs: 1000 }, clock2, { sources: [warn.source] });
    expect(w.result).toMatchObject({ exitCode: 1, end: 'held' });
  });

  it('without --fail-after a non-GO verdict only ends at the timeout: 124', async () => {
    const clock = new FakeClock();
    const { source } = flippable(clock);
    const r = await drive(config(), { intervalMs: 500, timeoutMs: 5000 }, clock, { sources: [source] });
    expect(r.result).toMatchObject({ exitCode: 124, end: 'timeout' });
    expect(r.elapsed).toBeGreaterThanOrEqual(5000);
    expect(r.elapsed).toBeLessThan(6000);
    expect(r.changes).toHaveLength(1);
  });

  it('keeps gate memory across rounds: a worse value shows only after for:, and a dead source goes UNKNOWN after stale_after', async () => {
    const clock2 = new FakeClock();
    const f = flippable(clock2);
    f.state.value = 0.85; // WARN: not GO, so the watch keeps going
    const t0 = clock2.now();
    const r2 = await drive(config({ for: 2000 }), { intervalMs: 200, timeoutMs: 8000 }, clock2, { sources: [f.source] }, (t) => {
      if (t >= 1000) f.state.value = 0.5; // FAIL, held back by for: 2s
      if (t >= 5000) f.state.fail = true; // source down: the last reading ages past stale_after 3s
    });
    const timeline = r2.changes.map((c) => [c.at - t0, c.report.criteria[0]!.status] as const);
    expect(timeline.map((x) => x[1])).toEqual(['WARN', 'FAIL', 'UNKNOWN']);
    // Flipped at 1 s, shown only after for: 2 s (a one-shot check each round would show it at once).
    expect(timeline[1]![0]).toBeGreaterThanOrEqual(3000);
    expect(timeline[1]![0]).toBeLessThan(3600);
    // Down from 5 s: the last reading (≤ 5 s) ages past stale_after 3 s.
    expect(timeline[2]![0]).toBeGreaterThanOrEqual(7800);
    expect(r2.result.exitCode).toBe(124);
  });

  it('re-reads sign-offs every round: a sign-off arriving mid-watch makes GO', async () => {
    const clock = new FakeClock();
    const { state, source } = flippable(clock);
    state.value = 0.95;
    const cfg = testConfig({}, [gate({ id: 'entropy', go: '>= 0.9', metric: 'x' }), gate({ id: 'oncall_ack', source: 'manual', signoffRole: 'on_call' })]);
    let rounds = 0;
    let signoffs: Signoff[] = [];
    const r = await drive(cfg, { intervalMs: 200, timeoutMs: 60_000 }, clock, {
      sources: [source],
      authority: async (now) => {
        rounds++;
        return { signoffs: rounds >= 5 ? (signoffs = [{ role: 'on_call', actor: 'bob', at: now, gate: 'oncall_ack' }]) : [], waivers: [] };
      },
    });
    expect(signoffs).toHaveLength(1);
    expect(rounds).toBe(5);
    expect(r.result.exitCode).toBe(0);
  });

  it('an abort (SIGINT/SIGTERM) ends it with the code it carries, and onVerdict still hears it', async () => {
    const clock = new FakeClock();
    const { source } = flippable(clock);
    const ctrl = new AbortController();
    const r = await drive(config(), { intervalMs: 200, timeoutMs: 60_000 }, clock, { sources: [source], signal: ctrl.signal }, (t) => {
      if (t >= 1000) ctrl.abort({ exitCode: 143 });
    });
    expect(r.result).toMatchObject({ exitCode: 143, end: 'signal' });
    expect(r.verdict).toMatchObject({ exitCode: 143, end: 'signal', overall: 'NO-GO' });
  });
});

describe('pure parts', () => {
  it('watchVerdict: GO ends at once; non-GO only when held for failAfter', () => {
    expect(watchVerdict('GO', 0, {})).toEqual({ end: 'go', exitCode: 0 });
    expect(watchVerdict('NO-GO', 10_000, {})).toBeUndefined();
    expect(watchVerdict('NO-GO', 999, { failAfterMs: 1000 })).toBeUndefined();
    expect(watchVerdict('NO-GO', 1000, { failAfterMs: 1000 })).toEqual({ end: 'held', exitCode: 2 });
    expect(watchVerdict('WARN', 0, { failAfterMs: 0 })).toEqual({ end: 'held', exitCode: 1 });
  });
  it('gateChanges: every gate the first time, then only changed lights', () => {
    const c = (id: string, status: 'PASS' | 'FAIL') => ({ id, title: id, group: 'g', severity: 'critical' as const, status, value: 1, threshold: '', observed_at: null, reason: '' });
    expect(gateChanges(undefined, [c('a', 'PASS'), c('b', 'PASS')]).map((g) => g.id)).toEqual(['a', 'b']);
    expect(gateChanges([c('a', 'PASS'), c('b', 'PASS')], [c('a', 'PASS'), c('b', 'FAIL')])).toEqual([expect.objectContaining({ id: 'b', from: 'PASS', to: 'FAIL' })]);
  });
});
