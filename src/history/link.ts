/**
 * Keeps the window's gate history beside its ledger while a console runs (for `warroom report
 * --format html`). It only reads the store: a subscription notes that gates, influence or the
 * light changed, and the sampling and writing happen on a later turn of the event loop, so no
 * store write (a kill-switch step included) ever waits for it. Only a console that writes the
 * ledger writes history, to the file named after its ledger file.
 */
import { dirname, join } from 'node:path';
import type { Clock } from '../core/clock.js';
import type { Config } from '../config/types.js';
import type { WarroomState, WarroomStore } from '../store/store.js';
import { HISTORY_SCHEMA_VERSION, historyNameFor, type MetaLine } from './format.js';
import { HistorySampler } from './sampler.js';
import { HistoryWriter, type HistoryWriterOptions } from './writer.js';

export interface HistoryLink {
  /** Writes the held last changes and what is queued (bounded wait), then stops. */
  stop(): Promise<void>;
  readonly writer: HistoryWriter;
}

export interface HistoryLinkOptions {
  /** The console's clock (scaled in a fast demo, like the ledger's timestamps). */
  clock: Clock;
  /** Wall time for batching; defaults to `clock`. */
  cadence?: Clock;
  /** One event-log line about the history itself. */
  say: (level: 'info' | 'warn', text: string) => void;
  writer?: Partial<Pick<HistoryWriterOptions, 'batchMs' | 'thinBytes' | 'fullBytes' | 'maxQueue'>>;
}

/** Starts the history for a console writing `ledgerPath`; undefined when this console writes no ledger. */
export function startHistory(store: WarroomStore, ledgerPath: string | undefined, opts: HistoryLinkOptions): HistoryLink | undefined {
  const st0 = store.getState();
  if (!ledgerPath || st0.readOnly || st0.mode === 'replay') return undefined;
  const path = join(dirname(ledgerPath), historyNameFor(ledgerPath.slice(dirname(ledgerPath).length + 1)));
  const cadence = opts.cadence ?? opts.clock;
  const writer = new HistoryWriter(path, {
    ...opts.writer,
    cadence,
    clock: opts.clock,
    onHealth: (e) => opts.say('warn', e ? `gate history not saved: ${e}; retrying (the console goes on)` : `gate history written again (${path})`),
  });
  writer.write([metaLine(st0.config, st0.actor, opts.clock.now())]);
  const sampler = new HistorySampler();
  let cap = writer.cap;
  let due: ReturnType<typeof setImmediate> | undefined;
  const sample = () => {
    due = undefined;
    const s = store.getState();
    if (Object.keys(s.gates).length === 0) return;
    writer.write(sampler.observe(observation(s), writer.cap !== 'ok'));
    if (writer.cap !== cap) {
      cap = writer.cap;
      opts.say('warn', cap === 'full' ? `gate history full (${path}): no more points this window` : `gate history is large (${path}): from now on only status changes are kept`);
    }
  };
  const off = store.subscribe((s, prev) => {
    // Reference checks only: this runs inside every store write, the kill path's included.
    if (s.gates === prev.gates && s.influence === prev.influence && s.overall === prev.overall) return;
    due ??= setImmediate(sample);
  });
  return {
    writer,
    stop: async () => {
      off();
      if (due) {
        clearImmediate(due);
        sample();
      }
      const now = store.getState().now;
      writer.write([...sampler.drain(now), { t: now, k: 'stop' }]);
      await writer.stop();
    },
  };
}

function observation(s: WarroomState) {
  return {
    now: s.now,
    gates: s.gates,
    influence: s.influence.pct !== undefined && !s.influence.error ? s.influence.pct : undefined,
    overall: s.overall.overall,
  };
}

/** What the report needs to draw the gates when no config is at hand. */
export function metaLine(config: Config, actor: string, t: number): MetaLine {
  const meta: MetaLine = {
    k: 'meta',
    v: HISTORY_SCHEMA_VERSION,
    t,
    deployment: config.deployment.name,
    environment: config.deployment.environment,
    actor,
    gates: config.gates.map((g) => ({
      id: g.id,
      title: g.title,
      group: g.group,
      severity: g.severity,
      ...(g.go ? { go: g.go.text } : {}),
      ...(g.warn ? { warn: g.warn.text } : {}),
      ...(typeof g.baseline === 'number' ? { baseline: g.baseline } : {}),
      ...(g.source === 'manual' ? { manual: true } : {}),
    })),
  };
  if (config.ramp) meta.ramp = { stages: config.ramp.stages.map((s) => ({ influence: s.influence, hold: s.hold, checkpoints: s.checkpoints.map((c) => ({ at: c.at, label: c.label })) })) };
  return meta;
}
