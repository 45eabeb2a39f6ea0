/** `warroom check`: every source read once in parallel (bounded by its timeout), gates evaluated once. */
import type { Clock } from '../core/clock.js';
import type { Config } from '../config/types.js';
import type { Signoff, Waiver } from '../core/types.js';
import { toCriteria } from '../engine/criteria.js';
import { EvaluationWindow } from '../engine/window.js';
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
  const window = new EvaluationWindow(config);
  for (const o of outcomes) window.ingest(o);
  const now = input.clock.now();
  const out = window.evaluate(now, input);
  return buildReport(config, now, out.overall, toCriteria(config.gates, out.results), out.sourceList);
}

export function strictExitCode(overall: CheckReport['overall']): 0 | 1 | 2 {
  return overall === 'GO' ? 0 : overall === 'WARN' ? 1 : 2;
}
