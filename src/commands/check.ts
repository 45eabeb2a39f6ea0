/** `warroom check`: every source read once in parallel (bounded by its timeout), gates evaluated once. */
import type { Clock } from '../core/clock.js';
import type { Config } from '../config/types.js';
import type { Signoff, SourceHealth, Waiver } from '../core/types.js';
import { toCriteria } from '../engine/criteria.js';
import { evaluateAll } from '../engine/evaluate.js';
import { probesBySource } from '../engine/probes.js';
import { Poller } from '../runtime/poller.js';
import { loadSource } from '../sources/load.js';
import type { Reading } from '../core/types.js';
import { buildReport, type CheckReport } from './checkFormat.js';

export interface CheckInput {
  clock: Clock;
  signoffs: Signoff[];
  waivers: Waiver[];
}

export async function runCheck(config: Config, input: CheckInput): Promise<CheckReport> {
  const probes = probesBySource(config);
  const sources = await Promise.all(
    Object.values(config.sources).map(async (s) => ({
      id: s.id,
      adapter: await loadSource(s, input.clock, { oneShot: true }),
      probes: probes[s.id] ?? [],
      interval: s.interval,
      timeout: s.timeout,
    })),
  );
  const poller = new Poller(input.clock, sources, () => {});
  let outcomes;
  try {
    outcomes = await poller.readAllOnce();
  } finally {
    await poller.stop();
  }
  const readings: Record<string, Reading> = {};
  const health: SourceHealth[] = [];
  for (const o of outcomes) {
    Object.assign(readings, o.result.readings);
    const h: SourceHealth = { id: o.sourceId, type: config.sources[o.sourceId]!.type, state: o.result.ok ? 'up' : 'down' };
    if (o.result.error) h.error = o.result.error;
    if (o.result.ok) h.lastSuccess = o.finishedAt;
    health.push(h);
  }
  health.sort((a, b) => a.id.localeCompare(b.id));
  const now = input.clock.now();
  const sourceErrors = Object.fromEntries(health.filter((h) => h.state === 'down').map((h) => [h.id, h.error ?? 'no answer']));
  const out = evaluateAll(config, { now, readings, signoffs: input.signoffs, waivers: input.waivers, sourceErrors });
  return buildReport(config, now, out.overall, toCriteria(config.gates, out.results), health);
}

export function strictExitCode(overall: CheckReport['overall']): 0 | 1 | 2 {
  return overall === 'GO' ? 0 : overall === 'WARN' ? 1 : 2;
}
